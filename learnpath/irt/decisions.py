"""Decisions a placement settles: is θ_k (logits) above or below each cut that matters for it?

A cut c of competency k is settled when P(θ_k ≥ c | answers) ≥ confidence or ≤ 1 − confidence;
a competency is decided when all its cuts are. The next item is the one whose answer is
expected to remove the most decision uncertainty: the drop in Σ_c H(P(θ_k ≥ c)) (binary
entropy, bits) averaged over its two possible answers, i.e. the mutual information between
the answer and the decisions. The expected number of questions still to come averages, over
the posterior of θ_k, the items needed to settle every cut (or reach the SE target) from there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from .bank import ItemBank
from .errors import IRTError
from .joint import above
from .models import FloatArray, probability

DEFAULT_CONFIDENCE = 0.95


@dataclass(frozen=True)
class DecisionRule:
    """The cuts (logits) that matter per competency label, and the confidence that settles one."""

    cuts: Mapping[str, tuple[float, ...]] = field(default_factory=dict, hash=False)
    confidence: float = DEFAULT_CONFIDENCE
    futility: float = 0.0

    def __post_init__(self) -> None:
        """Validate the confidence and the cuts, sort and freeze them."""
        if not 0.5 < self.confidence < 1.0:
            raise IRTError(f"confidence must be in (0.5, 1), got {self.confidence}")
        if not 0.0 <= self.futility < 0.5:
            raise IRTError(f"futility must be in [0, 0.5), got {self.futility}")
        cuts = {str(k): tuple(sorted({float(c) for c in v})) for k, v in dict(self.cuts).items()}
        if any(not np.isfinite(c) for v in cuts.values() for c in v):
            raise IRTError(f"cuts must be finite logits, got {cuts}")
        object.__setattr__(self, "cuts", MappingProxyType(cuts))

    def of(self, label: str) -> tuple[float, ...]:
        """The cuts of one competency (none: only the SE target and the cap stop it)."""
        return self.cuts.get(label, ())

    def settled(self, p_above: Sequence[float]) -> bool:
        """True when every cut's probability is on one side at the confidence."""
        return all(max(p, 1.0 - p) >= self.confidence for p in p_above)

    def moot(
        self, cuts: Sequence[float], p_above: Sequence[float], mean: float, sd: float, gain: float
    ) -> bool:
        """True when every cut is settled, or can no longer be settled above (futility).

        With `gain` the precision (1/logit²) the questions left can still add, the posterior
        mean after them is predicted as N(mean, sd² − sd'²), sd'² = 1/(1/sd² + gain) (normal
        preposterior); reaching P(θ ≥ c) ≥ confidence needs that mean ≥ c + z·sd'. When its
        chance is below `futility`, the answer stays "not above" whatever is asked: the
        module stays in the path, so asking on is pointless (stochastic curtailment).
        """
        z = NormalDist().inv_cdf(self.confidence)
        after = 1.0 / np.sqrt(1.0 / sd**2 + max(gain, 0.0))
        spread = np.sqrt(max(sd**2 - after**2, 1e-12))
        for cut, p in zip(cuts, p_above, strict=True):
            if max(p, 1.0 - p) >= self.confidence:
                continue
            reach = 1.0 - NormalDist().cdf((cut + z * after - mean) / spread)
            if reach >= self.futility:
                return False
        return True


def entropy(p: npt.ArrayLike) -> FloatArray:
    """Binary entropy H(p) in bits, 0 at p = 0 or 1."""
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1 - 1e-12)
    return np.asarray(-(q * np.log2(q) + (1 - q) * np.log2(1 - q)))


def decision_gain(
    bank: ItemBank,
    candidates: npt.NDArray[np.intp],
    points: FloatArray,
    weights: FloatArray,
    cuts: Sequence[float],
) -> FloatArray:
    """Expected drop of Σ_c H(P(θ ≥ c)) (bits) from answering each candidate item of one θ."""
    if not cuts or candidates.size == 0:
        return np.zeros(candidates.size)
    a, b, c, d = (x[candidates, None] for x in (bank.a, bank.b, bank.c, bank.d))
    p = probability(points[None, :], a, b, c, d)  # candidates × grid: P(correct | θ)
    share = above(points, cuts)  # grid × cuts
    now = weights @ share
    right = p @ weights
    joint_right = (p * weights) @ share  # P(correct, θ ≥ c)
    after_right = joint_right / np.maximum(right, 1e-300)[:, None]
    after_wrong = (now - joint_right) / np.maximum(1 - right, 1e-300)[:, None]
    expected = right * entropy(after_right).sum(1) + (1 - right) * entropy(after_wrong).sum(1)
    # A mutual information is never negative; the subtraction can leave -1e-11 of rounding when
    # the decision is all but certain, which would rank such items below useless ones.
    return np.maximum(np.asarray(entropy(now).sum() - expected), 0.0)


def expected_remaining(
    points: FloatArray,
    weights: FloatArray,
    cuts: Sequence[float],
    rule: DecisionRule,
    se: float,
    se_target: float | None,
    info_per_item: float,
    left: int,
) -> float:
    """Expected questions still needed (at most `left`), averaged over the posterior of θ.

    From θ, with I per item: settling cut c needs precision (z/|θ − c|)²; below c, futility
    stops sooner once the mean predicted at the cap cannot pass c + z·SE_cap, i.e. at
    precision 1/(1/P_cap + ((c + z·SE_cap − θ)/q)²), q = Φ⁻¹(1 − futility). The SE target
    stops at 1/target². Each gives (precision − 1/SE²)/I items; the largest over cuts counts.
    """
    if left <= 0:
        return 0.0
    z = NormalDist().inv_cdf(rule.confidence)
    start = 1.0 / se**2
    cap = start + left * max(info_per_item, 1e-9)
    need = np.zeros(points.shape) if cuts else np.full(points.shape, np.inf)
    for cut in cuts:
        gap = np.maximum(np.abs(points - cut), 1e-9)
        settle = np.square(z / gap)
        if rule.futility > 0:
            q = NormalDist().inv_cdf(1.0 - rule.futility)
            short = cut + z / np.sqrt(cap) - points  # > 0: c cannot be passed by the cap
            futile = 1.0 / (1.0 / cap + np.square(np.maximum(short, 0.0) / q))
            settle = np.where((points < cut) & (short > 0), np.minimum(settle, futile), settle)
        need = np.maximum(need, settle)
    if se_target is not None:
        need = np.minimum(need, 1.0 / se_target**2)
    items = np.maximum(need - start, 0.0) / max(info_per_item, 1e-9)
    return float(weights @ np.minimum(np.ceil(items), left))
