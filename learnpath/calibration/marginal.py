"""Marginal MAP 2PL by Bock–Aitkin EM: θ ~ N(0, 1) on a quadrature grid, Fisher-scoring M-steps.

P(x = 1 | θ) = 1 / (1 + exp(−a(θ − b))); a prior log a ~ N(m_a, s_a), b ~ N(m_b, s_b) per item
(an infinite SD means no prior: marginal ML). Used to polish the SVI solution into the estimate
that published marginal-ML calibrations report, starting from where SVI stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

GRID = np.linspace(-6.0, 6.0, 61)
A_RANGE, B_RANGE = (0.05, 8.0), (-10.0, 10.0)  # keep separated items finite


@dataclass
class Prior:
    """Per-item normal priors on log a and b; np.inf SDs mean none (marginal ML)."""

    log_a: np.ndarray
    sd_log_a: np.ndarray
    b: np.ndarray
    sd_b: np.ndarray


@dataclass
class Marginal:
    """Marginal MAP item parameters, their SEs (empirical information) and EAP θ per person."""

    a: np.ndarray
    b: np.ndarray
    se_a: np.ndarray
    se_b: np.ndarray
    theta: np.ndarray
    iterations: int
    converged: bool


def _probabilities(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """P (items × grid points)."""
    return 1 / (1 + np.exp(-a[:, None] * (GRID[None, :] - b[:, None])))


def _log_weights(mean: float = 0.0, sd: float = 1.0) -> np.ndarray:
    """Log quadrature weights of N(mean, sd) on the grid, normalised."""
    log_w = -(((GRID - mean) / sd) ** 2) / 2
    return np.asarray(log_w - np.log(np.exp(log_w).sum()))


def _posterior(
    x: np.ndarray, seen: np.ndarray, p: np.ndarray, log_weights: np.ndarray
) -> np.ndarray:
    """Posterior weights of the grid points per person (persons × grid); p is items × grid."""
    p = np.clip(p, 1e-12, 1 - 1e-12)
    log_l = x @ np.log(p) + (seen - x) @ np.log1p(-p) + log_weights[None, :]
    log_l -= log_l.max(axis=1, keepdims=True)
    post = np.exp(log_l)
    return np.asarray(post / post.sum(axis=1, keepdims=True))


def _scoring_step(
    a: np.ndarray, b: np.ndarray, r: np.ndarray, n: np.ndarray, prior: Prior
) -> tuple[np.ndarray, np.ndarray]:
    """One Fisher-scoring step per item on the expected complete-data log posterior."""
    p = _probabilities(a, b)
    centred = GRID[None, :] - b[:, None]
    residual, info = r - n * p, n * p * (1 - p)
    grad_a = (residual * centred).sum(axis=1) - (np.log(a) - prior.log_a) / (prior.sd_log_a**2 * a)
    grad_b = -a * residual.sum(axis=1) - (b - prior.b) / prior.sd_b**2
    i_aa = (info * centred**2).sum(axis=1) + 1 / (prior.sd_log_a**2 * a**2)
    i_bb = a**2 * info.sum(axis=1) + 1 / prior.sd_b**2
    i_ab = -a * (info * centred).sum(axis=1)
    det = np.maximum(i_aa * i_bb - i_ab**2, 1e-12)
    step_a = (i_bb * grad_a - i_ab * grad_b) / det
    step_b = (i_aa * grad_b - i_ab * grad_a) / det
    return np.clip(a + step_a, *A_RANGE), np.clip(b + step_b, *B_RANGE)


def _standard_errors(
    x: np.ndarray, seen: np.ndarray, post: np.ndarray, a: np.ndarray, b: np.ndarray, prior: Prior
) -> tuple[np.ndarray, np.ndarray]:
    """SEs from each item's cross-product of per-person marginal scores plus its prior."""
    p = _probabilities(a, b)
    residual = x - seen * (post @ p.T)  # persons × items: x − E[P]
    expected_theta = post @ GRID
    score_a = seen * (x * (expected_theta[:, None] - b) - post @ (p * (GRID - b[:, None])).T)
    score_b = -a * residual
    i_aa = (score_a**2).sum(axis=0) + 1 / (prior.sd_log_a**2 * a**2)
    i_bb = (score_b**2).sum(axis=0) + 1 / prior.sd_b**2
    i_ab = (score_a * score_b).sum(axis=0)
    det = np.maximum(i_aa * i_bb - i_ab**2, 1e-12)
    return np.sqrt(i_bb / det), np.sqrt(i_aa / det)


def marginal_map(
    matrix: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    prior: Prior,
    *,
    fixed: np.ndarray | None = None,
    tolerance: float = 1e-4,
    max_iterations: int = 500,
) -> Marginal:
    """EM from (a, b) until no parameter moves more than the tolerance; NaN = not presented.

    Items marked `fixed` keep (a, b) and set the scale; then θ ~ N(μ, σ) with μ and σ estimated
    too (fixed-parameter calibration), else θ ~ N(0, 1) sets it.
    """
    with threadpool_limits(1):  # one BLAS thread: on shared cores many are 10× slower
        return _em(matrix, a, b, prior, fixed, tolerance, max_iterations)


def _em(
    matrix: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    prior: Prior,
    fixed: np.ndarray | None,
    tolerance: float,
    max_iterations: int,
) -> Marginal:
    """The EM loop of marginal_map."""
    seen = (~np.isnan(matrix)).astype(float)
    x = np.nan_to_num(matrix, nan=0.0)
    free = np.ones(len(a), bool) if fixed is None else ~fixed
    a, b = np.clip(a, *A_RANGE).astype(float), np.clip(b, *B_RANGE).astype(float)
    log_w, iteration, converged = _log_weights(), 0, False
    while iteration < max_iterations and not converged:
        iteration += 1
        post = _posterior(x, seen, _probabilities(a, b), log_w)
        if not free.all():
            log_w = _population(post)
        r, n = x.T @ post, seen.T @ post
        new_a, new_b = _scoring_step(a, b, r, n, prior)
        new_a, new_b = np.where(free, new_a, a), np.where(free, new_b, b)
        converged = bool(max(np.abs(new_a - a).max(), np.abs(new_b - b).max()) < tolerance)
        a, b = new_a, new_b
    post = _posterior(x, seen, _probabilities(a, b), log_w)
    se_a, se_b = _standard_errors(x, seen, post, a, b, prior)
    return Marginal(a, b, se_a, se_b, post @ GRID, iteration, converged)


def _population(post: np.ndarray) -> np.ndarray:
    """Log weights of the normal matching the mean and SD of the persons' posteriors."""
    mean = float((post @ GRID).mean())
    second = float((post @ GRID**2).mean())
    return _log_weights(mean, max(np.sqrt(max(second - mean**2, 0.0)), 0.1))
