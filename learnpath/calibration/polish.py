"""The product's estimator: py-irt SVI from two seeds, each polished to the marginal MAP by EM.

SVI (priors centred on the current parameters) stops when its loss plateaus; EM on a quadrature
grid then finishes the job from where SVI stopped, so the estimate is the mode of the marginal
posterior (marginal ML for items without current parameters), what published calibrations
report, and no longer depends on the optimiser's noise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from learnpath.calibration.estimate import Plateau, Progress, fit_2pl, plateaued
from learnpath.calibration.marginal import Marginal, Prior, marginal_map

# Items with current parameters get priors centred on them (log a ± .3, b ± 1: the spread of a
# bank); new items start SVI at a = 1, b = 0 with log a ± 1, b ± 3 and have no prior in EM.
KNOWN_SD, NEW_SD = (0.3, 1.0), (1.0, 3.0)
SEED_AGREEMENT = 0.02  # the two seeds' final b must agree this closely
# SVI only has to reach EM's basin: stop once the mean loss of 15 steps is within .3 % of the
# 15 before (75 steps on 2,000 × 50; the final estimates equal those after 175 steps to 1e-4).
STOP = Plateau(window=15, tolerance=0.003)


@dataclass
class Estimate:
    """The polished fit of the first seed and the facts of the convergence checks."""

    fit: Marginal
    centres: tuple[np.ndarray, np.ndarray]
    converged: bool
    seed_difference_b: float
    seed_difference_svi_b: float
    loss_plateau: bool
    svi_epochs: list[int]
    em_iterations: int


def _priors(ids: list[str], current: Mapping[str, tuple[float, float]]) -> tuple[Prior, Prior]:
    """The SVI priors and the EM priors (the same for known items, none for new ones)."""
    centre_a = np.array([current.get(i, (1.0, 0.0))[0] for i in ids])
    centre_b = np.array([current.get(i, (1.0, 0.0))[1] for i in ids])
    known = np.array([i in current for i in ids])
    sd_log_a = np.where(known, KNOWN_SD[0], NEW_SD[0])
    sd_b = np.where(known, KNOWN_SD[1], NEW_SD[1])
    svi = Prior(np.log(centre_a), sd_log_a, centre_b, sd_b)
    em = Prior(
        svi.log_a, np.where(known, sd_log_a, np.inf), centre_b, np.where(known, sd_b, np.inf)
    )
    return svi, em


def estimate(
    matrix: np.ndarray,
    ids: list[str],
    current: Mapping[str, tuple[float, float]],
    *,
    seed: int,
    epochs: int,
    progress: Progress | None = None,
) -> Estimate:
    """SVI from seeds `seed` and `seed + 1` (at most `epochs` steps each), then EM from both."""
    svi_prior, em_prior = _priors(ids, current)

    def step(offset: int) -> Progress | None:
        if progress is None:
            return None
        return lambda done, _total: progress(offset + done, 2 * epochs)

    fits = [
        fit_2pl(
            matrix,
            priors="informative",
            seed=s,
            epochs=epochs,
            prior_a=np.exp(svi_prior.log_a),
            prior_b=svi_prior.b,
            prior_sd_log_a=svi_prior.sd_log_a,
            prior_sd_b=svi_prior.sd_b,
            progress=step(k * epochs),
            stop=STOP,
        )
        for k, s in enumerate((seed, seed + 1))
    ]
    polished = [marginal_map(matrix, f.a, f.b, em_prior) for f in fits]
    if progress is not None:
        progress(2 * epochs, 2 * epochs)
    difference = float(np.max(np.abs(polished[0].b - polished[1].b)))
    plateau = all(plateaued(f.losses, STOP.window, STOP.tolerance) for f in fits)
    return Estimate(
        fit=polished[0],
        centres=(np.exp(svi_prior.log_a), svi_prior.b),
        converged=plateau and all(p.converged for p in polished) and difference <= SEED_AGREEMENT,
        seed_difference_b=difference,
        seed_difference_svi_b=float(np.max(np.abs(fits[0].b - fits[1].b))),
        loss_plateau=plateau,
        svi_epochs=[f.epochs for f in fits],
        em_iterations=max(p.iterations for p in polished),
    )


def fixed_anchor_fit(matrix: np.ndarray, anchors: np.ndarray, new: int) -> Marginal:
    """Marginal ML of the last `new` columns with the first ones' (a, b) rows of `anchors` fixed."""
    a = np.concatenate([anchors[:, 0], np.ones(new)])
    b = np.concatenate([anchors[:, 1], np.zeros(new)])
    none = np.full(len(a), np.inf)
    fixed = np.arange(len(a)) < len(anchors)
    return marginal_map(matrix, a, b, Prior(np.log(a), none, b, none), fixed=fixed)
