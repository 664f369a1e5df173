"""The xAPI statements resource: filters, newest- or oldest-first pages, and their names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, false, tuple_
from sqlmodel import Session, col, select

from learnpath.models import Attempt, Enrollment, Item, Learner, Module, Program, ProgressEvent
from learnpath.models.base import pk
from learnpath.services.integration import xapi as api_xapi
from learnpath.services.integration.sync import Window, consistent_through
from learnpath.vocabulary import aware

MAX_LIMIT = 500


@dataclass(frozen=True)
class Query:
    """The statements filters of xAPI 1.0.3 §7.2.3 that this LRS supports."""

    agent: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100
    ascending: bool = False
    related_activities: bool = False  # activity also matches context activities (parent, grouping)
    related_agents: bool = False  # agent also matches the authority


def one(session: Session, statement_id: str, home_page: str) -> dict[str, Any] | None:
    """The statement with this id, if any."""
    row = session.exec(
        select(ProgressEvent, Learner.external_id)
        .join(Learner, col(Learner.id) == ProgressEvent.learner_id)
        .where(ProgressEvent.uid == statement_id.lower())
    ).first()
    return _statements(session, [row], home_page)[0] if row else None


def through(session: Session, query: Query) -> datetime:
    """The consistent-through time of a first page (capped by `until`)."""
    watermark = consistent_through(session)
    return min(watermark, query.until) if query.until else watermark


def page(
    session: Session,
    query: Query,
    window: Window,
    home_page: str,
) -> tuple[list[dict[str, Any]], tuple[datetime, int] | None]:
    """Statements stored in the window, in the asked order, and the position of the last one."""
    stamp, key = col(ProgressEvent.stored_at), col(ProgressEvent.id)
    sql = (
        select(ProgressEvent, Learner.external_id)
        .join(Learner, col(Learner.id) == ProgressEvent.learner_id)
        .where(stamp <= window.through, *_filters(session, query))
    )
    if window.since is not None:
        sql = sql.where(stamp > window.since)
    if window.after is not None:
        position = tuple_(stamp, key), tuple_(*window.after)
        sql = sql.where(position[0] > position[1] if query.ascending else position[0] < position[1])
    order = (stamp, key) if query.ascending else (stamp.desc(), key.desc())
    rows = list(session.exec(sql.order_by(*order).limit(window.limit + 1)).all())
    more = None
    if len(rows) > window.limit:
        rows = rows[: window.limit]
        more = (aware(rows[-1][0].stored_at), pk(rows[-1][0]))
    return _statements(session, rows, home_page), more


def _filters(session: Session, query: Query) -> list[Any]:
    found: list[Any] = []
    if query.agent is not None and not _is_authority(query):
        found.append(Learner.external_id == query.agent)
    if query.verb is not None:
        verbs = [v for v, iri in api_xapi.VERB_IRIS.items() if iri == query.verb]
        found.append(col(ProgressEvent.verb).in_(verbs) if verbs else false())
    if query.registration is not None:
        enrollment_id = api_xapi.enrollment_of(query.registration)
        found.append(ProgressEvent.enrollment_id == enrollment_id if enrollment_id else false())
    if query.activity is not None:
        found.append(_activity_filter(session, query.activity, query.related_activities))
    return found


def _is_authority(query: Query) -> bool:
    """Whether a related_agents filter names the authority, which every statement has."""
    return query.related_agents and query.agent == api_xapi.AUTHORITY


def _activity_filter(session: Session, iri: str, related: bool = False) -> Any:
    """Statements whose object is this activity (modules, programs and placements).

    With `related`, also those that have it as a context activity: a program groups every
    statement of its enrollments, and a placement is the parent of its answers.
    """
    parts = iri.split(":")
    if iri.startswith("urn:learnpath:module:") and len(parts) == 4:
        module = session.exec(select(Module).where(Module.slug == parts[3])).first()
        return ProgressEvent.module_id == module.id if module else false()
    if not iri.startswith("urn:learnpath:program:") or len(parts) not in (5, 6):
        return false()
    version = parts[4].removeprefix("v")
    program = (
        session.exec(
            select(Program).where(Program.slug == parts[3], Program.version == int(version))
        ).first()
        if re.fullmatch(r"[0-9]{1,8}", version)
        else None
    )
    if program is None or (len(parts) == 6 and parts[5] != "placement"):
        return false()
    enrollments = select(Enrollment.id).where(Enrollment.program_id == program.id)
    in_program = col(ProgressEvent.enrollment_id).in_(enrollments)
    if len(parts) == 5:
        if related:
            return in_program
        no_part = and_(
            col(ProgressEvent.module_id).is_(None), col(ProgressEvent.attempt_id).is_(None)
        )
        return and_(in_program, no_part)
    placements = select(Attempt.id).where(Attempt.kind == "placement")
    in_placement = and_(in_program, col(ProgressEvent.attempt_id).in_(placements))
    return in_placement if related else and_(in_placement, col(ProgressEvent.verb) != "answered")


def _statements(session: Session, rows: Sequence[Any], home_page: str) -> list[dict[str, Any]]:
    events = [row[0] for row in rows]
    names = _names(session, events, home_page)
    return [api_xapi.statement(row[0], row[1], names) for row in rows]


def _names(session: Session, events: Sequence[ProgressEvent], home_page: str) -> api_xapi.Names:
    """The modules, programs, attempts and items a page of events mentions, loaded at once."""
    module_ids = {e.module_id for e in events if e.module_id}
    attempt_ids = {e.attempt_id for e in events if e.attempt_id}
    enrollment_ids = {e.enrollment_id for e in events if e.enrollment_id}
    item_ids = {int(e.result["item_id"]) for e in events if e.verb == "answered"}
    programs = session.exec(
        select(Enrollment.id, Program)
        .join(Program, col(Program.id) == Enrollment.program_id)
        .where(col(Enrollment.id).in_(enrollment_ids))
    ).all()
    return api_xapi.Names(
        modules=_by_id(session, Module, module_ids),
        programs_by_enrollment={int(eid): program for eid, program in programs if eid},
        attempts=_by_id(session, Attempt, attempt_ids),
        items=_by_id(session, Item, item_ids),
        home_page=home_page,
    )


def _by_id(session: Session, model: Any, ids: set[Any]) -> dict[int, Any]:
    if not ids:
        return {}
    return {pk(row): row for row in session.exec(select(model).where(col(model.id).in_(ids)))}
