"""Item exposure across every learner and worker: counted atomically, read as the engine's data.

A quiz session (attempt) counts once per competency it measures when it starts, and once per
item when the item is chosen for it (an item is never given twice in a session). Each count is
one statement, INSERT ... ON CONFLICT DO UPDATE SET n = n + 1: the database adds, so two
workers counting at once both count (a read-modify-write in Python would lose one). The engine
gets `ExposureState(counts, sessions)` with, per item, the sessions of its own competency, so
the ceiling holds per bank whatever else a placement measures.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from learnpath.irt import ExposureState
from learnpath.models import Competency, CompetencyExposure, Item, ItemExposure
from learnpath.services.catalog.banks import BankSnapshot


def _add_one(session: Session, table: Any, key: str, counter: str, ids: Iterable[int]) -> None:
    """Raise `counter` by one on the rows of `ids`, inserting 1 for a row not there yet."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    column = getattr(table, counter)
    for one in sorted(set(ids)):  # a fixed order: two sessions never lock rows crosswise
        statement = dialect.insert(table).values({key: one, counter: 1})
        statement = statement.on_conflict_do_update(
            index_elements=[key], set_={counter: column + 1}
        )
        session.execute(statement)


def count_session(session: Session, competency_ids: Iterable[int]) -> None:
    """A quiz session started on these competencies' banks."""
    _add_one(session, CompetencyExposure, "competency_id", "sessions", competency_ids)


def count_shown(session: Session, item_id: int) -> None:
    """An item was chosen for a session (its page comes next)."""
    _add_one(session, ItemExposure, "item_id", "shown", [item_id])


def exposure_state(session: Session, snapshot: BankSnapshot) -> ExposureState:
    """The stored counts of a bank's items, with the sessions of each item's competency."""
    shown = dict(
        session.exec(
            select(ItemExposure.item_id, ItemExposure.shown).where(
                col(ItemExposure.item_id).in_(snapshot.item_ids)
            )
        ).all()
    )
    sessions = dict(
        session.exec(
            select(Competency.slug, CompetencyExposure.sessions)
            .join(CompetencyExposure, col(CompetencyExposure.competency_id) == Competency.id)
            .where(col(Competency.slug).in_(set(snapshot.competencies)))
        ).all()
    )
    counts = np.array([shown.get(i, 0) for i in snapshot.item_ids], dtype=np.int64)
    per_item = np.array([sessions.get(c, 0) for c in snapshot.competencies], dtype=np.int64)
    return ExposureState(counts, per_item)


def sessions_of(session: Session, competency_id: int) -> int:
    """Quiz sessions started on a competency's bank so far."""
    found = session.get(CompetencyExposure, competency_id)
    return found.sessions if found is not None else 0


def exposure_rates(session: Session, competency: Competency) -> dict[int, tuple[int, float]]:
    """Per item of a competency: sessions shown it and its share of the competency's sessions.

    Items never shown are absent; {} before the first session (no statistics yet).
    """
    total = sessions_of(session, competency.id or 0)
    rows = session.exec(
        select(ItemExposure.item_id, ItemExposure.shown)
        .join(Item, col(Item.id) == ItemExposure.item_id)
        .where(Item.competency_id == competency.id)
    ).all()
    return {item_id: (shown, shown / total if total else 0.0) for item_id, shown in rows}


def item_exposure(session: Session, item: Item) -> tuple[int, int] | None:
    """(sessions shown the item, sessions of its competency), or None before any session."""
    total = sessions_of(session, item.competency_id)
    if not total:
        return None
    found = session.get(ItemExposure, item.id)
    return (found.shown if found is not None else 0), total
