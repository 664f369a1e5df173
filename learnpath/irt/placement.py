"""Multi-competency placement: one θ̂ (logits) per competency, each stopped by its own rule.

Separate mode (no joint prior, no decisions): each competency is a unidimensional CAT on its
items only; the next item goes to the open competency with the fewest items so far (ties: the
larger SE) and is the most informative one at that θ̂.

Decision mode (`prior` and/or `decisions`): θ̂ and SE are the exact marginal posterior means and
SDs under the correlated prior (joint.py), a competency also stops once its decisions are
settled (decisions.py), and the next item, across all open competencies, is the one expected
to remove the most decision uncertainty (randomesque: a draw among the k best).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .arguments import Seed, Whole, check_seed, check_step
from .bank import ItemBank
from .config import CatConfig, ExposureState
from .decisions import DecisionRule, decision_gain, expected_remaining
from .errors import IRTError
from .estimation import as_history
from .joint import JointPosterior, JointPrior, joint_eap
from .selection import NO_ITEM, pick_under_ceiling
from .session import DEFAULT_CONFIG, estimate_or_prior, select_next, step_rng
from .stopping import StopReason, stop_reason


@dataclass(frozen=True)
class CompetencyState:
    """Ability θ̂ and SE (logits) of one competency, items given in it, and its stop reason."""

    competency: str
    theta: float
    se: float
    n_items: int
    reason: StopReason
    cuts: tuple[float, ...] = ()  # decision mode: the cuts that matter (logits) ...
    above: tuple[float, ...] = ()  # ... and P(θ ≥ cut | answers) for each
    remaining: float | None = None  # decision mode: expected questions still to come

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
    prior: JointPrior | None = None,
    decisions: DecisionRule | None = None,
) -> PlacementStep:
    """Estimate and stop each competency, then pick the next item across them.

    `configs` overrides `config` per competency label (e.g. a prior from the learner's current
    estimate, or another SE target); the history, seed and exposure data are as in cat_step.
    With a joint `prior` or a `decisions` rule the placement runs in decision mode (see the
    module docstring; the configs' own priors are then unused when `prior` is given; the
    exposure ceiling still holds).
    """
    check_seed(seed)
    check_step(step)
    overrides = dict(configs or {})
    unknown = set(overrides) - set(bank.labels)
    if unknown:
        raise IRTError(f"configs name competencies absent from the bank: {sorted(unknown)}")
    items, answers = as_history(bank, administered, responses)
    configs_by_code = [overrides.get(label, config) for label in bank.labels]
    if prior is not None or decisions is not None:
        joint = prior or _independent(bank, configs_by_code)
        rule = decisions or DecisionRule()
        return _decision_step(
            bank, items, answers, configs_by_code, joint, rule, seed, step, exposure
        )
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


def _independent(bank: ItemBank, configs: list[CatConfig]) -> JointPrior:
    """The configs' own priors as a joint prior with no correlation."""
    means = [cfg.prior_mean for cfg in configs]
    return JointPrior.of(bank.labels, 0.0, means, [cfg.prior_sd for cfg in configs])


def _decision_step(
    bank: ItemBank,
    items: npt.NDArray[np.intp],
    answers: npt.NDArray[np.float64],
    configs: list[CatConfig],
    prior: JointPrior,
    rule: DecisionRule,
    seed: Seed,
    step: Whole | None,
    exposure: ExposureState | None = None,
) -> PlacementStep:
    """Decision mode: joint posterior, decision stopping, item of largest decision gain.

    The exposure ceiling holds here too: an item whose stored rate has reached it is passed
    over while any other item of an open competency remains (then measurement wins).
    """
    posterior = joint_eap(bank, items, answers, prior)
    taken = np.zeros(bank.n_items, dtype=bool)
    taken[items] = True
    states = tuple(
        _decided_state(bank, code, items, taken, posterior, cfg, rule)
        for code, cfg in enumerate(configs)
    )
    score = np.full(bank.n_items, -np.inf)
    for code, state in enumerate(states):
        if not state.stopped:
            mine = np.flatnonzero((bank.codes == code) & ~taken)
            gain = decision_gain(
                bank, mine, posterior.points[code], posterior.weights[code], state.cuts
            )
            # Information at θ̂ breaks ties between items that settle nothing (or with no cuts).
            score[mine] = gain + 1e-6 * bank.information(state.theta)[mine]
    open_codes = [code for code, state in enumerate(states) if not state.stopped]
    if not open_codes:
        return PlacementStep(states, None, None)
    config = configs[open_codes[0]]
    rng = step_rng(seed, items.size if step is None else step) if config.top_k > 1 else None
    pick = int(pick_under_ceiling(score[None, :], exposure, config, rng)[0])
    if pick == NO_ITEM:
        return PlacementStep(states, None, None)
    return PlacementStep(states, pick, bank.labels[bank.codes[pick]])


def _decided_state(
    bank: ItemBank,
    code: int,
    items: npt.NDArray[np.intp],
    taken: npt.NDArray[np.bool_],
    posterior: JointPosterior,
    config: CatConfig,
    rule: DecisionRule,
) -> CompetencyState:
    """One competency in decision mode: posterior θ̂ and SE, its cuts' odds, stop, remaining."""
    label = bank.labels[code]
    cuts = rule.of(label)
    n = int(np.count_nonzero(bank.codes[items] == code))
    free = np.flatnonzero((bank.codes == code) & ~taken)
    theta, se = float(posterior.mean[code]), float(posterior.sd[code])
    p_above = tuple(float(p) for p in posterior.probability_above(code, cuts)) if cuts else ()
    reason = stop_reason(config, n, se, free.size)
    info = float(np.sort(bank.information(theta)[free])[-5:].mean()) if free.size else 0.0
    left = config.max_items - n
    moot = rule.moot(cuts, p_above, theta, se, info * min(left, free.size))
    if reason == StopReason.CONTINUE and cuts and n >= config.min_items and moot:
        reason = StopReason.DECIDED
    remaining = 0.0
    if reason == StopReason.CONTINUE:
        remaining = expected_remaining(
            posterior.points[code],
            posterior.weights[code],
            cuts,
            rule,
            se,
            config.se_target,
            float(info),
            config.max_items - n,
        )
        remaining = max(remaining, 1.0, float(config.min_items - n))
    return CompetencyState(label, theta, se, n, reason, cuts, p_above, remaining)
