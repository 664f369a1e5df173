"""Linking a calibration to the existing scale: mean/sigma and Stocking–Lord over anchors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

GRID = np.linspace(-4, 4, 41)
WEIGHTS = np.exp(-(GRID**2) / 2) / np.exp(-(GRID**2) / 2).sum()
UNSTABLE_B = 0.5  # an anchor whose linked b moves more than this is dropped and linking redone


@dataclass
class Link:
    """θ_old = A·θ_new + B; so b_old = A·b + B and a_old = a / A."""

    A: float
    B: float
    method: str
    anchors: list[int]
    dropped: list[int]

    def apply(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """New parameters expressed on the old scale."""
        return a / self.A, self.A * b + self.B


def mean_sigma(b_new: np.ndarray, b_old: np.ndarray) -> tuple[float, float]:
    """Constants matching the mean and SD of anchor difficulties."""
    A = float(np.std(b_old) / np.std(b_new))
    return A, float(np.mean(b_old) - A * np.mean(b_new))


def _tcc(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Test characteristic curve over the grid."""
    return (1 / (1 + np.exp(-a[None, :] * (GRID[:, None] - b[None, :])))).sum(axis=1)


def stocking_lord(
    a_new: np.ndarray, b_new: np.ndarray, a_old: np.ndarray, b_old: np.ndarray
) -> tuple[float, float]:
    """Constants minimising the N(0,1)-weighted squared distance of the anchors' TCCs."""
    target = _tcc(a_old, b_old)

    def loss(x: np.ndarray) -> float:
        return float((WEIGHTS * (target - _tcc(a_new / x[0], x[0] * b_new + x[1])) ** 2).sum())

    start = np.array(mean_sigma(b_new, b_old))
    found = minimize(loss, start, method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-10})
    return float(found.x[0]), float(found.x[1])


def link(
    a_new: np.ndarray,
    b_new: np.ndarray,
    a_old: np.ndarray,
    b_old: np.ndarray,
    anchors: list[int],
    method: str = "stocking-lord",
) -> Link:
    """Link over the anchors, dropping unstable ones (linked b moved > .5) once."""

    def constants(use: list[int]) -> tuple[float, float]:
        if method == "mean-sigma":
            return mean_sigma(b_new[use], b_old[use])
        return stocking_lord(a_new[use], b_new[use], a_old[use], b_old[use])

    A, B = constants(anchors)
    moved = np.abs(A * b_new[anchors] + B - b_old[anchors])
    stable = [i for i, m in zip(anchors, moved, strict=True) if m <= UNSTABLE_B]
    dropped = sorted(set(anchors) - set(stable))
    if dropped and len(stable) >= 3:
        A, B = constants(stable)
    else:
        stable, dropped = list(anchors), []
    return Link(A=A, B=B, method=method, anchors=stable, dropped=dropped)
