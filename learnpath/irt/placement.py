"""Multi-competency placement: one θ̂ (logits) per competency, each stopped by its own rule.

The bank's `competency` labels split the items; each competency is a unidimensional CAT on its
items only. The next item goes to the open competency with the fewest items so far (ties: the
larger SE), which interleaves competencies, and is the most informative one at that θ̂.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .arguments import Seed, Whole, check_seed, check_step
from .bank import ItemBank
from .config import CatConfig, ExposureState
from .errors import IRTError
from .estimation import as_history
from .session import DEFAULT_CONFIG, estimate_or_prior, select_next
from .stopping import StopReason, stop_reason


@dataclass(frozen=True)
class CompetencyState:
    """Ability θ̂ and SE (logits) of one competency, items given in it, and its stop reason."""

    competency: str
    theta: float
    se: float
    n_items: int
    reason: StopReason

    @property
    def stopped(self) -> bool:
        """True once this competency's own stopping rule holds."""
        return self.reason != StopReason.CONTINUE


@dataclass(frozen=True)
class PlacementStep:
    """Per-competency states, the next item (None = placement over) and its competency."""

    competencies: tuple[CompetencyState, ...]
    item: int | None
    competency: str | None

    @property
    def done(self) -> bool:
        """True when every competency has stopped."""
        return self.item is None

    def state(self, competency: str) -> CompetencyState:
        """The state of one competency by label."""
        for current in self.competencies:
            if current.competency == competency:
                return current
        raise IRTError(f"unknown competency {competency!r}")


def placement_step(
    bank: ItemBank,
    administered: npt.ArrayLike,
    responses: npt.ArrayLike,
    config: CatConfig = DEFAULT_CONFIG,
    seed: Seed = 0,
    step: Whole | None = None,
    exposure: ExposureState | None = None,
    configs: Mapping[str, CatConfig] | None = None,
) -> PlacementStep:
    """Estimate and stop each competency separately, then pick the next item across them.

    `configs` overrides `config` per competency label (e.g. a prior from the learner's current
    estimate, or another SE target); the history, seed and exposure data are as in cat_step.
    """
    check_seed(seed)
    check_step(step)
    overrides = dict(configs or {})
    unknown = set(overrides) - set(bank.labels)
    if unknown:
        raise IRTError(f"configs name competencies absent from the bank: {sorted(unknown)}")
    items, answers = as_history(bank, administered, responses)
    configs_by_code = [overrides.get(label, config) for label in bank.labels]
    states = tuple(
        _competency_state(bank, code, items, answers, cfg)
        for code, cfg in enumerate(configs_by_code)
    )
    # Fewest items first (ties: least precise), so competencies take turns.
    order = sorted(
        (code for code, state in enumerate(states) if not state.stopped),
        key=lambda code: (states[code].n_items, -states[code].se, code),
    )
    for code in order:
        cfg, allowed = configs_by_code[code], bank.codes == code
        state = states[code]
        item = select_next(bank, state.theta, items, cfg, seed, step, exposure, allowed, state.se)
        if item is not None:
            return PlacementStep(states, item, bank.labels[code])
    return PlacementStep(states, None, None)


def _competency_state(
    bank: ItemBank,
    code: int,
    items: npt.NDArray[np.intp],
    answers: npt.NDArray[np.float64],
    config: CatConfig,
) -> CompetencyState:
    """Estimate and stop decision of one competency from its own items only."""
    mine = bank.codes[items] == code
    own_items, own_answers = items[mine], answers[mine]
    current = estimate_or_prior(bank, own_items, own_answers, config)
    available = int(np.count_nonzero(bank.codes == code)) - int(own_items.size)
    reason = stop_reason(config, int(own_items.size), current.se, available)
    return CompetencyState(bank.labels[code], current.theta, current.se, own_items.size, reason)
