"""EAP by quadrature: θ̂ = ∫θ·L(θ)φ(θ; μ, σ)dθ / ∫L(θ)φ(θ; μ, σ)dθ, SE = posterior SD (logits).

The integrals use the trapezoid rule on a uniform grid, by default 121 points over [−6, 6]. The
integrand is analytic and decays like the normal prior, so the rule converges geometrically and
matches integration over the whole real line to far below 1e-6 once the grid covers the posterior
and its step is below the posterior SD; `eap` checks both and widens or refines the grid if not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .bank import ItemBank
from .models import FloatArray, log_probabilities

DEFAULT_HALF_WIDTH = 6.0
DEFAULT_STEP = 0.1
# Mass beyond a grid edge times (1 + squared distance to the mean) that truncation may drop: the
# EAP error is then below 1e-7 and the SD error below 1e-6 for any posterior SD above 0.05.
# The N(0, 1) prior alone on [−6, 6] scores 4e-8, so typical patterns need a single pass.
TAIL_TOLERANCE = 1e-7
# The trapezoid error on a Gaussian-like posterior is ~exp(−2π²(SD/step)²): 3e-9 at SD = step.
MIN_SD_IN_STEPS = 1.0
_MAX_PASSES = 6
_CACHED_GRIDS = 8
_EDGES, _INNER = np.array([0, -1]), np.array([1, -2])


@dataclass(frozen=True, eq=False)
class Grid:
    """Uniform quadrature grid over θ (logits) with the log N(μ, σ²) prior density on it."""

    points: FloatArray
    log_prior: FloatArray
    step: float
    # Columns 1, θ, θ²: one matrix product gives the three posterior sums.
    powers: FloatArray


def make_grid(prior_mean: float, prior_sd: float, lo: float, hi: float, step: float) -> Grid:
    """Grid of step ≤ `step` covering [lo, hi] with the unnormalized log prior −(θ − μ)²/(2σ²)."""
    n = int(np.ceil((hi - lo) / step - 1e-9)) + 1
    points = np.linspace(lo, hi, n)
    log_prior = -0.5 * np.square((points - prior_mean) / prior_sd)
    powers = np.column_stack([np.ones_like(points), points, np.square(points)])
    for array in (points, log_prior, powers):
        array.flags.writeable = False
    return Grid(points, log_prior, float(points[1] - points[0]), powers)


@lru_cache(maxsize=256)
def prior_grid(prior_mean: float = 0.0, prior_sd: float = 1.0) -> Grid:
    """Default grid for a prior: [−6, 6] stretched to μ ± 6σ, step 0.1 or σ/4 if smaller."""
    lo = min(-DEFAULT_HALF_WIDTH, prior_mean - DEFAULT_HALF_WIDTH * prior_sd)
    hi = max(DEFAULT_HALF_WIDTH, prior_mean + DEFAULT_HALF_WIDTH * prior_sd)
    return make_grid(prior_mean, prior_sd, lo, hi, min(DEFAULT_STEP, prior_sd / 4.0))


def log_likelihood_table(bank: ItemBank, points: FloatArray) -> FloatArray:
    """log P(u | θ) of every item at every grid point: row i = item i wrong, row n + i = correct.

    Memoized on the (immutable) bank per grid, a few grids at most, so a web worker pays the
    (items × points) transcendental work once and every later step only gathers rows.
    """
    key = (float(points[0]), float(points[-1]), int(points.size))
    table = bank.cache.get(key)
    if table is None:
        log_p, log_q = log_probabilities(
            points, bank.a[:, None], bank.b[:, None], bank.c[:, None], bank.d[:, None]
        )
        table = np.concatenate([log_q, log_p])
        table.flags.writeable = False
        if len(bank.cache) >= _CACHED_GRIDS:
            bank.cache.pop(next(iter(bank.cache)))
        bank.cache[key] = table
    return table


def grid_log_likelihood(
    bank: ItemBank, items: np.ndarray, correct: np.ndarray, points: FloatArray, cached: bool
) -> FloatArray:
    """Σ log P(u_i | θ) over the answered items at every grid point (log of the likelihood)."""
    if items.size == 0:
        return np.zeros_like(points)
    if cached:
        return np.asarray(log_likelihood_table(bank, points)[items + bank.n_items * correct].sum(0))
    a, b = bank.a[items, None], bank.b[items, None]
    log_p, log_q = log_probabilities(points, a, b, bank.c[items, None], bank.d[items, None])
    return np.asarray(np.where(correct[:, None], log_p, log_q).sum(axis=0))


def posterior_moments(
    log_post: FloatArray, grid: Grid
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Posterior mean, SD and a truncation-error bound from log posterior rows on the grid."""
    weights = np.exp(log_post - log_post.max(axis=-1, keepdims=True))
    sums = weights @ grid.powers
    total = sums[..., 0]
    mean = sums[..., 1] / total
    var = np.maximum(sums[..., 2] / total - np.square(mean), 0.0)
    return mean, np.sqrt(var), _tail_error(log_post, weights, total, mean, grid.points)


def _tail_error(
    log_post: FloatArray, weights: FloatArray, total: FloatArray, mean: FloatArray, pts: FloatArray
) -> FloatArray:
    """Estimated mass beyond either grid edge × (1 + squared distance of that edge to the mean).

    Exponential tail: the mass beyond an edge ≈ w_edge / decay rate, the rate taken from the last
    grid interval; a flat or rising edge gives a huge value: the grid misses the posterior.
    """
    step = float(pts[1] - pts[0])
    if log_post.ndim == 1:
        # One web session: plain floats, a fraction of the cost of numpy calls on 2-vectors.
        return np.asarray(
            max(
                _edge_error(
                    float(log_post[e]),
                    float(log_post[i]),
                    float(weights[e]),
                    float(total),
                    float(pts[e]) - float(mean),
                    step,
                )
                for e, i in ((0, 1), (-1, -2))
            )
        )
    rate = np.maximum((log_post[:, _INNER] - log_post[:, _EDGES]) / step, 1e-12)
    mass = weights[:, _EDGES] / (rate * (step * total[:, None]))
    return np.asarray((mass * (1.0 + np.square(pts[_EDGES] - mean[:, None]))).max(axis=1))


def _edge_error(
    log_edge: float, log_inner: float, weight: float, total: float, reach: float, step: float
) -> float:
    """The tail estimate of _tail_error for one edge of one posterior."""
    rate = max((log_inner - log_edge) / step, 1e-12)
    return weight / (rate * step * total) * (1.0 + reach * reach)


def eap(
    bank: ItemBank,
    items: np.ndarray,
    correct: np.ndarray,
    prior_mean: float = 0.0,
    prior_sd: float = 1.0,
) -> tuple[float, float]:
    """EAP θ̂ and posterior SD (logits) of the answered items under a N(μ, σ²) prior."""
    grid = prior_grid(prior_mean, prior_sd)
    lo, hi, step = float(grid.points[0]), float(grid.points[-1]), grid.step
    for attempt in range(_MAX_PASSES):
        log_lik = grid_log_likelihood(bank, items, correct, grid.points, cached=attempt == 0)
        mean, sd, tail = posterior_moments(grid.log_prior + log_lik, grid)
        too_wide_tail, too_coarse = bool(tail > TAIL_TOLERANCE), bool(sd < MIN_SD_IN_STEPS * step)
        if not (too_wide_tail or too_coarse):
            break
        # Rare patterns only: widen both edges and/or refine the step, then integrate again.
        widen = 4.0 * max(prior_sd, 1.0) if too_wide_tail else 0.0
        lo, hi = lo - widen, hi + widen
        step = max(float(sd) / 4.0, 1e-3) if too_coarse else step
        grid = make_grid(prior_mean, prior_sd, lo, hi, step)
    return float(mean), float(sd)
