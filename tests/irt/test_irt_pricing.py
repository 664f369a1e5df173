"""Exposure pricing: LP dual prices, posterior-weighted information, priced simulation."""

from __future__ import annotations

import numpy as np
import pytest
from irt_testkit import bank_2pl

from learnpath.irt import CatConfig, ExposureState, IRTError, cat_step, simulate
from learnpath.irt.pricing import item_prices, knapsack_cover, posterior_information

THETAS = np.random.default_rng(99).normal(0.0, 1.0, 400)
PRICED = CatConfig(exposure_ceiling=0.25, exposure_pricing=True)


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
    assert np.all(prices >= 0) and 0.05 < np.mean(prices > 1e-6) < 0.5
    best = np.argsort(bank.information(0.0))[-5:]
    assert np.all(prices[best] > 0.5)
    # Under the prices the population's fractional usage is close to the ceiling.
    z = np.linspace(-4.0, 4.0, 101)
    weights = np.exp(-0.5 * z**2) / np.exp(-0.5 * z**2).sum()
    usage = weights @ knapsack_cover(bank.information(z), prices, 1 / 0.09 - 1, 40)
    assert usage.max() < 0.35


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
    assert priced.exposure.max() <= 0.25
    assert priced.mean_length < plain.mean_length - 0.3
    assert priced.rmse < 0.34


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
