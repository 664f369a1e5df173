"""Summary figures of a simulated CAT: mean length, bias and RMSE of θ̂ (logits), item exposure."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .arguments import Seed, generator, is_whole
from .bank import ItemBank
from .config import CatConfig
from .errors import IRTError
from .simulation import Simulation, simulate
from .stopping import StopReason


def simulation_report(sim: Simulation, thetas: npt.ArrayLike | None = None) -> dict[str, float]:
    """Mean length, bias, RMSE, mean SE, max exposure and share of never-used items of a run.

    `thetas` (logits) replaces the true abilities stored in the simulation, e.g. to score the
    same run against another reference.
    """
    true = sim.thetas if thetas is None else np.asarray(thetas, dtype=np.float64)
    error = sim.theta_hat - true
    return {
        "n_examinees": float(true.size),
        "mean_length": float(np.mean(sim.lengths)),
        "bias": float(np.mean(error)),
        "rmse": float(np.sqrt(np.mean(np.square(error)))),
        "mean_se": float(np.mean(sim.se)),
        "share_se_target_met": float(np.mean(sim.reasons == StopReason.SE_TARGET)),
        "max_exposure": float(np.max(sim.exposure)),
        "never_used_share": float(np.mean(sim.exposure == 0)),
    }


def simulate_report(
    bank: ItemBank,
    n_examinees: int = 1000,
    se_target: float | None = 0.3,
    max_items: int = 40,
    min_items: int = 1,
    exposure: str | None = None,
    seed: Seed = 0,
    config: CatConfig | None = None,
) -> dict[str, float]:
    """Simulate `n_examinees` learners with θ ~ N(0, 1) logits on `bank` and summarize the run.

    This is what `flask --app learnpath simulate` prints for a competency's bank. `seed` as in
    simulate: an integer draws the abilities from (seed, 1) and runs the CATs from seed; None or
    a Generator draws both from one generator.
    """
    if not (is_whole(n_examinees) and n_examinees >= 1):
        raise IRTError(f"n_examinees must be an integer >= 1, got {n_examinees!r}")
    source = generator(seed, 1)
    thetas = source.standard_normal(int(n_examinees))
    # An integer seed keeps two streams (abilities from (seed, 1), the CATs from seed).
    run = seed if is_whole(seed) else source
    sim = simulate(bank, thetas, se_target, max_items, min_items, exposure, run, config=config)
    return simulation_report(sim)
