"""Logistic item response models (1PL to 4PL): probability, log-probability, Fisher information.

Model: P(θ) = c + (d − c)·σ(a(θ − b)) with σ(z) = 1 / (1 + e^(−z)). θ and b are in logits of
the ability scale, a in 1/logit, c (lower asymptote) and d (upper asymptote) are probabilities;
information is in 1/logit². Every function is elementwise and broadcasts its arguments, so the
caller picks the shapes (e.g. θ[:, None] against item arrays gives examinees × items).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
ArrayOrFloat = FloatArray | float

# Below this, P·Q is treated as exact zero so information never divides 0 by 0.
_TINY = float(np.finfo(np.float64).tiny)


def logistic(z: ArrayOrFloat) -> FloatArray:
    """Logistic function σ(z) = 1 / (1 + e^(−z)), to full relative precision in both tails."""
    return _logistic_pair(z)[0]


def _logistic_pair(z: ArrayOrFloat) -> tuple[FloatArray, FloatArray]:
    """σ(z) and 1 − σ(z) = σ(−z), each from e^(−|z|) ≤ 1: no overflow and no cancellation."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    big, small = 1.0 / (1.0 + e), e / (1.0 + e)
    positive = z >= 0
    return np.where(positive, big, small), np.where(positive, small, big)


def log_logistic(z: ArrayOrFloat) -> FloatArray:
    """Natural log of the logistic function, log σ(z) = −log(1 + e^(−z)), stable for any z."""
    return np.asarray(-np.logaddexp(0.0, -np.asarray(z, dtype=np.float64)))


def probability(
    theta: ArrayOrFloat,
    a: ArrayOrFloat,
    b: ArrayOrFloat,
    c: ArrayOrFloat = 0.0,
    d: ArrayOrFloat = 1.0,
) -> FloatArray:
    """4PL probability of a correct answer P(θ) = c + (d − c)·σ(a(θ − b)), a value in [c, d]."""
    lower = np.asarray(c, dtype=np.float64)
    upper = np.asarray(d, dtype=np.float64)
    p = lower + (upper - lower) * logistic(np.multiply(a, np.subtract(theta, b)))
    # Rounding in c + (d − c)·σ can leave [c, d] by one ulp; clip so the bound is exact.
    return np.asarray(np.clip(p, lower, upper))


def log_probabilities(
    theta: ArrayOrFloat,
    a: ArrayOrFloat,
    b: ArrayOrFloat,
    c: ArrayOrFloat = 0.0,
    d: ArrayOrFloat = 1.0,
) -> tuple[FloatArray, FloatArray]:
    """Log P(θ) and log(1 − P(θ)) of the 4PL model, accurate even where P or 1 − P underflows."""
    z = np.multiply(a, np.subtract(theta, b))
    lower = np.asarray(c, dtype=np.float64)
    upper = np.asarray(d, dtype=np.float64)
    with np.errstate(divide="ignore"):
        # log 0 = −inf is exact here: logaddexp(−inf, x) = x recovers the 2PL case.
        log_c, log_1md, log_dmc = np.log(lower), np.log(1.0 - upper), np.log(upper - lower)
    log_p = np.logaddexp(log_c, log_dmc + log_logistic(z))
    log_q = np.logaddexp(log_1md, log_dmc + log_logistic(-z))
    return np.asarray(log_p), np.asarray(log_q)


def information(
    theta: ArrayOrFloat,
    a: ArrayOrFloat,
    b: ArrayOrFloat,
    c: ArrayOrFloat = 0.0,
    d: ArrayOrFloat = 1.0,
) -> FloatArray:
    """4PL Fisher information I(θ) = P′(θ)² / (P(θ)(1 − P(θ))) in 1/logit², never negative."""
    lower, upper = np.asarray(c, dtype=np.float64), np.asarray(d, dtype=np.float64)
    span = upper - lower
    sig, sig_c = _logistic_pair(np.multiply(a, np.subtract(theta, b)))
    # P and 1 − P each from its own tail, so information stays accurate where it is tiny.
    p, q = lower + span * sig, (1.0 - upper) + span * sig_c
    slope = np.multiply(a, span) * sig * sig_c
    return np.asarray(slope * slope / np.maximum(p * q, _TINY))


def information_2pl(theta: ArrayOrFloat, a: ArrayOrFloat, b: ArrayOrFloat) -> FloatArray:
    """2PL Fisher information I(θ) = a²σ(z)(1 − σ(z)) = a²e^(−|z|)/(1 + e^(−|z|))², z = a(θ − b)."""
    # e^(−|z|) ≤ 1 never overflows, and exp is much cheaper than tanh; in-place steps keep the
    # (sessions × items) hot path of selection down to two temporary arrays.
    z = np.asarray(np.multiply(a, np.subtract(theta, b)), dtype=np.float64)
    np.abs(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    denominator = np.add(z, 1.0, out=np.empty_like(z))
    np.square(denominator, out=denominator)
    np.divide(np.square(a), denominator, out=denominator)
    denominator *= z
    return denominator


def score_terms(
    theta: float,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    d: FloatArray,
    u: FloatArray,
) -> tuple[float, float, float]:
    """First and second θ-derivatives of the 4PL log-likelihood and the test information at θ."""
    # Clipping z keeps σ and 1 − σ strictly positive, so no ratio below divides by zero;
    # at |z| = 500 every term is already far below double precision of the sums.
    z = np.clip(a * (theta - b), -500.0, 500.0)
    sig, sig_c = 1.0 / (1.0 + np.exp(-z)), 1.0 / (1.0 + np.exp(z))
    span = d - c
    p, q = c + span * sig, (1.0 - d) + span * sig_c
    d1 = a * span * sig * sig_c
    d2 = a * d1 * (sig_c - sig)
    r_p, r_q = d1 / p, d1 / q
    score = float(np.sum(u * r_p - (1.0 - u) * r_q))
    curvature = float(np.sum(u * (d2 / p - r_p * r_p) - (1.0 - u) * (d2 / q + r_q * r_q)))
    return score, curvature, float(np.sum(d1 * d1 / (p * q)))
