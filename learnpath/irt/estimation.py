"""Ability estimation (θ in logits): EAP (posterior mean, SD), MAP and bounded MLE by Newton.

MAP maximizes log L(θ) − (θ − μ)²/(2σ²) with SE = 1/√(I(θ̂) + 1/σ²); MLE maximizes log L(θ) on
[−6, 6] with SE = 1/√I(θ̂), so all-correct and all-wrong patterns give a finite boundary estimate
with a large SE instead of ±∞. Unanswered items (NaN responses) are ignored by every method.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .arguments import choice
from .bank import IntArray, ItemBank
from .config import METHODS, Method
from .errors import IRTError
from .models import FloatArray, score_terms
from .quadrature import eap, grid_log_likelihood, make_grid, prior_grid

MLE_BOUNDS = (-6.0, 6.0)
_NEWTON_TOL = 1e-10
_NEWTON_ITERATIONS = 100


@dataclass(frozen=True)
class Estimate:
    """Ability estimate θ̂ and its standard error, both in logits, from `n_answered` responses."""

    theta: float
    se: float
    method: str
    n_answered: int


def as_history(
    bank: ItemBank, items: npt.ArrayLike, responses: npt.ArrayLike
) -> tuple[IntArray, FloatArray]:
    """Validated item indices and responses (1 correct, 0 wrong, NaN unanswered) of one session."""
    index = np.asarray(items)
    if index.size == 0:
        index = index.astype(np.intp)
    if index.ndim != 1 or not np.issubdtype(index.dtype, np.integer):
        raise IRTError(f"items must be a 1-D array of integer indices, got {index.dtype}")
    index = index.astype(np.intp, copy=False)
    if index.size and (index.min() < 0 or index.max() >= bank.n_items):
        raise IRTError(f"items must be indices in [0, {bank.n_items}), got {index.tolist()}")
    seen = np.zeros(bank.n_items, dtype=bool)
    seen[index] = True
    if np.count_nonzero(seen) != index.size:
        raise IRTError("items must not repeat: an item is administered at most once")
    answers = np.asarray(responses, dtype=np.float64)
    if answers.shape != index.shape:
        raise IRTError(f"responses must match items: {answers.shape} vs {index.shape}")
    if np.any((answers != 0) & (answers != 1) & ~np.isnan(answers)):
        raise IRTError("responses must be 1 (correct), 0 (wrong) or NaN (unanswered)")
    return index, answers


def estimate(
    bank: ItemBank,
    items: npt.ArrayLike,
    responses: npt.ArrayLike,
    method: str = "eap",
    prior_mean: float = 0.0,
    prior_sd: float = 1.0,
) -> Estimate:
    """θ̂ and SE in logits by "eap" (posterior mean, SD), "map" or "mle" (any case); NaN: skipped."""
    name = choice("method", method, METHODS)
    if not (np.isfinite(prior_mean) and np.isfinite(prior_sd) and prior_sd > 0):
        raise IRTError(f"prior must be finite with sd > 0, got {prior_mean}, {prior_sd}")
    index, answers = as_history(bank, items, responses)
    return estimate_history(bank, index, answers, name, prior_mean, prior_sd)


def estimate_history(
    bank: ItemBank,
    items: IntArray,
    answers: FloatArray,
    method: Method,
    prior_mean: float,
    prior_sd: float,
) -> Estimate:
    """estimate() on a history already checked by as_history (the web step validates once)."""
    answered = ~np.isnan(answers)
    index, correct = items[answered], answers[answered] == 1.0
    if method == "eap":
        theta, se = eap(bank, index, correct, prior_mean, prior_sd)
    elif method == "map":
        theta, se = _map(bank, index, correct, prior_mean, prior_sd)
    elif index.size == 0:
        # No evidence: the MLE is undefined, report the starting point with infinite SE.
        theta, se = prior_mean, float("inf")
    else:
        theta, se = _mle(bank, index, correct)
    return Estimate(float(theta), float(se), method, int(index.size))


def _map(
    bank: ItemBank, items: IntArray, correct: npt.NDArray[np.bool_], mean: float, sd: float
) -> tuple[float, float]:
    """Posterior mode and SE 1/√(I(θ̂) + 1/σ²) under a N(mean, sd²) prior."""
    grid = prior_grid(mean, sd)
    objective = grid.log_prior + grid_log_likelihood(bank, items, correct, grid.points, True)
    derivatives = _derivatives(bank, items, correct, mean, 1.0 / sd**2)
    theta = _maximize(objective, grid.points, derivatives)
    return theta, float(1.0 / np.sqrt(derivatives(theta)[2]))


def _mle(bank: ItemBank, items: IntArray, correct: npt.NDArray[np.bool_]) -> tuple[float, float]:
    """Likelihood maximum on MLE_BOUNDS and SE 1/√I(θ̂) (infinite if I(θ̂) underflows to 0)."""
    grid = make_grid(0.0, 1.0, MLE_BOUNDS[0], MLE_BOUNDS[1], 0.1)
    objective = grid_log_likelihood(bank, items, correct, grid.points, True)
    derivatives = _derivatives(bank, items, correct, 0.0, 0.0)
    theta = _maximize(objective, grid.points, derivatives)
    info = derivatives(theta)[2]
    return theta, float(1.0 / np.sqrt(info)) if info > 0 else float("inf")


Derivatives = Callable[[float], tuple[float, float, float]]


def _derivatives(
    bank: ItemBank, items: IntArray, correct: npt.NDArray[np.bool_], mean: float, precision: float
) -> Derivatives:
    """θ ↦ (score, curvature, information) of log L(θ) − precision·(θ − mean)²/2."""
    a, b, c, d = bank.a[items], bank.b[items], bank.c[items], bank.d[items]
    u = correct.astype(np.float64)

    def at(theta: float) -> tuple[float, float, float]:
        """Score, curvature and information (1/logit²) of the penalized log-likelihood at θ."""
        score, curvature, info = score_terms(theta, a, b, c, d, u)
        return score - precision * (theta - mean), curvature - precision, info + precision

    return at


def _maximize(objective: FloatArray, points: FloatArray, derivatives: Derivatives) -> float:
    """Global maximum: best grid point, then Newton on the score inside a sign-change bracket."""
    best = int(np.argmax(objective))
    score = derivatives(float(points[best]))[0]
    step = 1 if score > 0 else -1
    if not 0 <= best + step < points.size:
        return float(points[best])  # the maximum sits on the boundary of the search range
    lo, hi = sorted((float(points[best]), float(points[best + step])))
    if derivatives(lo)[0] <= 0 or derivatives(hi)[0] >= 0:
        return float(points[best])  # no sign change to refine: keep the grid maximum
    return _newton_in_bracket(derivatives, lo, hi)


def _newton_in_bracket(derivatives: Derivatives, lo: float, hi: float) -> float:
    """Root of a decreasing score in [lo, hi]: Newton steps, bisection when a step leaves it."""
    theta = 0.5 * (lo + hi)
    for _ in range(_NEWTON_ITERATIONS):
        score, curvature, info = derivatives(theta)
        lo, hi = (theta, hi) if score > 0 else (lo, theta)
        # Observed curvature where concave; the (positive) Fisher information otherwise.
        slope = curvature if curvature < 0 else -info
        candidate = theta - score / slope
        if not lo < candidate < hi:
            candidate = 0.5 * (lo + hi)
        if abs(candidate - theta) < _NEWTON_TOL or hi - lo < _NEWTON_TOL:
            return candidate
        theta = candidate
    return theta
