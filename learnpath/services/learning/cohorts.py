"""The learners of one program version (a facilitated version is a facilitator's cohort)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from learnpath.models import Enrollment, Learner, Program
from learnpath.models.base import pk
from learnpath.services.catalog import paging
from learnpath.services.catalog.paging import Page


@dataclass(frozen=True)
class Member:
    """An enrollment in the version, with its learner."""

    enrollment: Enrollment
    learner: Learner


def page_of(session: Session, program: Program, number: int, size: int = 100) -> Page[Member]:
    """Page `number` (from 1) of everyone enrolled in the version, withdrawn ones too, by name."""
    found = paging.page_of(session, _ordered(program), number, size)
    members = [Member(e, x) for e, x in found.rows]
    return Page(members, found.number, found.size, found.total)


def _ordered(program: Program) -> Select[Enrollment, Learner]:
    """Every enrollment of the version with its learner, by name."""
    return (
        select(Enrollment, Learner)
        .join(Learner, col(Learner.id) == Enrollment.learner_id)
        .where(Enrollment.program_id == pk(program))
        .order_by(col(Learner.name), col(Learner.id))
    )


def members(session: Session, program: Program, withdrawn: bool = True) -> list[Member]:
    """Everyone enrolled in the version, by name; withdrawn ones too unless told not."""
    query = _ordered(program)
    if not withdrawn:
        query = query.where(col(Enrollment.status) != "withdrawn")
    return [Member(e, x) for e, x in session.exec(query).all()]


def member(session: Session, program: Program, enrollment_id: int) -> Enrollment | None:
    """One enrollment of this version, or None (also for another version's enrollment)."""
    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.program_id != pk(program):
        return None
    return enrollment
