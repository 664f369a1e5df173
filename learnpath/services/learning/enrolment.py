"""Enrolling a learner in a program version, withdrawing and re-enrolling: one rule for all.

Used by the HR API (`integration.enrollments.assign`), the studio's assignment and a learner's
self-enrolment. An enrollment is one row per learner and program version: enrolling twice
changes nothing; withdrawing sets status `withdrawn` and keeps every step, answer and date, so
re-enrolling puts the same row back where it stopped (`in_progress` if it had started).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from learnpath.models import Enrollment, Learner, Program
from learnpath.models.base import pk
from learnpath.services.learning import trajectory

Change = Literal["created", "reopened", "unchanged"]
"""What enrolling did: a new enrollment, a withdrawn one re-opened, or nothing."""


class EnrolmentError(ValueError):
    """An enrolment the data refuses: which side (`learner` or `program`), and why."""

    def __init__(self, side: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.side, self.message, self.status = side, message, status


def enrollment_of(session: Session, learner_id: int, program_id: int) -> Enrollment | None:
    """The learner's enrollment in this program version, withdrawn or not."""
    return session.exec(
        select(Enrollment).where(
            Enrollment.learner_id == learner_id, Enrollment.program_id == program_id
        )
    ).first()


def enrol(
    session: Session,
    learner: Learner,
    program: Program,
    source: str,
    due_at: datetime | None = None,
    plan: bool = True,
) -> tuple[Enrollment, Change]:
    """Enrol (or re-enrol) the learner; the enrollment and what changed.

    An open or completed enrollment is returned unchanged. A withdrawn one is re-opened with its
    progress, and takes the new due date if one is given. `plan=False` (bulk assignment) stores
    no plan now: the learner's first event stores it, and until then the HR record counts the
    program's modules (records.py); planning costs tens of milliseconds per learner.
    """
    existing = enrollment_of(session, pk(learner), pk(program))
    if existing is not None and existing.status != "withdrawn":
        return existing, "unchanged"
    _check(program, learner)
    if existing is not None:
        return _reopen(session, existing, due_at, plan), "reopened"
    enrollment = Enrollment(
        learner_id=pk(learner), program_id=pk(program), source=source, due_at=due_at
    )
    try:
        with session.begin_nested():
            session.add(enrollment)
    except IntegrityError:  # enrolled at the same moment by another request
        found = enrollment_of(session, pk(learner), pk(program))
        assert found is not None
        return found, "unchanged"
    _stored(session, enrollment, plan)
    return enrollment, "created"


def _check(program: Program, learner: Learner) -> None:
    """Refuse a version that is not published and a deactivated learner."""
    if program.status != "published":
        raise EnrolmentError(
            "program", f"the program is {program.status}, not published", status=409
        )
    if not learner.active:
        raise EnrolmentError("learner", "the learner is deactivated", status=409)


def enrol_many(
    session: Session,
    learners: list[Learner],
    program: Program,
    source: str,
    due_at: datetime | None = None,
) -> int:
    """Enrol many learners as `enrol` would (plans not stored), in one insert; how many changed.

    Thousands take about a second. If someone else enrolled one of them meanwhile, the insert
    is undone and each is enrolled on its own (`enrol` finds theirs and leaves it).
    """
    existing = {
        e.learner_id: e
        for e in session.exec(
            select(Enrollment).where(
                Enrollment.program_id == pk(program),
                col(Enrollment.learner_id).in_([pk(x) for x in learners]),
            )
        )
    }
    changed, new = 0, []
    for learner in learners:
        found = existing.get(pk(learner))
        if found is not None and found.status != "withdrawn":
            continue
        _check(program, learner)
        if found is not None:
            _reopen(session, found, due_at, plan=False)
            changed += 1
        else:
            new.append(learner)
    rows = [
        Enrollment(learner_id=pk(x), program_id=pk(program), source=source, due_at=due_at)
        for x in new
    ]
    try:
        with session.begin_nested():
            session.add_all(rows)
    except IntegrityError:  # one of them was enrolled at the same moment by another request
        return changed + sum(
            enrol(session, x, program, source, due_at, plan=False)[1] != "unchanged" for x in new
        )
    return changed + len(rows)


def _reopen(
    session: Session, enrollment: Enrollment, due_at: datetime | None, plan: bool
) -> Enrollment:
    """A withdrawn enrollment continues where it stopped."""
    enrollment.status = "in_progress" if enrollment.started_at else "assigned"
    if due_at is not None:
        enrollment.due_at = due_at
    session.add(enrollment)
    session.flush()
    _stored(session, enrollment, plan)
    return enrollment


def _stored(session: Session, enrollment: Enrollment, plan: bool) -> None:
    """Store the plan if asked (so the HR record counts its steps); read back updated_at."""
    if plan:
        trajectory.replan(session, enrollment)
    session.refresh(enrollment)  # the database stamps updated_at


def withdraw(session: Session, enrollment: Enrollment) -> bool:
    """Unenrol: status `withdrawn`, everything else kept; False if it was not open."""
    if enrollment.status not in trajectory.OPEN:
        return False
    enrollment.status = "withdrawn"
    session.add(enrollment)
    session.flush()
    return True


def set_due(session: Session, enrollments: list[Enrollment], due_at: datetime | None) -> int:
    """Give these enrollments a due date (None: none); how many changed."""
    changed = 0
    for enrollment in enrollments:
        if enrollment.due_at != due_at:
            enrollment.due_at = due_at
            session.add(enrollment)
            changed += 1
    session.flush()
    return changed
