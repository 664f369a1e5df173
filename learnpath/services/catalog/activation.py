"""Activating a parameter set from the studio or the command: preview first, then re-score.

`preview` says what activating a version would do (learners whose band changes, the largest θ
change, the items whose parameters moved most, every item's old and new a and b);
`activate_and_rescore` makes it the active set and writes the learners' levels it planned
(`rescoring`). Rolling back is activating an earlier version the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlmodel import Session, col, select

from learnpath.models import Competency, Item, ItemParameter, ItemParameterSet
from learnpath.services.catalog import rescoring
from learnpath.services.catalog.banks import BankError, current_parameter_set
from learnpath.services.catalog.parameter_sets import activate, list_sets

MOST_MOVED = 5


@dataclass(frozen=True)
class ItemMove:
    """One item's a and b in the active set and in the previewed one."""

    slug: str
    a_old: float
    a_new: float
    b_old: float
    b_new: float

    @property
    def distance(self) -> float:
        """How far the item moved in the (a, b) plane."""
        return math.hypot(self.a_new - self.a_old, self.b_new - self.b_old)


@dataclass(frozen=True)
class Preview:
    """What activating `chosen` instead of `current` would change."""

    current: ItemParameterSet
    chosen: ItemParameterSet
    items: list[ItemMove]
    learners: int
    band_changes: int
    largest_theta_change: float

    @property
    def most_moved(self) -> list[ItemMove]:
        """The items that moved most, farthest first."""
        return sorted(self.items, key=lambda m: (-m.distance, m.slug))[:MOST_MOVED]


def version_of(session: Session, competency: Competency, version: int) -> ItemParameterSet:
    """One parameter set of the competency, or BankError naming it."""
    for each in list_sets(session, competency):
        if each.version == version:
            return each
    raise BankError(f"competency {competency.slug!r} has no parameter set version {version}")


def item_moves(session: Session, old: ItemParameterSet, new: ItemParameterSet) -> list[ItemMove]:
    """Items in both sets with their a and b in each, by slug."""
    rows = session.exec(
        select(Item.slug, ItemParameter)
        .join(ItemParameter, col(ItemParameter.item_id) == Item.id)
        .where(col(ItemParameter.parameter_set_id).in_([old.id, new.id]))
        .order_by(col(Item.slug))
    ).all()
    seen: dict[str, dict[int, ItemParameter]] = {}
    for slug, parameter in rows:
        seen.setdefault(slug, {})[parameter.parameter_set_id] = parameter
    return [
        ItemMove(slug, p[old.id or 0].a, p[new.id or 0].a, p[old.id or 0].b, p[new.id or 0].b)
        for slug, p in seen.items()
        if len(p) == 2
    ]


def preview(session: Session, competency: Competency, version: int) -> Preview:
    """What activating `version` would change, computed without writing anything."""
    chosen = version_of(session, competency, version)
    current = current_parameter_set(session, competency)
    planned = rescoring.plan(session, competency, chosen)
    changes = [abs(p.theta - p.level.theta) for p in planned]
    return Preview(
        current=current,
        chosen=chosen,
        items=item_moves(session, current, chosen),
        learners=len(planned),
        band_changes=sum(1 for p in planned if p.band_changes),
        largest_theta_change=max(changes, default=0.0),
    )


@dataclass(frozen=True)
class Activation:
    """A set made active, and the learners' levels it wrote."""

    chosen: ItemParameterSet
    learners: int
    band_changes: int


def activate_and_rescore(session: Session, competency: Competency, version: int) -> Activation:
    """Make `version` the active set and re-score (or restore) the learners' levels under it."""
    chosen = activate(session, competency, version)
    planned = rescoring.plan(session, competency, chosen)
    changed = rescoring.apply(session, planned)
    return Activation(chosen, len(planned), changed)
