"""Simulated 2PL response matrices with known parameters, for benchmarks and tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Simulated:
    """A response matrix with the parameters that produced it."""

    matrix: np.ndarray
    a: np.ndarray
    b: np.ndarray
    theta: np.ndarray


def simulate_2pl(persons: int, items: int, seed: int = 0) -> Simulated:
    """a ~ LogNormal(0, .3), b ~ N(0, 1), θ ~ N(0, 1); every person answers every item."""
    rng = np.random.default_rng(seed)
    a = rng.lognormal(0.0, 0.3, items)
    b = rng.normal(0.0, 1.0, items)
    theta = rng.normal(0.0, 1.0, persons)
    p = 1 / (1 + np.exp(-a[None, :] * (theta[:, None] - b[None, :])))
    matrix = (rng.random((persons, items)) < p).astype(float)
    return Simulated(matrix=matrix, a=a, b=b, theta=theta)
