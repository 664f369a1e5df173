"""Correlated competencies: EAP under a multivariate normal prior, one θ (logits) per competency.

Between-item multidimensional model: each item measures one competency k, and the abilities
θ = μ + σ·t have a prior t ~ N(0, R) with unit variances and correlations R. R is taken in its
one-factor form t_k = λ_k·η + ψ_k·ε_k (η, ε ~ N(0, 1) independent, ψ_k = √(1 − λ_k²)): exact
for any 2 × 2 matrix and for equal correlations (λ_k = √ρ), otherwise the closest one-factor
matrix off the diagonal. Given η the competencies are independent, so every posterior integral
is a sum over a (η, t) grid per competency: D × 121 × 121 terms instead of 121^D, and the
marginal posterior of θ_k is exact (no Gaussian approximation of the other competencies):

    p(t_k | u) ∝ L_k(t_k) ∫ φ(η) N(t_k; λ_k η, ψ_k²) Π_{j≠k} m_j(η) dη,
    m_j(η) = ∫ N(t_j; λ_j η, ψ_j²) L_j(t_j) dt_j

An answer on one competency therefore moves the others through η ("borrowing strength").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .bank import IntArray, ItemBank
from .errors import IRTError
from .models import FloatArray
from .quadrature import grid_log_likelihood

HALF_WIDTH, STEP = 6.0, 0.1  # the standardized grid of t and η: 121 points over [−6, 6]
# Loadings are kept below this so every ψ_k ≥ 0.31 (≥ 3 grid steps): the kernel stays smooth.
MAX_LOADING = 0.95
_FIT_ROUNDS = 200
_T = np.linspace(-HALF_WIDTH, HALF_WIDTH, round(2 * HALF_WIDTH / STEP) + 1)
_LOG_PHI = -0.5 * np.square(_T)


@dataclass(frozen=True, eq=False)
class JointPrior:
    """Prior θ ~ N(mean, diag(sd)·R·diag(sd)) over the bank's competency labels, in logits."""

    labels: tuple[str, ...]
    mean: FloatArray
    sd: FloatArray
    loadings: FloatArray  # one-factor loadings λ of R (|λ| ≤ MAX_LOADING)

    @classmethod
    def of(
        cls,
        labels: tuple[str, ...],
        correlation: npt.ArrayLike,
        mean: npt.ArrayLike | None = None,
        sd: npt.ArrayLike | None = None,
    ) -> JointPrior:
        """Prior from a correlation matrix (or one ρ for every pair), means and SDs per label."""
        n = len(labels)
        matrix = _correlation_matrix(correlation, n)
        means = np.zeros(n) if mean is None else np.asarray(mean, dtype=np.float64)
        sds = np.ones(n) if sd is None else np.asarray(sd, dtype=np.float64)
        if means.shape != (n,) or sds.shape != (n,):
            raise IRTError(f"prior mean and sd need one value per competency ({n})")
        if not (np.all(np.isfinite(means)) and np.all(np.isfinite(sds)) and np.all(sds > 0)):
            raise IRTError(f"prior must be finite with sd > 0, got {means}, {sds}")
        return cls(tuple(labels), means, sds, one_factor(matrix))

    @property
    def correlation(self) -> FloatArray:
        """The correlation matrix the posterior uses: λλᵀ off the diagonal, 1 on it."""
        matrix = np.outer(self.loadings, self.loadings)
        np.fill_diagonal(matrix, 1.0)
        return matrix


def _correlation_matrix(correlation: npt.ArrayLike, n: int) -> FloatArray:
    """A validated n × n correlation matrix; a scalar ρ means ρ for every pair."""
    matrix = np.asarray(correlation, dtype=np.float64)
    if matrix.ndim == 0:
        matrix = np.full((n, n), float(matrix))
        np.fill_diagonal(matrix, 1.0)
    if matrix.shape != (n, n) or not np.allclose(matrix, matrix.T):
        raise IRTError(f"correlation must be a symmetric {n} x {n} matrix or one number")
    if np.any(np.abs(matrix) > 1) or not np.allclose(np.diag(matrix), 1.0):
        raise IRTError("correlation must have 1 on the diagonal and values in [-1, 1]")
    return matrix


def one_factor(matrix: FloatArray) -> FloatArray:
    """Loadings λ minimizing Σ_{j≠k} (r_jk − λ_j λ_k)² (exact for 2 × 2 and equal correlations)."""
    return np.array(_one_factor(tuple(map(float, matrix.ravel())), matrix.shape[0]))


@lru_cache(maxsize=64)
def _one_factor(entries: tuple[float, ...], n: int) -> tuple[float, ...]:
    """one_factor on a flattened matrix, memoized: a web step rebuilds the same prior each time."""
    matrix = np.array(entries).reshape(n, n)
    off = matrix[~np.eye(n, dtype=bool)]
    if n == 1:
        return (0.0,)
    if n == 2 or (np.allclose(off, off[0]) and off[0] >= 0):
        rho = float(off[0])
        root = np.sqrt(abs(rho))
        loadings = np.full(n, root)
        loadings[1:] *= np.sign(rho) if rho else 1.0
    else:
        loadings = _fit_loadings(matrix - np.diag(np.diag(matrix)))
    return tuple(float(x) for x in np.clip(loadings, -MAX_LOADING, MAX_LOADING))


def _fit_loadings(off: FloatArray) -> FloatArray:
    """Alternating least squares, one loading at a time, until the loadings stop moving."""
    n = off.shape[0]
    loadings = np.sqrt(np.maximum(np.abs(off).sum(1) / (n - 1), 1e-6))
    for _ in range(_FIT_ROUNDS):
        before = loadings.copy()
        for k in range(n):
            others = np.arange(n) != k
            loadings[k] = (
                off[k, others]
                @ loadings[others]
                / max(float(loadings[others] @ loadings[others]), 1e-12)
            )
        if np.max(np.abs(loadings - before)) < 1e-12:
            break
    return loadings


@lru_cache(maxsize=64)
def _kernel(loading: float) -> FloatArray:
    """N(t; λη, ψ²) on the (η, t) grid, rows η, up to a constant factor (it cancels)."""
    psi2 = 1.0 - loading * loading
    table = np.exp(-0.5 * np.square(_T[None, :] - loading * _T[:, None]) / psi2)
    table.flags.writeable = False
    return table


@dataclass(frozen=True, eq=False)
class JointPosterior:
    """Marginal posterior of each competency on its grid θ_k = μ_k + σ_k·t, and its moments."""

    labels: tuple[str, ...]
    points: FloatArray  # competencies × grid: θ (logits)
    weights: FloatArray  # competencies × grid: posterior mass per point, rows sum to 1
    mean: FloatArray
    sd: FloatArray

    def probability_above(self, code: int, cuts: npt.ArrayLike) -> FloatArray:
        """P(θ_k ≥ c | answers) per cut c (the grid cell that holds c counts in part)."""
        return self.weights[code] @ above(self.points[code], cuts)


def above(points: FloatArray, cuts: npt.ArrayLike) -> FloatArray:
    """Grid × cuts share of each point's cell at or above each cut (a midpoint rule, O(h²))."""
    step = float(points[1] - points[0])
    edges = np.asarray(cuts, dtype=np.float64).reshape(1, -1)
    return np.asarray(np.clip((points[:, None] - edges) / step + 0.5, 0.0, 1.0))


def joint_eap(
    bank: ItemBank, items: IntArray, answers: FloatArray, prior: JointPrior
) -> JointPosterior:
    """Exact marginal posteriors of every competency under the joint prior (NaN: unanswered)."""
    if prior.labels != bank.labels:
        raise IRTError(f"prior labels {prior.labels} differ from the bank's {bank.labels}")
    answered = ~np.isnan(answers)
    items, correct = items[answered], answers[answered] == 1.0
    points = prior.mean[:, None] + prior.sd[:, None] * _T[None, :]
    likelihood = np.empty_like(points)
    for code in range(len(prior.labels)):
        mine = bank.codes[items] == code
        log_lik = grid_log_likelihood(bank, items[mine], correct[mine], points[code], True)
        likelihood[code] = np.exp(log_lik - log_lik.max())
    kernels = [_kernel(float(loading)) for loading in prior.loadings]
    # log m_k(η) = log ∫ N(t; λ_k η, ψ_k²) L_k(t) dt: each competency's evidence about η.
    stacked = np.stack([k @ lik for k, lik in zip(kernels, likelihood, strict=True)])
    log_m = np.log(np.maximum(stacked, 1e-300))
    total = _LOG_PHI + log_m.sum(0)
    weights = np.empty_like(points)
    for code, kernel in enumerate(kernels):
        others = total - log_m[code]  # φ(η) Π_{j≠k} m_j(η)
        density = likelihood[code] * (np.exp(others - others.max()) @ kernel)
        weights[code] = density / density.sum()
    mean = (weights * points).sum(1)
    sd = np.sqrt(np.maximum((weights * np.square(points)).sum(1) - np.square(mean), 0.0))
    return JointPosterior(prior.labels, points, weights, mean, sd)
