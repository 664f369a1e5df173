"""The pure web step: stopping rules, determinism, convergence, agreement with simulate."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from irt_testkit import FAST, answer, bank_2pl

from learnpath.irt import (
    CatConfig,
    ExposureState,
    IRTError,
    StopReason,
    cat_step,
    estimate,
    initialize,
    next_item,
    simulate,
    stop_reason,
    stop_reasons,
)


def _run_learner(theta: float, config: CatConfig, seed: int) -> tuple[list[int], list[float]]:
    """A simulated learner answering next_item until it returns None."""
    bank = bank_2pl(300)
    rng = np.random.default_rng(seed)
    items: list[int] = []
    responses: list[float] = []
    while (item := next_item(bank, items, responses, config, seed=seed)) is not None:
        items.append(item)
        responses.append(answer(bank, item, theta, rng))
    return items, responses


@pytest.mark.parametrize("theta", [-1.5, 0.0, 0.8, 2.0])
def test_seeded_learner_converges_to_its_ability(theta: float) -> None:
    config = CatConfig(se_target=0.3, max_items=40)
    items, responses = _run_learner(theta, config, seed=11)
    est = estimate(bank_2pl(300), items, responses)
    assert len(set(items)) == len(items) <= 40
    assert est.se <= 0.3 or len(items) == 40
    assert abs(est.theta - theta) < 3 * est.se


def test_initialize_starts_at_the_prior() -> None:
    start = initialize(CatConfig(prior_mean=1.2, prior_sd=0.5))
    assert (start.theta, start.se, start.n_answered) == (1.2, 0.5, 0)


def test_step_is_a_pure_function_of_its_inputs() -> None:
    bank = bank_2pl(200)
    config = CatConfig(selection="randomesque", randomesque_k=5)
    history = ([3, 17, 40], [1.0, 0.0, 1.0])
    first = [next_item(bank, *history, config, seed=7, step=3) for _ in range(3)]
    assert len(set(first)) == 1
    draws = {next_item(bank, *history, config, seed=7, step=s) for s in range(3, 40)}
    assert len(draws) > 1  # the (seed, step) pair, not hidden state, drives the draw


def test_stop_rules_compose() -> None:
    bank = bank_2pl(30)
    items, responses = list(range(6)), [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    se = estimate(bank, items, responses).se
    done = cat_step(bank, items, responses, CatConfig(se_target=se + 0.01))
    assert done.reason == StopReason.SE_TARGET and done.item is None and done.done
    gated = cat_step(bank, items, responses, CatConfig(se_target=se + 0.01, min_items=8))
    assert gated.reason == StopReason.CONTINUE and gated.item is not None
    capped = cat_step(bank, items, responses, CatConfig(max_items=6))
    assert capped.reason == StopReason.MAX_ITEMS
    fixed = cat_step(bank, items, responses, CatConfig(se_target=None, max_items=10))
    assert fixed.reason == StopReason.CONTINUE


def test_exhausted_bank_ends_cleanly() -> None:
    bank = bank_2pl(4)
    step = cat_step(bank, [0, 1, 2, 3], [1.0, 0.0, 1.0, 0.0], CatConfig(se_target=0.01))
    assert step.reason == StopReason.EXHAUSTED and step.item is None
    assert cat_step(bank, [0, 1, 2], [1.0, 0.0, 1.0], CatConfig(se_target=0.01)).item == 3


def test_unanswered_items_are_not_repeated() -> None:
    bank = bank_2pl(50)
    first = next_item(bank, [], [])
    assert first is not None
    assert next_item(bank, [first], [float("nan")]) != first


@FAST
@given(
    st.integers(0, 50),
    st.floats(0.05, 2.0),
    st.integers(0, 50),
    st.one_of(st.none(), st.floats(0.1, 1.0)),
    st.integers(0, 20),
    st.integers(1, 50),
)
def test_scalar_and_vectorized_stop_rules_agree(
    n: int, se: float, available: int, target: float | None, min_items: int, max_items: int
) -> None:
    config = CatConfig(se_target=target, min_items=min(min_items, max_items), max_items=max_items)
    vector = stop_reasons(config, np.array([n]), np.array([se]), np.array([available]))
    assert stop_reason(config, n, se, available) == vector[0]


def test_simulate_and_the_web_step_make_the_same_decisions() -> None:
    bank = bank_2pl(300)
    thetas = np.random.default_rng(8).normal(0.0, 1.0, 120)  # enough to use shortlists
    sim = simulate(bank, thetas, seed=4)
    for row in (0, 1, 2, int(np.argmax(thetas)), int(np.argmin(thetas))):
        length = int(sim.lengths[row])
        items, responses = sim.items[row, :length], sim.responses[row, :length]
        for step in range(length):
            assert next_item(bank, items[:step], responses[:step]) == items[step]
        final = cat_step(bank, items, responses)
        assert final.item is None and final.reason == sim.reasons[row]
        assert abs(final.theta - sim.theta_hat[row]) < 1e-6
        assert abs(final.se - sim.se[row]) < 1e-6


def test_invalid_config_and_seed_raise() -> None:
    with pytest.raises(IRTError, match="min_items"):
        CatConfig(min_items=5, max_items=3)
    with pytest.raises(IRTError, match="selection"):
        CatConfig(selection="urry")  # type: ignore[arg-type]
    with pytest.raises(IRTError, match="exposure_ceiling"):
        CatConfig(exposure_ceiling=0.0)
    with pytest.raises(IRTError, match="seed"):
        next_item(bank_2pl(10), [], [], CatConfig(selection="randomesque"), seed=-1)
    with pytest.raises(IRTError, match="non-negative"):
        ExposureState(np.array([-1, 0]), 3)
