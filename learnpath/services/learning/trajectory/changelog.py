"""The learner's log: changes to a trajectory and, since it was assigned, to their profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from learnpath.models import Adjustment, Enrollment
from learnpath.models.base import pk
from learnpath.models.progress import ProfileChange
from learnpath.vocabulary import aware


@dataclass(frozen=True)
class LogEntry:
    """One line of the learner's log: a change to this trajectory, or to their profile."""

    at: datetime
    message: str
    adjustment_id: int | None = None  # None for a profile change
    active: bool = False
    withdrawn_at: datetime | None = None

    @property
    def undoable(self) -> bool:
        """A trajectory change still in force can be withdrawn."""
        return self.adjustment_id is not None and self.active

    @property
    def withdrawn(self) -> bool:
        """A trajectory change that was undone or replaced."""
        return self.adjustment_id is not None and not self.active


def log(session: Session, enrollment: Enrollment) -> list[LogEntry]:
    """The learner's changes to this trajectory and, since it was assigned, to their profile."""
    adjustments = session.exec(
        select(Adjustment).where(Adjustment.enrollment_id == enrollment.id)
    ).all()
    profile = session.exec(
        select(ProfileChange).where(
            ProfileChange.learner_id == enrollment.learner_id,
            ProfileChange.created_at >= enrollment.assigned_at,
        )
    ).all()
    ranked = [
        ((aware(p.created_at), 0, pk(p)), LogEntry(aware(p.created_at), p.message)) for p in profile
    ]
    for a in adjustments:
        withdrawn = aware(a.withdrawn_at) if a.withdrawn_at else None
        entry = LogEntry(aware(a.created_at), a.message, pk(a), a.active, withdrawn)
        ranked.append(((entry.at, 1, pk(a)), entry))
    return [entry for _, entry in sorted(ranked, key=lambda r: r[0], reverse=True)]
