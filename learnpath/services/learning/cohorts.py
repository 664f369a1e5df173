"""The learners of one program version (a facilitated version is a facilitator's cohort)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from learnpath.models import Enrollment, Learner, Program
from learnpath.models.base import pk


@dataclass(frozen=True)
class Member:
    """An enrollment in the version, with its learner."""

    enrollment: Enrollment
    learner: Learner


@dataclass(frozen=True)
class Page:
    """One page of a version's learners, and how many there are in all."""

    members: list[Member]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.per_page))


def page_of(session: Session, program: Program, page: int, per_page: int = 100) -> Page:
    """Page `page` (from 1) of everyone enrolled in the version, withdrawn ones too, by name."""
    total = session.exec(
        select(func.count()).select_from(Enrollment).where(Enrollment.program_id == pk(program))
    ).one()
    page = min(max(1, page), max(1, -(-total // per_page)))
    query = _ordered(program).limit(per_page).offset((page - 1) * per_page)
    rows = [Member(e, x) for e, x in session.exec(query).all()]
    return Page(rows, total, page, per_page)


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
