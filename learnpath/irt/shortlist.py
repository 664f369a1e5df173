"""Exact pruning of 2PL maximum-information selection: item shortlists on a fine θ grid (logits).

At grid point θ_k the `size` most informative items are listed. Any other item's information
I(θ) = a²σ(z)(1 − σ(z)) at a θ within half a step h of θ_k is at most V_k + L·h/2, where V_k is
the best information outside the list and L = max|dI/dθ| = a_max³/(6√3). When the k-th best
shortlisted unused item beats that bound, the pick over the shortlist is the pick over the whole
bank; otherwise the session falls back to all items. Used by `simulate` to skip most of the
(sessions × items) information work; results are the same as without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .bank import BoolArray, IntArray, ItemBank
from .models import FloatArray, information_2pl

GRID_LO, GRID_HI, GRID_STEP = -8.0, 8.0, 0.01


@dataclass(frozen=True, eq=False)
class Shortlist:
    """Per grid point: the most informative items and the bound on every other item's value."""

    lo: float
    step: float
    items: IntArray
    bound: FloatArray


def build_shortlist(bank: ItemBank, size: int) -> Shortlist | None:
    """Shortlists of `size` items on [−8, 8] every 0.01 logit; None if pruning cannot help."""
    if not bank.is_2pl or size >= bank.n_items:
        return None
    n_points = round((GRID_HI - GRID_LO) / GRID_STEP) + 1
    grid = GRID_LO + GRID_STEP * np.arange(n_points)
    info = bank.information(grid)
    order = np.argpartition(-info, size, axis=1)
    # argpartition puts the (size + 1)-th largest value at column `size`: the best one left out.
    outside = info[np.arange(n_points), order[:, size]]
    lipschitz = float(np.max(bank.a)) ** 3 / (6.0 * np.sqrt(3.0))
    bound = outside + lipschitz * GRID_STEP / 2.0
    return Shortlist(GRID_LO, GRID_STEP, np.ascontiguousarray(order[:, :size]), bound)


def shortlisted_scores(
    bank: ItemBank, shortlist: Shortlist, theta: FloatArray, administered: BoolArray, k: int
) -> tuple[IntArray, FloatArray, BoolArray]:
    """Candidates and their information per session, and whether the top k over them is exact."""
    point = np.rint((theta - shortlist.lo) / shortlist.step).astype(np.intp)
    inside = (point >= 0) & (point < shortlist.items.shape[0])
    point = np.clip(point, 0, shortlist.items.shape[0] - 1)
    candidates = shortlist.items[point]
    scores = information_2pl(theta[:, None], bank.a[candidates], bank.b[candidates])
    scores[np.take_along_axis(administered, candidates, axis=1)] = -np.inf
    kth_best = -np.partition(-scores, k - 1, axis=1)[:, k - 1]
    return candidates, scores, inside & (kth_best >= shortlist.bound[point])
