"""Pretest items in placements: unscored trial questions that collect responses for calibration.

An author marks a new item `pretest`. A placement then carries at most one of them per block of
round(1 / share) questions (share: the program's `placement.pretest_share`, PRETEST_SHARE by
default, 0 for none), at a position in the block drawn from the attempt's seed and never the
first question. The plan is fixed when the attempt starts (`config["pretest"]`), so a response
is unscored exactly when its item is in the plan: it is never counted in θ, SE, the next
scored item or the results, whatever the item's status becomes later.
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Sequence
from typing import Any

from sqlmodel import Session, col, select

from learnpath.models import Attempt, Competency, Item
from learnpath.models import Response as Answer
from learnpath.models.base import pk

PRETEST_SHARE = 0.1


def plan(
    session: Session,
    competencies: Sequence[Competency],
    line: Collection[str],
    seed: int,
    share: float,
    scored_items: int,
) -> dict[str, Any] | None:
    """Which pretest items go at which steps (0-based, never 0), or None when there are none."""
    if share <= 0:
        return None
    items = list(
        session.exec(
            select(Item.id)
            .where(col(Item.competency_id).in_([pk(c) for c in competencies]))
            .where(Item.status == "pretest", col(Item.owner).in_(["", *line]))
            .order_by(col(Item.id))
        ).all()
    )
    if not items:
        return None
    block = max(2, round(1 / share))
    rng = random.Random(f"pretest:{seed}")
    rng.shuffle(items)
    blocks = math.ceil(scored_items / (block - 1))  # each block also holds block − 1 scored
    positions = [k * block + rng.randrange(1 if k == 0 else 0, block) for k in range(blocks)]
    chosen = min(len(items), len(positions))
    return {"share": share, "items": items[:chosen], "steps": positions[:chosen]}


def unscored_ids(attempt: Attempt) -> frozenset[int]:
    """The attempt's pretest items."""
    return frozenset((attempt.config.get("pretest") or {}).get("items", ()))


def scored(attempt: Attempt, history: Sequence[Answer]) -> list[Answer]:
    """The responses that count: all but the pretest items'."""
    unscored = unscored_ids(attempt)
    return [r for r in history if r.item_id not in unscored]


def due(attempt: Attempt, step: int) -> int | None:
    """The pretest item to show at this step (0-based), if the plan puts one there."""
    chosen = attempt.config.get("pretest") or {}
    for item_id, at in zip(chosen.get("items", ()), chosen.get("steps", ()), strict=True):
        if at == step:
            return int(item_id)
    return None
