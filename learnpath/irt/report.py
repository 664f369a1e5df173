"""Summary figures of a simulated CAT: mean length, bias and RMSE of θ̂ (logits), item exposure."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .bank import ItemBank
from .config import CatConfig
from .simulation import Exposure, Simulation, simulate
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
    exposure: Exposure | None = None,
    seed: int = 0,
    config: CatConfig | None = None,
) -> dict[str, float]:
    """Simulate `n_examinees` learners with θ ~ N(0, 1) logits on `bank` and summarize the run.

    This is what `flask --app learnpath simulate` prints for a competency's bank.
    """
    thetas = np.random.default_rng((seed, 1)).standard_normal(n_examinees)
    sim = simulate(bank, thetas, se_target, max_items, min_items, exposure, seed, config=config)
    return simulation_report(sim)
