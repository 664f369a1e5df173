"""EAP under a correlated (multivariate normal) prior, checked against brute-force integration."""

from __future__ import annotations

import numpy as np
import pytest
from irt_testkit import bank_2pl

from learnpath.irt import IRTError, ItemBank, estimate
from learnpath.irt.joint import JointPrior, joint_eap, one_factor


def _history(bank: ItemBank, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    items = rng.choice(bank.n_items, n, replace=False).astype(np.intp)
    return items, (rng.random(n) < 0.6).astype(np.float64)


def _brute_force(
    bank: ItemBank, items: np.ndarray, answers: np.ndarray, cov: np.ndarray, mean: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Means, SDs and P(θ_1 ≥ 0.31: midway between grid points) on a fine full tensor grid."""
    n = cov.shape[0]
    step = 0.02 if n == 2 else 0.1
    axis = np.arange(-8.0, 8.0 + step / 2, step)
    grids = np.meshgrid(*[mean[k] + axis for k in range(n)], indexing="ij")
    theta = np.stack([g.ravel() for g in grids])
    centered = theta - mean[:, None]
    log_post = -0.5 * np.sum(centered * np.linalg.solve(cov, centered), axis=0)
    for item, u in zip(items, answers, strict=True):
        k = bank.codes[item]
        p = 1.0 / (1.0 + np.exp(-bank.a[item] * (theta[k] - bank.b[item])))
        log_post += np.log(p if u == 1 else 1.0 - p)
    w = np.exp(log_post - log_post.max())
    w /= w.sum()
    means = theta @ w
    sds = np.sqrt(np.square(theta) @ w - np.square(means))
    return means, sds, np.array([w[theta[1] >= 0.31].sum()])


@pytest.mark.parametrize(("rho", "n", "seed"), [(0.5, 12, 0), (-0.6, 6, 1), (0.8, 30, 2)])
def test_two_competencies_match_brute_force_integration(rho: float, n: int, seed: int) -> None:
    bank = bank_2pl(60, seed=seed, competency=np.repeat(["a", "b"], 30))
    items, answers = _history(bank, n, seed)
    mean, sd = np.array([0.3, -0.2]), np.array([1.0, 1.2])
    prior = JointPrior.of(bank.labels, rho, mean, sd)
    post = joint_eap(bank, items, answers, prior)
    cov = np.outer(sd, sd) * np.array([[1.0, rho], [rho, 1.0]])
    means, sds, p_above = _brute_force(bank, items, answers, cov, mean)
    np.testing.assert_allclose(post.mean, means, atol=1e-5)
    np.testing.assert_allclose(post.sd, sds, atol=1e-5)
    # Cut probabilities use a midpoint rule at the cut: O(step²), far finer than .95 needs.
    np.testing.assert_allclose(post.probability_above(1, [0.31]), p_above, atol=2e-3)


def test_three_equally_correlated_competencies_match_brute_force() -> None:
    bank = bank_2pl(45, seed=4, competency=np.repeat(["a", "b", "c"], 15))
    items, answers = _history(bank, 10, 4)
    prior = JointPrior.of(bank.labels, 0.5)
    post = joint_eap(bank, items, answers, prior)
    cov = np.full((3, 3), 0.5) + 0.5 * np.eye(3)
    means, sds, _ = _brute_force(bank, items, answers, cov, np.zeros(3))
    np.testing.assert_allclose(post.mean, means, atol=1e-4)
    np.testing.assert_allclose(post.sd, sds, atol=1e-4)


def test_uncorrelated_competencies_are_separate_unidimensional_eaps() -> None:
    bank = bank_2pl(40, seed=5, competency=np.repeat(["a", "b"], 20))
    items, answers = _history(bank, 9, 5)
    post = joint_eap(bank, items, answers, JointPrior.of(bank.labels, 0.0))
    for code in range(2):
        mine = bank.codes[items] == code
        alone = estimate(bank, items[mine], answers[mine])
        assert post.mean[code] == pytest.approx(alone.theta, abs=1e-6)
        assert post.sd[code] == pytest.approx(alone.se, abs=1e-6)


def test_an_answer_on_one_competency_moves_the_other() -> None:
    bank = bank_2pl(40, seed=6, competency=np.repeat(["a", "b"], 20))
    items = np.arange(5, dtype=np.intp)  # five items of competency "a", all right
    post = joint_eap(bank, items, np.ones(5), JointPrior.of(bank.labels, 0.5))
    assert post.mean[1] > 0.2 and post.sd[1] < 0.97
    unanswered = joint_eap(bank, items, np.full(5, np.nan), JointPrior.of(bank.labels, 0.5))
    np.testing.assert_allclose(unanswered.mean, 0.0, atol=1e-9)


def test_one_factor_is_exact_for_equal_correlations_and_fits_others() -> None:
    equal = np.full((4, 4), 0.49) + 0.51 * np.eye(4)
    np.testing.assert_allclose(one_factor(equal), 0.7, atol=1e-9)
    loadings = np.array([0.8, 0.6, 0.5, 0.7])
    matrix = np.outer(loadings, loadings)
    np.fill_diagonal(matrix, 1.0)
    np.testing.assert_allclose(one_factor(matrix), loadings, atol=1e-6)


def test_a_bad_prior_is_refused_with_its_field_named() -> None:
    with pytest.raises(IRTError, match="correlation"):
        JointPrior.of(("a", "b"), [[1.0, 0.5], [0.4, 1.0]])
    with pytest.raises(IRTError, match="correlation"):
        JointPrior.of(("a", "b"), 1.5)
    with pytest.raises(IRTError, match="sd"):
        JointPrior.of(("a", "b"), 0.5, sd=[1.0, 0.0])
