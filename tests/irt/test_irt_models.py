"""Properties of the 1PL-4PL response functions: bounds, monotonicity, information."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from irt_testkit import FAST

from learnpath.irt import ItemBank, information, log_probabilities, probability
from learnpath.irt.models import information_2pl, score_terms

thetas = st.floats(-8, 8)
discriminations = st.floats(0.2, 4.0)
difficulties = st.floats(-4, 4)


@st.composite
def asymptotes(draw: st.DrawFn) -> tuple[float, float]:
    """A lower asymptote c in [0, 0.4] and an upper d in (c, 1]."""
    c = draw(st.floats(0.0, 0.4))
    return c, draw(st.floats(max(0.6, c + 0.01), 1.0))


@FAST
@given(thetas, thetas, discriminations, difficulties, asymptotes())
def test_probability_is_monotone_in_ability_and_within_asymptotes(
    t1: float, t2: float, a: float, b: float, cd: tuple[float, float]
) -> None:
    c, d = cd
    low, high = sorted((t1, t2))
    p_low, p_high = probability(low, a, b, c, d), probability(high, a, b, c, d)
    assert c <= p_low <= p_high <= d


@FAST
@given(thetas, discriminations, difficulties, asymptotes())
def test_information_is_non_negative_and_matches_its_definition(
    theta: float, a: float, b: float, cd: tuple[float, float]
) -> None:
    c, d = cd
    h = 1e-5
    slope = (probability(theta + h, a, b, c, d) - probability(theta - h, a, b, c, d)) / (2 * h)
    p = probability(theta, a, b, c, d)
    info = information(theta, a, b, c, d)
    assert info >= 0
    assume(p * (1 - p) > 1e-6)  # where finite differences of P still resolve the slope
    np.testing.assert_allclose(info, slope**2 / (p * (1 - p)), rtol=1e-5, atol=1e-9)


@FAST
@given(discriminations, difficulties)
def test_2pl_information_peaks_at_b_with_value_a_squared_over_4(a: float, b: float) -> None:
    grid = np.linspace(-10, 10, 20001)
    info = information_2pl(grid, a, b)
    assert abs(grid[np.argmax(info)] - b) <= 1e-3 + 1e-9
    np.testing.assert_allclose(information_2pl(b, a, b), a * a / 4, rtol=1e-12)
    np.testing.assert_allclose(info, information(grid, a, b), rtol=1e-9, atol=1e-300)


@FAST
@given(thetas, discriminations, difficulties, asymptotes())
def test_log_probabilities_match_logs_of_probability(
    theta: float, a: float, b: float, cd: tuple[float, float]
) -> None:
    c, d = cd
    log_p, log_q = log_probabilities(theta, a, b, c, d)
    p = probability(theta, a, b, c, d)
    np.testing.assert_allclose(np.exp(log_p), p, rtol=1e-9)
    np.testing.assert_allclose(np.exp(log_q), 1 - p, rtol=1e-6, atol=1e-15)


def test_extreme_abilities_stay_finite_without_warnings() -> None:
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        theta = np.array([-1e4, -50.0, 0.0, 50.0, 1e4])
        log_p, log_q = log_probabilities(theta, 3.0, 0.0)
        info = information_2pl(theta, 3.0, 0.0)
    assert np.all(np.isfinite(log_p)) and np.all(np.isfinite(log_q))
    assert np.all(info >= 0) and info[0] == 0.0


@FAST
@given(st.floats(-3, 3), st.integers(0, 2**32 - 1))
def test_score_and_curvature_are_the_derivatives_of_the_log_likelihood(
    theta: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    n = 8
    a, b = rng.uniform(0.5, 2.5, n), rng.uniform(-2, 2, n)
    c, d = rng.uniform(0, 0.25, n), rng.uniform(0.85, 1.0, n)
    u = rng.integers(0, 2, n).astype(float)

    def log_lik(t: float) -> float:
        log_p, log_q = log_probabilities(t, a, b, c, d)
        return float(np.sum(u * log_p + (1 - u) * log_q))

    h = 1e-4
    score, curvature, info = score_terms(theta, a, b, c, d, u)
    np.testing.assert_allclose(
        score, (log_lik(theta + h) - log_lik(theta - h)) / (2 * h), atol=1e-6
    )
    second = (log_lik(theta + h) - 2 * log_lik(theta) + log_lik(theta - h)) / h**2
    np.testing.assert_allclose(curvature, second, atol=1e-4)
    np.testing.assert_allclose(info, information(theta, a, b, c, d).sum(), rtol=1e-12)


def test_bank_vectorizes_over_abilities_and_items() -> None:
    bank = ItemBank(a=[1.0, 2.0, 0.5], b=[0.0, 1.0, -1.0], c=[0.0, 0.2, 0.1], d=[1.0, 0.9, 1.0])
    theta = np.array([[-1.0, 0.0], [1.0, 2.0]])
    assert bank.probability(theta).shape == (2, 2, 3)
    assert bank.information(theta).shape == (2, 2, 3)
    np.testing.assert_allclose(bank.probability(0.0)[1], 0.2 + 0.7 / (1 + np.exp(2.0)))
