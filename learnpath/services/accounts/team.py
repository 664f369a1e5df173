"""My team: a manager's direct reports with their programs, status, due dates and levels.

Built from the same enrollment records the HR API serves (status, overdue, progress and the
level against the target per competency), so the manager and HR read one truth. A manager sees
levels as names (novice … expert), never ability estimates: the placement part of a record, which
holds them, is left out here.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from learnpath.models import Competency, Enrollment, Learner
from learnpath.models.base import pk
from learnpath.services.integration import records
from learnpath.services.integration.loaders import current_levels

SHOWN = ("status", "overdue", "due_at", "completed_at", "progress_pct", "competencies")
"""What a manager sees of an enrollment record (program title aside)."""


@dataclass
class Member:
    """A direct report: their profile, one entry per program, their levels by competency."""

    learner: Learner
    programs: list[dict[str, Any]] = field(default_factory=list)
    levels: list[tuple[str, str]] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        """How many of their programs are past the due date and not completed."""
        return sum(1 for p in self.programs if p["overdue"])


def has_reports(session: Session, learner_id: int) -> bool:
    """Whether anyone reports to this learner."""
    found = session.exec(select(Learner.id).where(Learner.manager_id == learner_id)).first()
    return found is not None


def team(session: Session, manager_id: int, now: datetime) -> list[Member]:
    """The manager's direct reports, by name, with their programs and levels."""
    reports = session.exec(
        select(Learner).where(Learner.manager_id == manager_id).order_by(col(Learner.name))
    ).all()
    return _members(session, list(reports), now)


def member(session: Session, manager_id: int, learner_id: int, now: datetime) -> Member | None:
    """One direct report, or None when the learner does not report to this manager."""
    learner = session.get(Learner, learner_id)
    if learner is None or learner.manager_id != manager_id:
        return None
    return _members(session, [learner], now)[0]


def _members(session: Session, reports: list[Learner], now: datetime) -> list[Member]:
    ids = [pk(r) for r in reports]
    found = session.exec(
        records.rows().where(col(Enrollment.learner_id).in_(ids)).order_by(col(Enrollment.id))
    ).all()
    by_learner: dict[int, list[dict[str, Any]]] = {}
    for row, record in zip(found, records.build(session, found, now), strict=True):
        shown = {key: record[key] for key in SHOWN} | {"title": record["program"]["title"]}
        by_learner.setdefault(row.learner_id, []).append(shown)
    names = dict(session.exec(select(Competency.id, Competency.name)).all())
    levels = current_levels(session, ids)
    return [
        Member(
            r,
            by_learner.get(pk(r), []),
            sorted((names[c], lv) for c, lv in levels.get(pk(r), {}).items()),
        )
        for r in reports
    ]
