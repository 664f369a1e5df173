"""Exposure pricing: LP dual prices, posterior-weighted information, priced simulation."""

from __future__ import annotations

import numpy as np
import pytest
from irt_testkit import bank_2pl

from learnpath.irt import CatConfig, ExposureState, IRTError, cat_step, simulate
from learnpath.irt.pricing import item_prices, knapsack_cover, posterior_information

THETAS = np.random.default_rng(99).normal(0.0, 1.0, 400)
CEILING = 0.25  # the stated exposure ceiling: no item in more than a quarter of sessions
PRICED = CatConfig(exposure_ceiling=CEILING, exposure_pricing=True)


def test_knapsack_cover_takes_the_cheapest_information_first() -> None:
    info = np.array([[1.0, 0.6, 0.5, 0.1]])
    cover = knapsack_cover(info, np.zeros(4), need=1.3, max_items=40)
    np.testing.assert_allclose(cover, [[1.0, 0.5, 0.0, 0.0]])
    # Pricing item 0 at 1.5 makes its ratio 0.4: items 1 and 2 come first, then 0.2 of item 0.
    cover = knapsack_cover(info, np.array([1.5, 0, 0, 0]), need=1.3, max_items=40)
    np.testing.assert_allclose(cover, [[0.2, 1.0, 1.0, 0.0]])
    np.testing.assert_allclose(knapsack_cover(info, np.zeros(4), np.inf, 2), [[1, 1, 0, 0]])


def test_prices_are_zero_without_a_binding_ceiling_and_memoized() -> None:
    bank = bank_2pl(300)
    loose = item_prices(bank, CatConfig(exposure_ceiling=1.0, exposure_pricing=True))
    np.testing.assert_array_equal(loose, 0.0)
    prices = item_prices(bank, PRICED)
    assert item_prices(bank, PRICED) is prices and not prices.flags.writeable


def test_prices_fall_on_the_over_demanded_sharp_central_items() -> None:
    bank = bank_2pl(300)
    prices = item_prices(bank, PRICED)
    priced = prices > 1e-6
    assert np.all(prices >= 0) and 0.05 < np.mean(priced) < 0.5  # about one item in five
    best = np.argsort(bank.information(0.0))[-5:]
    assert np.all(priced[best])
    # The population's fractional usage (the LP's cover of N(0, 1)) against the ceiling:
    z = np.linspace(-4.0, 4.0, 101)
    weights = np.exp(-0.5 * z**2) / np.exp(-0.5 * z**2).sum()
    need = 1 / PRICED.se_target**2 - 1 / PRICED.prior_sd**2

    def usage(at: np.ndarray) -> np.ndarray:
        return weights @ knapsack_cover(bank.information(z), at, need, PRICED.max_items)

    free, paid = usage(np.zeros_like(prices)), usage(prices)
    # Every item used beyond the ceiling without prices gets a price ...
    assert np.any(free > CEILING) and np.all(priced[free > CEILING])
    # ... an item left free stays within the ceiling under the prices (its capacity is slack) ...
    assert np.all(paid[~priced] <= CEILING)
    # ... and a priced item's capacity binds: typically used right at the ceiling.
    assert np.median(paid[priced]) == pytest.approx(CEILING, abs=0.01)


def test_posterior_information_averages_over_the_normal() -> None:
    bank = bank_2pl(20)
    theta, se = np.array([0.3, -1.0]), np.array([0.0, 0.7])
    got = posterior_information(bank, theta, se)
    np.testing.assert_allclose(got[0], bank.information(0.3))
    z = np.linspace(-8, 8, 4001)
    density = np.exp(-0.5 * z**2) / np.sqrt(2 * np.pi)
    reference = np.trapezoid(bank.information(-1.0 + 0.7 * z) * density[:, None], z, axis=0)
    np.testing.assert_allclose(got[1], reference, rtol=1e-3)


def test_priced_simulation_is_shorter_than_the_plain_ceiling_and_under_it() -> None:
    bank = bank_2pl(300)
    plain = simulate(bank, THETAS, exposure="ceiling", seed=2)
    priced = simulate(bank, THETAS, exposure="priced", seed=2)
    for run in (plain, priced):
        assert run.exposure.max() <= CEILING  # no item is seen by more than a quarter
        stopped = (run.se <= PRICED.se_target) | (run.lengths == PRICED.max_items)
        assert np.all(stopped)  # every session ran to the stopping rule
    assert priced.mean_length < plain.mean_length
    # No precision lost: within the sampling error of an RMSE over n simulees, σ / √(2n).
    assert priced.rmse <= plain.rmse * (1 + 1 / np.sqrt(2 * THETAS.size))


def test_priced_simulation_and_the_web_step_make_the_same_decisions() -> None:
    bank = bank_2pl(300)
    thetas = THETAS[:12]
    sim = simulate(bank, thetas, exposure="priced", seed=3, cohort_size=1)
    counts = np.zeros(300, dtype=np.int64)
    for row in range(thetas.size):
        length = int(sim.lengths[row])
        items, responses = sim.items[row, :length], sim.responses[row, :length]
        for step in range(length + 1):
            state = ExposureState(counts + np.bincount(items[:step], minlength=300), row + 1)
            taken = cat_step(bank, items[:step], responses[:step], PRICED, exposure=state)
            assert taken.item == (items[step] if step < length else None)
        counts += np.bincount(items, minlength=300)


def test_pricing_needs_a_ceiling() -> None:
    with pytest.raises(IRTError, match="exposure_pricing"):
        CatConfig(exposure_pricing=True)
