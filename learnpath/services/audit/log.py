"""Reading the audit log: filters, pages, the people and entities it names, CSV export."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from math import ceil

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from learnpath.models import AuditEntry
from learnpath.services.export import csv_row
from learnpath.vocabulary import iso_utc

CSV_COLUMNS = ("at", "actor", "actor_id", "origin", "action", "entity", "entity_id", "changes")


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to show: by whom, on which table (and row), between two days inclusive."""

    actor_id: int | None = None
    entity: str = ""
    entity_id: str = ""
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditPage:
    """One page of entries, newest first, and where it lies among all that match."""

    entries: list[AuditEntry]
    number: int
    pages: int
    total: int


def _matching(flt: AuditFilter) -> SelectOfScalar[AuditEntry]:
    query = select(AuditEntry)
    if flt.actor_id is not None:
        query = query.where(col(AuditEntry.actor_id) == flt.actor_id)
    if flt.entity:
        query = query.where(col(AuditEntry.entity) == flt.entity)
    if flt.entity_id:
        query = query.where(col(AuditEntry.entity_id) == flt.entity_id)
    if flt.since is not None:
        query = query.where(col(AuditEntry.at) >= datetime.combine(flt.since, time(), UTC))
    if flt.until is not None:
        end = datetime.combine(flt.until + timedelta(days=1), time(), UTC)
        query = query.where(col(AuditEntry.at) < end)
    return query


def page(session: Session, flt: AuditFilter, number: int, per_page: int = 50) -> AuditPage:
    """Page `number` (from 1; past the end gives the last) of the matching entries, newest first."""
    total = session.exec(select(func.count()).select_from(_matching(flt).subquery())).one()
    pages = max(1, ceil(total / per_page))
    number = min(max(1, number), pages)
    query = _matching(flt).order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc())
    entries = session.exec(query.offset((number - 1) * per_page).limit(per_page)).all()
    return AuditPage(list(entries), number, pages, total)


def actors(session: Session) -> list[tuple[int, str]]:
    """People the log names (id and the latest name recorded), by name."""
    latest = (
        select(AuditEntry.actor_id, func.max(AuditEntry.id).label("last"))
        .where(col(AuditEntry.actor_id).is_not(None))
        .group_by(col(AuditEntry.actor_id))
        .subquery()
    )
    rows = session.exec(
        select(AuditEntry.actor_id, AuditEntry.actor).join(
            latest, col(AuditEntry.id) == latest.c.last
        )
    ).all()
    return sorted(((int(i), name) for i, name in rows if i is not None), key=lambda r: r[1])


def entities(session: Session) -> list[str]:
    """The tables the log has entries for, in order."""
    query = select(AuditEntry.entity).distinct().order_by(col(AuditEntry.entity))
    return list(session.exec(query).all())


def csv_lines(session: Session, flt: AuditFilter, batch: int = 500) -> Iterator[str]:
    """The matching entries as CSV, oldest first, header first, formula cells neutralised."""
    query = _matching(flt).order_by(col(AuditEntry.at), col(AuditEntry.id))
    yield csv_row(CSV_COLUMNS)
    for entry in session.exec(query.execution_options(yield_per=batch)):
        changes = json.dumps(entry.changes, ensure_ascii=False, sort_keys=True)
        values = (iso_utc(entry.at), entry.actor, entry.actor_id, entry.origin, entry.action)
        yield csv_row((*values, entry.entity, entry.entity_id, changes))
