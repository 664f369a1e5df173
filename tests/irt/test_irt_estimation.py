"""EAP, MAP and MLE against brute-force references; edge patterns; unanswered items."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from irt_testkit import SLOW, bank_2pl, reference_eap
from scipy import optimize

from learnpath.irt import IRTError, ItemBank, estimate
from learnpath.irt.config import Method
from learnpath.irt.quadrature import posterior_moments, prior_grid

NAN = float("nan")


@st.composite
def patterns(draw: st.DrawFn) -> tuple[ItemBank, np.ndarray, np.ndarray, float, float]:
    """A random 1PL-4PL bank, a response pattern with unanswered items, and a normal prior."""
    n = draw(st.integers(1, 40))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    guessing = draw(st.booleans())
    bank = ItemBank(
        a=rng.uniform(0.3, 3.0, n),
        b=rng.uniform(-3.0, 3.0, n),
        c=rng.uniform(0.0, 0.3, n) if guessing else None,
        d=rng.uniform(0.85, 1.0, n) if guessing else None,
    )
    responses = rng.choice([0.0, 1.0, NAN], size=n, p=[0.45, 0.45, 0.1])
    mean = draw(st.floats(-2.0, 2.0))
    sd = draw(st.floats(0.5, 2.0))
    return bank, np.arange(n), responses, mean, sd


@SLOW
@given(patterns())
def test_eap_and_its_sd_match_brute_force_integration_to_1e6(
    case: tuple[ItemBank, np.ndarray, np.ndarray, float, float],
) -> None:
    bank, items, responses, mean, sd = case
    answered = ~np.isnan(responses)
    ref_mean, ref_sd = reference_eap(
        bank.a[answered],
        bank.b[answered],
        bank.c[answered],
        bank.d[answered],
        responses[answered],
        mean,
        sd,
    )
    est = estimate(bank, items, responses, "eap", prior_mean=mean, prior_sd=sd)
    assert abs(est.theta - ref_mean) < 1e-6
    assert abs(est.se - ref_sd) < 1e-6
    assert est.n_answered == int(answered.sum())


@pytest.mark.parametrize("correct", [1.0, 0.0])
def test_eap_widens_its_grid_for_extreme_patterns(correct: float) -> None:
    n = 30
    sign = 1 if correct else -1
    bank = ItemBank(a=np.full(n, 2.5), b=np.full(n, 3.0 * sign))
    responses = np.full(n, correct)
    est = estimate(bank, np.arange(n), responses)
    ref_mean, ref_sd = reference_eap(bank.a, bank.b, bank.c, bank.d, responses)
    assert abs(est.theta - ref_mean) < 1e-6 and abs(est.se - ref_sd) < 1e-6


def test_eap_refines_its_grid_for_narrow_posteriors() -> None:
    n = 200
    rng = np.random.default_rng(3)
    bank = ItemBank(a=np.full(n, 3.5), b=rng.normal(0.3, 0.2, n))
    responses = (rng.random(n) < 0.5).astype(float)
    est = estimate(bank, np.arange(n), responses)
    ref_mean, ref_sd = reference_eap(bank.a, bank.b, bank.c, bank.d, responses)
    assert est.se < 0.1
    assert abs(est.theta - ref_mean) < 1e-6 and abs(est.se - ref_sd) < 1e-6


def test_unanswered_items_are_ignored_by_every_method() -> None:
    bank = bank_2pl(20)
    items = np.arange(10)
    responses = np.array([1, 0, NAN, 1, 1, NAN, 0, 1, 0, 1], dtype=float)
    keep = ~np.isnan(responses)
    methods: tuple[Method, ...] = ("eap", "map", "mle")
    for method in methods:
        with_gaps = estimate(bank, items, responses, method)
        without = estimate(bank, items[keep], responses[keep], method)
        assert with_gaps == without


def _log_lik(bank: ItemBank, u: np.ndarray, theta: float) -> float:
    p = bank.c + (bank.d - bank.c) / (1 + np.exp(-bank.a * (theta - bank.b)))
    return float(np.sum(u * np.log(p) + (1 - u) * np.log1p(-p)))


def test_map_matches_a_bounded_scalar_optimizer() -> None:
    rng = np.random.default_rng(5)
    bank = ItemBank(a=rng.uniform(0.5, 2, 15), b=rng.normal(0, 1, 15), c=np.full(15, 0.2))
    u = (rng.random(15) < 0.6).astype(float)
    ref = optimize.minimize_scalar(
        lambda t: -_log_lik(bank, u, t) + 0.5 * ((t - 0.5) / 1.5) ** 2,
        bounds=(-6, 6),
        method="bounded",
        options={"xatol": 1e-10},
    )
    est = estimate(bank, np.arange(15), u, "map", prior_mean=0.5, prior_sd=1.5)
    assert abs(est.theta - ref.x) < 1e-6
    info = float(np.sum(bank.information(est.theta)))
    assert abs(est.se - 1 / np.sqrt(info + 1 / 1.5**2)) < 1e-9


def test_mle_matches_a_bounded_scalar_optimizer() -> None:
    rng = np.random.default_rng(6)
    bank = bank_2pl(25, seed=6)
    u = (rng.random(25) < 0.5).astype(float)
    ref = optimize.minimize_scalar(
        lambda t: -_log_lik(bank, u, t),
        bounds=(-6, 6),
        method="bounded",
        options={"xatol": 1e-10},
    )
    est = estimate(bank, np.arange(25), u, "mle")
    assert abs(est.theta - ref.x) < 1e-6
    assert abs(est.se - 1 / np.sqrt(np.sum(bank.information(est.theta)))) < 1e-9


@pytest.mark.parametrize("method", ["eap", "map", "mle"])
def test_all_correct_and_all_wrong_stay_finite_and_ordered(method: str) -> None:
    bank = bank_2pl(10)
    items = np.arange(10)
    mixed = estimate(bank, items, np.tile([1.0, 0.0], 5), method)  # type: ignore[arg-type]
    high = estimate(bank, items, np.ones(10), method)  # type: ignore[arg-type]
    low = estimate(bank, items, np.zeros(10), method)  # type: ignore[arg-type]
    for est in (mixed, high, low):
        assert np.isfinite(est.theta) and np.isfinite(est.se) and est.se > 0
    assert low.theta < mixed.theta < high.theta
    assert low.theta >= -6.0 and high.theta <= 6.0


def test_mle_of_extreme_patterns_sits_on_the_bound_with_a_large_se() -> None:
    bank = bank_2pl(5)
    est = estimate(bank, np.arange(5), np.ones(5), "mle")
    assert est.theta == 6.0 and est.se > 3.0


def test_one_item_and_no_items() -> None:
    bank = bank_2pl(5)
    one = estimate(bank, [2], [1.0])
    assert 0 < one.theta < 1 and 0.8 < one.se < 1
    none = estimate(bank, [], [], prior_mean=0.7, prior_sd=0.8)
    assert abs(none.theta - 0.7) < 1e-9 and abs(none.se - 0.8) < 1e-9
    assert estimate(bank, [], [], "mle").se == float("inf")


@pytest.mark.parametrize(
    ("items", "responses", "message"),
    [
        ([0, 0], [1, 0], "must not repeat"),
        ([0, 9], [1, 0], r"indices in \[0, 5\)"),
        ([-1], [1], r"indices in \[0, 5\)"),
        ([0.5], [1], "integer indices"),
        ([0, 1], [1], "responses must match"),
        ([0, 1], [1, 2], "1 \\(correct\\), 0 \\(wrong\\) or NaN"),
    ],
)
def test_invalid_histories_raise(items: list[float], responses: list[float], message: str) -> None:
    with pytest.raises(IRTError, match=message):
        estimate(bank_2pl(5), items, responses)


def test_invalid_method_and_prior_raise() -> None:
    with pytest.raises(IRTError, match="method"):
        estimate(bank_2pl(5), [0], [1], "wle")  # type: ignore[arg-type]
    with pytest.raises(IRTError, match="prior"):
        estimate(bank_2pl(5), [0], [1], prior_sd=0.0)


def test_posterior_moments_agree_for_one_session_and_for_a_batch() -> None:
    grid = prior_grid(0.0, 1.0)
    rng = np.random.default_rng(2)
    rows = grid.log_prior + rng.normal(0.0, 3.0, (5, grid.points.size)).cumsum(axis=1) * 0.1
    rows[0] = grid.log_prior + 40.0 * grid.points  # a posterior piled up at the upper edge
    batch = posterior_moments(rows, grid)
    for r, row in enumerate(rows):
        single = posterior_moments(row, grid)
        for got, want in zip(single, batch, strict=True):
            np.testing.assert_allclose(got, want[r], rtol=1e-9, atol=1e-12)  # summation order
    assert batch[2][0] > 1.0  # the edge case is flagged, typical rows are not
