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
from sqlmodel import Session, select

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
) -> tuple[Enrollment, Change]:
    """Enrol (or re-enrol) the learner; the enrollment and what changed.

    An open or completed enrollment is returned unchanged. A withdrawn one is re-opened with its
    progress, and takes the new due date if one is given.
    """
    existing = enrollment_of(session, pk(learner), pk(program))
    if existing is not None and existing.status != "withdrawn":
        return existing, "unchanged"
    if program.status != "published":
        raise EnrolmentError("program", f"the program is {program.status}, not published")
    if not learner.active:
        raise EnrolmentError("learner", "the learner is deactivated", status=409)
    if existing is not None:
        return _reopen(session, existing, due_at), "reopened"
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
    trajectory.replan(session, enrollment)  # its plan is stored, so its record counts steps
    session.refresh(enrollment)  # the database stamps updated_at
    return enrollment, "created"


def _reopen(session: Session, enrollment: Enrollment, due_at: datetime | None) -> Enrollment:
    """A withdrawn enrollment continues where it stopped."""
    enrollment.status = "in_progress" if enrollment.started_at else "assigned"
    if due_at is not None:
        enrollment.due_at = due_at
    session.add(enrollment)
    session.flush()
    trajectory.replan(session, enrollment)
    session.refresh(enrollment)
    return enrollment


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
