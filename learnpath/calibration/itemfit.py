"""Item fit of a 2PL: infit and outfit mean squares, Orlando–Thissen S-X², and misfit flags."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from learnpath.calibration.marginal import Marginal
from learnpath.calibration.sumscore import ItemFit, s_x2

MISFIT_RANGE = (0.7, 1.3)  # mean squares outside this band are flagged (Wright & Linacre)


def mean_squares(
    matrix: np.ndarray, theta: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Infit (information-weighted) and outfit (unweighted) mean squares per item."""
    p = 1 / (1 + np.exp(-a[None, :] * (theta[:, None] - b[None, :])))
    seen = ~np.isnan(matrix)
    x = np.where(seen, matrix, 0.0)
    variance = np.where(seen, p * (1 - p), 0.0)
    squared = np.where(seen, (x - p) ** 2, 0.0)
    count = np.maximum(seen.sum(axis=0), 1)
    outfit = np.where(seen, squared / np.maximum(variance, 1e-9), 0.0).sum(axis=0) / count
    infit = squared.sum(axis=0) / np.maximum(variance.sum(axis=0), 1e-9)
    return infit, outfit


def misfits(infit: np.ndarray, outfit: np.ndarray) -> np.ndarray:
    """True where either mean square leaves the accepted band."""
    low, high = MISFIT_RANGE
    return (infit < low) | (infit > high) | (outfit < low) | (outfit > high)


@dataclass
class Fitness:
    """One item's fit: mean squares, S-X² (None without enough complete response patterns)."""

    infit: float
    outfit: float
    sx2: ItemFit
    misfit: bool


def complete_rows(matrix: np.ndarray) -> np.ndarray:
    """The persons who answered every item (S-X² groups persons by their summed score)."""
    return np.asarray(~np.isnan(matrix).any(axis=1))


def item_fit(matrix: np.ndarray, fit: Marginal, alpha: float, min_complete: int) -> list[Fitness]:
    """Infit/outfit against the EAP θ, and S-X² over complete rows; misfit if either says so."""
    infit, outfit = mean_squares(matrix, fit.theta, fit.a, fit.b)
    flags = misfits(infit, outfit)
    complete = complete_rows(matrix)
    if complete.sum() >= min_complete:
        tests = s_x2(matrix[complete], fit.a, fit.b)
    else:
        tests = [ItemFit(None, 0, None)] * matrix.shape[1]
    return [
        Fitness(float(i), float(o), t, bool(flag or (t.p is not None and t.p < alpha)))
        for i, o, t, flag in zip(infit, outfit, tests, flags, strict=True)
    ]


def fits_note(matrix: np.ndarray, min_complete: int) -> list[str]:
    """Why S-X² is missing, when it is."""
    complete = int(complete_rows(matrix).sum())
    if complete >= min_complete:
        return []
    return [f"S-X² needs {min_complete} persons who answered every calibrated item; {complete} did"]
