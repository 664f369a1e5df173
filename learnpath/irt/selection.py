"""Item selection by maximum Fisher information I(θ̂) (1/logit²) with randomesque, exposure, quotas.

All functions work on a batch of sessions at once (rows = sessions, columns = items); a single
web session is a batch of one, so simulation and production share exactly the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .arguments import Whole, as_rng
from .bank import BoolArray, IntArray, ItemBank
from .config import CatConfig, ExposureState
from .errors import IRTError
from .models import FloatArray
from .pricing import priced_scores
from .shortlist import Shortlist, shortlisted_scores

NO_ITEM = -1


def select_items(
    bank: ItemBank,
    theta: FloatArray,
    administered: BoolArray,
    config: CatConfig,
    rng: np.random.Generator | Whole | None = None,
    exposure: ExposureState | None = None,
    allowed: BoolArray | None = None,
    shortlist: Shortlist | None = None,
    se: FloatArray | None = None,
) -> IntArray:
    """Next item per session (row): most informative at θ̂ among eligible items, or NO_ITEM.

    Never repeats an administered item; `allowed` (items, or sessions × items) restricts the
    candidates further. Content quotas pick the competency first, the exposure ceiling then
    limits how many sessions may still take each item (ExposureState), and `rng` (a numpy
    Generator or an integer seed) draws the randomesque choice; only that selection needs it.
    A `shortlist` only speeds up unconstrained selection; it never changes the result.
    With `config.exposure_pricing` the score is the priced posterior information (pricing.py),
    which uses the sessions' SEs `se` (None: information at θ̂ only).
    """
    rng = as_rng(rng)
    ceiling_off = config.exposure_ceiling is None or exposure is None
    if shortlist is not None and allowed is None and not config.quotas and ceiling_off:
        return _select_shortlisted(bank, theta, administered, config, rng, shortlist)
    if config.exposure_pricing:
        score = priced_scores(bank, theta, se, config)
    else:
        score = bank.information(theta)
    blocked = administered if allowed is None else administered | ~allowed
    score[blocked] = -np.inf
    if config.quotas:
        _balance_content(score, administered, bank, config.quotas)
    return pick_under_ceiling(score, exposure, config, rng)


def _select_shortlisted(
    bank: ItemBank,
    theta: FloatArray,
    administered: BoolArray,
    config: CatConfig,
    rng: np.random.Generator | None,
    shortlist: Shortlist,
) -> IntArray:
    """Picks over the shortlists where their bound proves them exact, over all items elsewhere."""
    candidates, scores, exact = shortlisted_scores(
        bank, shortlist, theta, administered, config.top_k
    )
    picks = np.full(theta.size, NO_ITEM, dtype=np.intp)
    rows = np.flatnonzero(exact)
    picks[rows] = candidates[rows, pick_rows(scores[rows], config.top_k, rng)]
    rest = np.flatnonzero(~exact)
    if rest.size:
        picks[rest] = select_items(bank, theta[rest], administered[rest], config, rng)
    return picks


def pick_rows(score: FloatArray, k: int, rng: np.random.Generator | None) -> IntArray:
    """Per row, the best item (k = 1) or a uniform draw among the k best; NO_ITEM if none."""
    rows = np.arange(score.shape[0])
    if k == 1:
        best = score.argmax(axis=1)
    else:
        if rng is None:
            raise IRTError(
                "rng must be a random generator (numpy Generator) or an integer seed >= 0 "
                "for randomesque selection, got None"
            )
        k = min(k, score.shape[1])
        if score.shape[0] == 1:
            return _pick_one(score[0], k, rng)
        top = np.argpartition(score, score.shape[1] - k, axis=1)[:, -k:]
        finite = np.isfinite(score[rows[:, None], top])
        # A random key per candidate, +inf for exhausted ones: argmin is a uniform finite pick.
        keys = np.where(finite, rng.random(top.shape), np.inf)
        best = top[rows, keys.argmin(axis=1)]
    return np.where(np.isfinite(score[rows, best]), best, NO_ITEM)


def _pick_one(score: FloatArray, k: int, rng: np.random.Generator) -> IntArray:
    """Randomesque draw for a single session (the web step): half the work of the batch path."""
    top = np.argpartition(score, score.size - k)[-k:]
    top = top[np.isfinite(score[top])]
    return top[[int(rng.random() * top.size)]] if top.size else np.array([NO_ITEM])


def pick_under_ceiling(
    score: FloatArray,
    exposure: ExposureState | None,
    config: CatConfig,
    rng: np.random.Generator | None,
) -> IntArray:
    """Per row of scores, the pick under the config's exposure ceiling (none set: plain pick)."""
    if config.exposure_ceiling is None or exposure is None:
        return pick_rows(score, config.top_k, rng)
    if exposure.counts.shape != (score.shape[1],):
        raise IRTError(
            f"exposure counts must have {score.shape[1]} items, got {exposure.counts.shape}"
        )
    return _pick_within_capacity(score, exposure.capacity(config.exposure_ceiling), config, rng)


def _pick_within_capacity(
    score: FloatArray, capacity: np.ndarray, config: CatConfig, rng: np.random.Generator | None
) -> IntArray:
    """Picks that respect per-item capacities: clashing sessions beyond capacity pick again.

    Where nothing eligible is left under the ceiling, measurement wins: the ceiling is waived.
    """
    if score.shape[0] == 1:
        # A single web session cannot clash with itself: one masked pick, no rounds.
        eligible = np.where(capacity > 0, score, -np.inf)
        return pick_rows(eligible if np.isfinite(eligible).any() else score, config.top_k, rng)
    choice = np.full(score.shape[0], NO_ITEM, dtype=np.intp)
    pending = np.arange(score.shape[0])
    while pending.size:
        rows = np.where(capacity > 0, score[pending], -np.inf)
        stuck = ~np.isfinite(rows).any(axis=1)
        if stuck.any():
            choice[pending[stuck]] = pick_rows(score[pending[stuck]], config.top_k, rng)
            pending, rows = pending[~stuck], rows[~stuck]
            if not pending.size:
                break
        pick = pick_rows(rows, config.top_k, rng)
        accepted = _rank_among_equal(pick) < capacity[pick]
        choice[pending[accepted]] = pick[accepted]
        capacity = capacity - np.bincount(pick[accepted], minlength=capacity.size)
        pending = pending[~accepted]
    return choice


def _rank_among_equal(values: IntArray) -> IntArray:
    """Position of each entry among the entries with the same value, in order of appearance."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size) - np.searchsorted(ordered, ordered, side="left")
    return rank


def _balance_content(
    score: FloatArray, administered: BoolArray, bank: ItemBank, quotas: Mapping[str, float]
) -> None:
    """Keep, per row, only the competency furthest below its quota (Kingsbury–Zara), in place."""
    unknown = set(quotas) - set(bank.labels)
    if unknown:
        raise IRTError(f"quotas name competencies absent from the bank: {sorted(unknown)}")
    shares = np.array([quotas.get(label, 0.0) for label in bank.labels])
    if shares.sum() <= 0:
        return
    onehot = (bank.codes[:, None] == np.arange(len(bank.labels))).astype(np.float64)
    taken = administered @ onehot
    deficit = (shares / shares.sum()) * (taken.sum(axis=1, keepdims=True) + 1.0) - taken
    available = (np.isfinite(score) @ onehot) > 0
    target = np.where(available, deficit, -np.inf).argmax(axis=1)
    score[bank.codes[None, :] != target[:, None]] = -np.inf
