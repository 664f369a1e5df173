"""The learners of one program version (a facilitated version is a facilitator's cohort)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from learnpath.models import Enrollment, Learner, Program
from learnpath.models.base import pk


@dataclass(frozen=True)
class Member:
    """An enrollment in the version, with its learner."""

    enrollment: Enrollment
    learner: Learner


def members(session: Session, program: Program, withdrawn: bool = True) -> list[Member]:
    """Everyone enrolled in the version, by name; withdrawn ones too unless told not."""
    query = (
        select(Enrollment, Learner)
        .join(Learner, col(Learner.id) == Enrollment.learner_id)
        .where(Enrollment.program_id == pk(program))
        .order_by(col(Learner.name), col(Learner.id))
    )
    if not withdrawn:
        query = query.where(col(Enrollment.status) != "withdrawn")
    return [Member(e, x) for e, x in session.exec(query).all()]


def member(session: Session, program: Program, enrollment_id: int) -> Enrollment | None:
    """One enrollment of this version, or None (also for another version's enrollment)."""
    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.program_id != pk(program):
        return None
    return enrollment
