"""Orlando–Thissen S-X² item fit of a 2PL: observed vs expected proportion correct per summed score.

E_jk = ∫ P_j(θ) f₋ⱼ(k − 1 | θ) φ(θ) dθ / ∫ f(k | θ) φ(θ) dθ, with the summed-score likelihoods
f from the Lord–Wingersky recursion on a quadrature grid (θ ~ N(0, 1)). S-X²_j = Σ_k N_k (O_jk −
E_jk)² / (E_jk (1 − E_jk)) over scores 1 … n − 1, neighbouring scores pooled until both expected
counts reach MIN_EXPECTED; df = groups − 2 (Orlando & Thissen 2000, Applied Psych. Meas. 24(1)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2

GRID = np.linspace(-6.0, 6.0, 81)
WEIGHTS = np.exp(-(GRID**2) / 2) / np.exp(-(GRID**2) / 2).sum()
MIN_EXPECTED = 1.0  # expected right and wrong counts of a pooled score group
FIT_ALPHA = 0.01  # items with p below this are flagged


@dataclass
class ItemFit:
    """S-X² of one item with its degrees of freedom and p-value (None when df < 1)."""

    statistic: float | None
    df: int
    p: float | None


def score_distribution(p: np.ndarray) -> np.ndarray:
    """Lord–Wingersky: f(k | θ) for k = 0 … n, from P (items × grid) → (n + 1) × grid."""
    f = np.zeros((p.shape[0] + 1, p.shape[1]))
    f[0] = 1.0
    for n, row in enumerate(p, start=1):
        f[1 : n + 1] = f[1 : n + 1] * (1 - row) + f[:n] * row
        f[0] = f[0] * (1 - row)
    return f


def expected_correct(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """E_jk, the model's proportion correct on item j among persons scoring k (items × n + 1)."""
    p = 1 / (1 + np.exp(-a[:, None] * (GRID[None, :] - b[:, None])))
    total = score_distribution(p) @ WEIGHTS
    expected = np.zeros((len(a), len(a) + 1))
    for j in range(len(a)):
        rest = score_distribution(np.delete(p, j, axis=0))  # n rows: scores 0 … n − 1
        expected[j, 1:] = (rest * p[j]) @ WEIGHTS / total[1:]
    return expected


def _pooled(counts: np.ndarray, right: np.ndarray, e: np.ndarray) -> list[tuple[float, ...]]:
    """Score groups (N, observed right, expected right) pooled left to right to MIN_EXPECTED."""
    groups: list[tuple[float, ...]] = []
    n = o = ex = 0.0
    for count, observed, expected in zip(counts, right, counts * e, strict=True):
        n, o, ex = n + count, o + observed, ex + expected
        if ex >= MIN_EXPECTED and n - ex >= MIN_EXPECTED:
            groups.append((n, o, ex))
            n = o = ex = 0.0
    if n and groups:  # a short tail joins the last group
        last = groups.pop()
        groups.append((last[0] + n, last[1] + o, last[2] + ex))
    elif n:
        groups.append((n, o, ex))
    return groups


def s_x2(matrix: np.ndarray, a: np.ndarray, b: np.ndarray) -> list[ItemFit]:
    """S-X² per item of a complete 1/0 matrix (persons × items) under the 2PL (a, b)."""
    n_items = matrix.shape[1]
    scores = matrix.sum(axis=1).astype(int)
    counts = np.bincount(scores, minlength=n_items + 1).astype(float)
    expected = expected_correct(a, b)
    fits = []
    for j in range(n_items):
        right = np.bincount(scores, weights=matrix[:, j], minlength=n_items + 1)
        middle = slice(1, n_items)  # scores 0 and n carry no information on fit
        groups = _pooled(counts[middle], right[middle], expected[j, middle])
        df = len(groups) - 2
        if df < 1:
            fits.append(ItemFit(None, df, None))
            continue
        stat = sum((o - e) ** 2 / e + (o - e) ** 2 / (n - e) for n, o, e in groups)
        fits.append(ItemFit(float(stat), df, float(chi2.sf(stat, df))))
    return fits
