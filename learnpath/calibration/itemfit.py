"""Item fit: infit and outfit mean squares of a 2PL fit, and the misfit flag."""

from __future__ import annotations

import numpy as np

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
