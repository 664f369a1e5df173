"""Vectorized simulation: accuracy, exposure control, cohorts, report, edge cases."""

from __future__ import annotations

import numpy as np
import pytest
from irt_testkit import bank_2pl

from learnpath.irt import (
    CatConfig,
    IRTError,
    ItemBank,
    StopReason,
    simulate,
    simulate_report,
    simulation_report,
)

THETAS = np.random.default_rng(99).normal(0.0, 1.0, 400)


def test_seeded_simulation_is_accurate_and_calibrated() -> None:
    sim = simulate(bank_2pl(300), THETAS, se_target=0.3, max_items=40, seed=1)
    assert sim.rmse < 0.34 and abs(sim.bias) < 0.05
    # The posterior SD is an honest error estimate: mean SE² is close to the MSE.
    assert 0.75 < np.mean(sim.se**2) / sim.rmse**2 < 1.3
    assert np.all((sim.se <= 0.3) | (sim.lengths == 40))
    assert 10 < sim.mean_length < 25


def test_simulation_is_reproducible_and_consistent() -> None:
    bank = bank_2pl(300)
    first, second = simulate(bank, THETAS, seed=5), simulate(bank, THETAS, seed=5)
    np.testing.assert_array_equal(first.theta_hat, second.theta_hat)
    np.testing.assert_array_equal(first.items, second.items)
    # Exposure rates add up to the mean test length; every row lists `lengths` distinct items.
    assert abs(first.exposure.sum() - first.mean_length) < 1e-9
    for row, length in zip(first.items, first.lengths, strict=True):
        assert np.all(row[:length] >= 0) and np.all(row[length:] == -1)
        assert len(set(row[:length].tolist())) == length


@pytest.mark.parametrize("exposure", ["ceiling", "randomesque"])
@pytest.mark.parametrize("cohort_size", [None, 25])
def test_exposure_control_keeps_every_item_under_the_ceiling(
    exposure: str, cohort_size: int | None
) -> None:
    sim = simulate(bank_2pl(300), THETAS, exposure=exposure, seed=2, cohort_size=cohort_size)  # type: ignore[arg-type]
    assert sim.exposure.max() <= 0.25
    assert sim.rmse < 0.34


def test_config_supplies_ceiling_prior_and_quotas() -> None:
    labels = np.repeat(["a", "b"], 150)
    bank = bank_2pl(300, competency=labels)
    config = CatConfig(exposure_ceiling=0.4, quotas={"a": 0.5, "b": 0.5})
    sim = simulate(bank, THETAS[:100], se_target=None, max_items=10, config=config)
    assert sim.exposure.max() <= 0.4
    assert np.all(sim.lengths == 10)
    share_a = np.mean(labels[sim.items] == "a", axis=1)
    np.testing.assert_array_equal(share_a, 0.5)


def test_min_items_and_max_items_bound_the_length() -> None:
    sim = simulate(bank_2pl(300), THETAS[:100], se_target=0.5, min_items=8, max_items=12)
    assert sim.lengths.min() >= 8 and sim.lengths.max() <= 12


def test_an_exhausted_bank_ends_every_test_cleanly() -> None:
    sim = simulate(bank_2pl(5), THETAS[:50], se_target=0.05, max_items=40)
    assert np.all(sim.lengths == 5)
    assert np.all(sim.reasons == StopReason.EXHAUSTED)


def test_extreme_learners_get_finite_estimates() -> None:
    bank = ItemBank(a=np.full(20, 2.0), b=np.linspace(-1, 1, 20))
    sim = simulate(bank, np.array([-9.0, 9.0]), se_target=0.01, max_items=20)
    # All wrong / all correct on 20 items: finite EAP estimates, shrunk towards the prior.
    assert np.all(np.isfinite(sim.theta_hat)) and np.all(np.isfinite(sim.se))
    assert -6 < sim.theta_hat[0] < -1.5 and 1.5 < sim.theta_hat[1] < 6
    np.testing.assert_array_equal(sim.responses, [[0.0] * 20, [1.0] * 20])


def test_report_summarizes_the_run() -> None:
    sim = simulate(bank_2pl(300), THETAS, seed=3)
    report = simulation_report(sim)
    assert report["mean_length"] == sim.mean_length
    assert report["rmse"] == pytest.approx(sim.rmse) and report["bias"] == pytest.approx(sim.bias)
    assert report["max_exposure"] == sim.exposure.max()
    assert report["never_used_share"] == pytest.approx(np.mean(sim.exposure == 0))
    figures = simulate_report(bank_2pl(300), n_examinees=200, exposure="ceiling", seed=1)
    assert figures["n_examinees"] == 200 and figures["max_exposure"] <= 0.25


def test_invalid_simulation_inputs_raise() -> None:
    bank = bank_2pl(10)
    with pytest.raises(IRTError, match="thetas"):
        simulate(bank, np.array([np.nan]))
    with pytest.raises(IRTError, match="exposure"):
        simulate(bank, THETAS, exposure="sympson")  # type: ignore[arg-type]
    with pytest.raises(IRTError, match="EAP"):
        simulate(bank, THETAS, config=CatConfig(method="mle"))
    with pytest.raises(IRTError, match="cohort_size"):
        simulate(bank, THETAS, cohort_size=0)
