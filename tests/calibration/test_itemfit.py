"""S-X² (Orlando–Thissen) and the marginal EM: reference values, null behaviour, planted misfit."""

import itertools

import numpy as np
import pytest
from scipy.stats import chi2

from learnpath.calibration.marginal import Prior, marginal_map
from learnpath.calibration.matrix import Responses
from learnpath.calibration.run import calibrate
from learnpath.calibration.simulate import simulate_2pl
from learnpath.calibration.sumscore import GRID, WEIGHTS, expected_correct, s_x2, score_distribution

A, B = np.array([0.8, 1.3, 1.0]), np.array([-0.5, 0.2, 1.1])


def _p(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-a[:, None] * (GRID[None, :] - b[:, None])))


def test_lord_wingersky_equals_enumerating_every_pattern() -> None:
    p = _p(A, B)
    brute = np.zeros((4, len(GRID)))
    for pattern in itertools.product((0, 1), repeat=3):
        x = np.array(pattern)[:, None]
        brute[sum(pattern)] += np.prod(np.where(x == 1, p, 1 - p), axis=0)
    assert np.allclose(score_distribution(p), brute)


def test_expected_proportions_equal_enumeration() -> None:
    p = _p(A, B)
    right, total = np.zeros((3, 4)), np.zeros(4)
    for pattern in itertools.product((0, 1), repeat=3):
        x = np.array(pattern)[:, None]
        mass = np.prod(np.where(x == 1, p, 1 - p), axis=0) @ WEIGHTS
        total[sum(pattern)] += mass
        right[:, sum(pattern)] += np.array(pattern) * mass
    assert np.allclose(expected_correct(A, B)[:, 1:], (right / total)[:, 1:])


def _rows(score: int, first: int, count: int) -> list[list[float]]:
    """`count` persons of 4 items with this summed score, item 0 right in `first` of them."""
    with_first = [1.0] + [1.0] * (score - 1) + [0.0] * (4 - score)
    without = [0.0] + [1.0] * score + [0.0] * (3 - score)
    return [with_first] * first + [without] * (count - first)


def test_s_x2_by_hand_on_exchangeable_items() -> None:
    # Four identical items: among persons scoring k each item is right with probability k/4.
    # Item 0 is right for 4 of 8 at score 1 (expected 2), 4 of 8 at 2 (4), 6 of 8 at 3 (6):
    # S-X² = (4 − 2)²/2 + (4 − 2)²/6 = 2.667 on 3 groups − 2 = 1 df.
    matrix = np.array(_rows(1, 4, 8) + _rows(2, 4, 8) + _rows(3, 6, 8) + [[0.0] * 4, [1.0] * 4])
    fit = s_x2(matrix, np.ones(4), np.zeros(4))[0]
    assert fit.statistic == pytest.approx(8 / 3)
    assert fit.df == 1
    assert fit.p == pytest.approx(chi2.sf(8 / 3, 1))


def test_p_values_of_model_data_are_roughly_uniform() -> None:
    sim = simulate_2pl(2000, 50, seed=11)
    none = np.full(50, np.inf)
    fit = marginal_map(sim.matrix, sim.a, sim.b, Prior(np.zeros(50), none, np.zeros(50), none))
    p = np.array([f.p for f in s_x2(sim.matrix, fit.a, fit.b)])
    assert fit.converged and np.all((p > 0) & (p <= 1))
    assert (p < 0.05).sum() < 3 * 0.05 * 50  # nominal 2.5 items
    assert (p < 0.5).sum() in range(15, 36)  # about half below the median


def test_a_non_monotone_item_is_flagged_in_the_report() -> None:
    sim = simulate_2pl(1500, 20, seed=12)
    matrix = sim.matrix.copy()
    bump = 0.05 + 0.9 * np.exp(-(sim.theta**2))  # likeliest right in the middle of the scale
    matrix[:, 0] = np.random.default_rng(12).random(1500) < bump
    ids = [f"q{j}" for j in range(20)]
    result = calibrate(Responses(ids, matrix), {}, min_responses=200, epochs=400)
    first, rest = result.items[0], result.items[1:]
    assert first.sx2_p is not None and first.sx2_p < 0.01 and first.misfit
    assert first.sx2_df is not None and first.sx2_df >= 10
    assert sum(i.sx2_p is not None and i.sx2_p < 0.01 for i in rest) <= 1
    assert "sx2_p" in result.report()["items"][0]
