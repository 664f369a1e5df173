"""Shared fixtures of the IRT tests: seeded banks, simulated learners, brute-force references."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from hypothesis import HealthCheck, settings
from scipy import integrate, special

from learnpath.irt import ItemBank, probability

# No example database on disk, no wall-clock deadline: the tests must be reproducible and
# never depend on machine speed.
FAST = settings(max_examples=60, deadline=None, database=None)
SLOW = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def bank_2pl(n_items: int = 300, seed: int = 0, competency: np.ndarray | None = None) -> ItemBank:
    """The benchmark's kind of bank: a ~ lognormal(0, 0.3), b ~ N(0, 1)."""
    rng = np.random.default_rng(seed)
    return ItemBank(
        a=rng.lognormal(0.0, 0.3, n_items), b=rng.normal(0.0, 1.0, n_items), competency=competency
    )


def answer(bank: ItemBank, item: int, theta: float, rng: np.random.Generator) -> float:
    """A simulated learner's response (1.0 or 0.0) to one item under the bank's model."""
    p = probability(theta, bank.a[item], bank.b[item], bank.c[item], bank.d[item])
    return float(rng.random() < p)


def reference_eap(
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    d: np.ndarray,
    u: np.ndarray,
    mean: float = 0.0,
    sd: float = 1.0,
) -> tuple[float, float]:
    """Posterior mean and SD by adaptive quadrature (scipy.integrate.quad) over a wide range."""
    lo, hi = min(-10.0, mean - 10.0 * sd), max(10.0, mean + 10.0 * sd)

    def log_post(t: float) -> float:
        z = a * (t - b)
        log_p = np.log(c + (d - c) * special.expit(z))
        log_q = np.log((1.0 - d) + (d - c) * special.expit(-z))
        return float(np.sum(np.where(u == 1, log_p, log_q)) - 0.5 * ((t - mean) / sd) ** 2)

    grid = np.linspace(lo, hi, 4001)
    values = np.array([log_post(t) for t in grid])
    peak, mode = values.max(), float(grid[values.argmax()])

    def moment(f: Callable[[float], float]) -> float:
        return integrate.quad(
            lambda t: f(t) * np.exp(log_post(t) - peak),
            lo,
            hi,
            points=[mode],
            limit=500,
            epsabs=1e-13,
            epsrel=1e-11,
        )[0]

    total = moment(lambda t: 1.0)
    center = moment(lambda t: t) / total
    return center, float(np.sqrt(moment(lambda t: (t - center) ** 2) / total))
