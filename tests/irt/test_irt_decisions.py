"""Decision rules of a placement: settled cuts, futility, decision gain, expected remaining."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from irt_testkit import FAST, bank_2pl

from learnpath.irt import IRTError
from learnpath.irt.decisions import DecisionRule, decision_gain, entropy, expected_remaining

POINTS = np.linspace(-6, 6, 121)


def _normal(mean: float, sd: float) -> np.ndarray:
    weights = np.exp(-0.5 * np.square((POINTS - mean) / sd))
    return weights / weights.sum()


def test_a_cut_is_settled_on_either_side_at_the_confidence() -> None:
    rule = DecisionRule({"a": (0.5, -1.5)})
    assert rule.of("a") == (-1.5, 0.5) and rule.of("b") == ()
    assert rule.settled([0.96, 0.03]) and not rule.settled([0.96, 0.2])


def test_futility_settles_a_cut_that_cannot_be_passed_within_the_questions_left() -> None:
    rule = DecisionRule({"a": (0.0,)}, futility=0.1)
    # Just below the cut, little precision left to gain: passing it is out of reach.
    assert rule.moot((0.0,), (0.4,), mean=-0.1, sd=0.45, gain=1.0)
    # The same learner with many questions left may still pass it.
    assert not rule.moot((0.0,), (0.4,), mean=-0.1, sd=0.45, gain=40.0)
    # Without futility only settled cuts count.
    assert not DecisionRule({"a": (0.0,)}).moot((0.0,), (0.4,), -0.1, 0.45, 1.0)


@FAST
@given(st.floats(-2, 2), st.floats(0.3, 1.5), st.floats(-2, 2))
def test_the_decision_gain_is_a_mutual_information_never_negative(
    mean: float, sd: float, cut: float
) -> None:
    bank = bank_2pl(30, seed=1)
    gain = decision_gain(bank, np.arange(30, dtype=np.intp), POINTS, _normal(mean, sd), [cut])
    assert np.all(gain >= -1e-12) and np.all(gain <= entropy(0.5) + 1e-12)


def test_an_item_at_the_cut_settles_more_than_one_far_from_it() -> None:
    bank = bank_2pl(300, seed=2)
    gain = decision_gain(bank, np.arange(300, dtype=np.intp), POINTS, _normal(1.0, 0.6), [1.0])
    near, far = np.argmin(np.abs(bank.b - 1.0)), np.argmin(bank.b)
    assert gain[near] > gain[far]


def test_expected_remaining_grows_near_a_cut_and_stops_at_the_cap() -> None:
    rule = DecisionRule()

    def left(mean: float, futility: float = 0.0) -> float:
        ruled = DecisionRule(futility=futility)
        return expected_remaining(POINTS, _normal(mean, 0.5), (0.0,), ruled, 0.5, 0.3, 0.5, 10)

    assert left(0.0) > left(2.0) > 0.0
    assert left(0.0) <= 10.0
    # Below the cut, futility ends the questions sooner than settling would.
    assert left(-0.4, futility=0.1) < left(-0.4)
    assert expected_remaining(POINTS, _normal(0, 0.5), (0.0,), rule, 0.5, 0.3, 0.5, 0) == 0.0


def test_a_bad_rule_is_refused_with_its_field_named() -> None:
    with pytest.raises(IRTError, match="confidence"):
        DecisionRule(confidence=0.4)
    with pytest.raises(IRTError, match="futility"):
        DecisionRule(futility=0.6)
    with pytest.raises(IRTError, match="cuts"):
        DecisionRule({"a": (float("nan"),)})
