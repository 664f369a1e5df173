"""Programs and enrollments for the API: the catalog, idempotent assignment, record pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, not_, or_
from sqlmodel import Session, col, select

from learnpath.models import Enrollment, Learner, Program
from learnpath.models.base import pk
from learnpath.services.integration import records
from learnpath.services.integration import schemas as out
from learnpath.services.integration.ids import maybe_public_id, public_id, row_id
from learnpath.services.integration.learners import by_external_id
from learnpath.services.integration.loaders import ProgramFacts, fetch, program_facts
from learnpath.services.integration.sync import Window, page_of
from learnpath.services.learning import enrolment
from learnpath.vocabulary import aware


@dataclass(frozen=True)
class Filters:
    """What a client narrows an enrollment listing to."""

    status: str | None = None
    program_id: int | None = None
    learner_external_id: str | None = None


def programs(session: Session, window: Window) -> tuple[list[out.ProgramOut], str | None]:
    """Program versions changed in the window, in (updated_at, id) order, and the next cursor."""
    query = window.apply(select(Program), col(Program.updated_at), col(Program.id))
    rows, cursor = page_of(list(session.exec(query).all()), window, _program_position)
    facts = program_facts(session, [pk(p) for p in rows])
    return [_program(p, facts) for p in rows], cursor


def _program_position(program: Program) -> tuple[object, int]:
    return aware(program.updated_at), pk(program)


def _program(program: Program, facts: ProgramFacts) -> out.ProgramOut:
    return out.ProgramOut(
        id=public_id("program", program.id),
        slug=program.slug,
        title=program.title,
        depth=program.depth,
        version=program.version,
        status=program.status,  # type: ignore[arg-type]
        parent_id=maybe_public_id("program", program.parent_id),
        competencies=[
            out.CompetencyRef(id=public_id("competency", cid), slug=slug, name=name)
            for cid, slug, name in facts.competencies.get(pk(program), [])
        ],
        estimated_minutes=facts.minutes.get(pk(program), 0),
    )


def assign(session: Session, data: out.EnrollmentIn) -> tuple[Enrollment, bool]:
    """Enroll a learner in a program version and store its plan; an existing one is unchanged.

    A withdrawn enrollment is re-opened where it stopped (the shared rule: `enrolment.enrol`);
    like any existing one it is not new (the API answers 200, not 201).
    """
    learner = by_external_id(session, data.learner_external_id)
    if learner is None:
        raise out.InputError("learner_external_id", "no learner has this external id")
    number = row_id("program", data.program_id)
    program = session.get(Program, number) if number else None
    if program is None:
        raise out.InputError("program_id", "no program has this id")
    try:
        enrollment, change = enrolment.enrol(session, learner, program, "api", data.due_at)
    except enrolment.EnrolmentError as exc:
        field = "program_id" if exc.side == "program" else "learner_external_id"
        raise out.InputError(field, exc.message, status=exc.status) from exc
    return enrollment, change == "created"


def record(session: Session, enrollment: Enrollment) -> out.EnrollmentRecord:
    """One enrollment's normalized record."""
    found = fetch(session, records.rows().where(Enrollment.id == enrollment.id))
    return out.EnrollmentRecord.model_validate(records.build(session, found)[0])


def page(session: Session, window: Window, filters: Filters) -> tuple[list[str], str | None]:
    """Records (JSON text) changed in the window, in (updated_at, id) order, and the cursor."""
    query = records.rows()
    if filters.program_id is not None:
        query = query.where(Enrollment.program_id == filters.program_id)
    if filters.learner_external_id is not None:
        query = query.where(Learner.external_id == filters.learner_external_id)
    if filters.status is not None:
        query = query.where(_status_is(filters.status))
    query = window.apply(query, col(Enrollment.updated_at), col(Enrollment.id))
    rows, cursor = page_of(list(fetch(session, query)), window, _position)
    return records.encode(session, rows), cursor


def _position(row: Any) -> tuple[object, int]:
    return aware(row.updated_at), int(row.id)


def _status_is(status: str) -> Any:
    """SQL for records.status_of(...) == status."""
    stored, active = col(Enrollment.status), col(Learner.active)
    if status == "completed":
        return stored == "completed"
    if status == "withdrawn":
        return and_(stored != "completed", or_(not_(active), stored == "withdrawn"))
    if status == "in_progress":
        return and_(stored == "in_progress", active)
    return and_(stored.not_in(("completed", "in_progress", "withdrawn")), active)
