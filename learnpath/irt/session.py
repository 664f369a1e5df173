"""Pure CAT step for the web layer: initialize → estimate θ̂ (logits) → stop → select (max info).

Each HTTP request replays the stored history: `cat_step(bank, administered, responses, config,
seed, step, exposure)` depends on nothing else, so any worker computes the same next item. The
randomesque draw uses a generator seeded by (seed, step), never a shared or global one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .arguments import Seed, Whole, check_seed, check_step, generator, step_index
from .bank import ItemBank
from .config import CatConfig, ExposureState
from .estimation import Estimate, as_history, estimate_history
from .selection import NO_ITEM, select_items
from .stopping import StopReason, stop_reason

DEFAULT_CONFIG = CatConfig()


@dataclass(frozen=True)
class CatStep:
    """Outcome of one step: θ̂ and SE in logits, items given, why it stops, and the next item."""

    theta: float
    se: float
    n_items: int
    reason: StopReason
    item: int | None

    @property
    def done(self) -> bool:
        """True when the test is over (no next item)."""
        return self.item is None


def initialize(config: CatConfig = DEFAULT_CONFIG) -> Estimate:
    """Starting estimate before any response: the prior mean with the prior SD as its SE."""
    return Estimate(config.prior_mean, config.prior_sd, "prior", 0)


def estimate_or_prior(
    bank: ItemBank, items: npt.NDArray[np.intp], answers: npt.NDArray[np.float64], config: CatConfig
) -> Estimate:
    """θ̂ and SE (logits) by the config's method, or the prior before any item was given."""
    if items.size == 0:
        return initialize(config)
    return estimate_history(bank, items, answers, config.method, config.prior_mean, config.prior_sd)


def step_rng(seed: Seed, step: Whole) -> np.random.Generator:
    """Generator for one step, derived from (seed, step) so every worker draws the same numbers.

    seed=None draws fresh entropy (not reproducible); a numpy Generator is used as it is.
    """
    return generator(seed, step_index(step))


def cat_step(
    bank: ItemBank,
    administered: npt.ArrayLike,
    responses: npt.ArrayLike,
    config: CatConfig = DEFAULT_CONFIG,
    seed: Seed = 0,
    step: Whole | None = None,
    exposure: ExposureState | None = None,
) -> CatStep:
    """Estimate θ̂ from the history, apply the stopping rules, then select the next item.

    `responses` holds 1, 0 or NaN (administered but unanswered: it is never given again and does
    not count as evidence). `step` defaults to the number of items administered; `exposure` is
    required for the exposure ceiling to act (see ExposureState). `seed` as in step_rng.
    """
    check_seed(seed)
    check_step(step)
    items, answers = as_history(bank, administered, responses)
    current = estimate_or_prior(bank, items, answers, config)
    reason = stop_reason(config, items.size, current.se, bank.n_items - items.size)
    item: int | None = None
    if reason == StopReason.CONTINUE:
        item = select_next(bank, current.theta, items, config, seed, step, exposure, se=current.se)
        reason = StopReason.EXHAUSTED if item is None else reason
    return CatStep(current.theta, current.se, int(items.size), reason, item)


def next_item(
    bank: ItemBank,
    administered: npt.ArrayLike,
    responses: npt.ArrayLike,
    config: CatConfig = DEFAULT_CONFIG,
    seed: Seed = 0,
    step: Whole | None = None,
    exposure: ExposureState | None = None,
) -> int | None:
    """Index of the next item to administer, or None when the test stops (see cat_step)."""
    return cat_step(bank, administered, responses, config, seed, step, exposure).item


def select_next(
    bank: ItemBank,
    theta: float,
    items: npt.NDArray[np.intp],
    config: CatConfig,
    seed: Seed,
    step: Whole | None,
    exposure: ExposureState | None,
    allowed: npt.NDArray[np.bool_] | None = None,
    se: float | None = None,
) -> int | None:
    """Next item for one session at θ̂ (SE `se` in logits), or None if no candidate is left."""
    taken = np.zeros((1, bank.n_items), dtype=bool)
    taken[0, items] = True
    # Creating a generator costs microseconds; max-information selection never needs one.
    rng = step_rng(seed, items.size if step is None else step) if config.top_k > 1 else None
    spread = None if se is None else np.array([se])
    picks = select_items(
        bank, np.array([theta]), taken, config, rng, exposure, allowed, None, spread
    )
    pick = int(picks[0])
    return None if pick == NO_ITEM else pick
