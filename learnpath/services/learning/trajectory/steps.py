"""A plan's steps over the stored ones: written by a re-plan, copied unsaved for a page.

Progress (start, completion, time spent) is kept: a row with progress is never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from learnpath import planning
from learnpath.models import Enrollment, Module, TrajectoryStep
from learnpath.models.base import pk
from learnpath.services.learning import events
from learnpath.vocabulary import utcnow

STEP_FIELDS = (
    "position",
    "status",
    "mandatory",
    "reason_code",
    "reason_text",
    "planned_week",
    "planned_date",
    "planned_minutes",
)
PROGRESS = ("time_spent_s", "started_at", "completed_at")
OFF_PATH = {  # a started module that left the pool: its row and progress stay
    "status": "excluded",
    "mandatory": False,
    "reason_code": "not_in_pool",
    "reason_text": "no longer on your path; what you did in it is kept",
    "planned_week": None,
    "planned_date": None,
    "planned_minutes": 0,
}


@dataclass(frozen=True)
class Placed:
    """One step of a plan laid over the stored rows: its row (None: new), module and values."""

    row: TrajectoryStep | None
    module_id: int
    values: dict[str, Any]


def stored_steps(session: Session, enrollment: Enrollment) -> dict[int, TrajectoryStep]:
    """The enrollment's stored steps by module id."""
    rows = session.exec(select(TrajectoryStep).where(TrajectoryStep.enrollment_id == enrollment.id))
    return {s.module_id: s for s in rows.all()}


def lay_out(
    result: planning.Plan, modules: dict[int, Module], stored: dict[int, TrajectoryStep]
) -> tuple[list[Placed], list[TrajectoryStep]]:
    """The plan's steps over the stored rows, in order, and the rows it drops (no progress)."""
    ids = {m.slug: i for i, m in modules.items()}
    left = dict(stored)
    placed = [
        Placed(left.pop(ids[step.module], None), ids[step.module], _values(step))
        for step in result.steps
    ]
    dropped = []
    for gone in left.values():  # modules no longer in the learner's pool
        if gone.started_at is None and gone.completed_at is None and not gone.time_spent_s:
            dropped.append(gone)
            continue
        values = {**(OFF_PATH if gone.status != "completed" else {}), "position": len(placed)}
        placed.append(Placed(gone, gone.module_id, values))
    return placed, dropped


def _values(step: planning.Step) -> dict[str, Any]:
    """What a plan step sets on its row."""
    return {name: getattr(step, name) for name in STEP_FIELDS}


@dataclass(frozen=True)
class ShownStep:
    """A step as a page shows it: the plan's values over the stored progress, never saved."""

    module_id: int
    position: int
    status: str
    mandatory: bool
    reason_code: str
    reason_text: str
    planned_week: int | None
    planned_date: date | None
    planned_minutes: int
    time_spent_s: int = 0
    started_at: datetime | None = None
    completed_at: datetime | None = None


def shown(placed: list[Placed]) -> list[ShownStep]:
    """The steps as a page shows them (light copies: a page never writes a row)."""
    out = []
    for p in placed:
        fields = STEP_FIELDS + PROGRESS if p.row else ()
        stored = {name: getattr(p.row, name) for name in fields}
        out.append(ShownStep(module_id=p.module_id, **{**stored, **p.values}))
    return out


def store(
    session: Session, enrollment: Enrollment, result: planning.Plan, modules: dict[int, Module]
) -> list[TrajectoryStep]:
    """Write the plan's steps over the stored ones; changed records touch the enrollment."""
    placed, dropped = lay_out(result, modules, stored_steps(session, enrollment))
    now, kept = utcnow(), []
    changed = bool(dropped)
    for gone in dropped:
        session.delete(gone)
    for p in placed:
        row = p.row or TrajectoryStep(
            enrollment_id=pk(enrollment), module_id=p.module_id, position=0
        )
        if row.id is None or any(getattr(row, k) != v for k, v in p.values.items()):
            if p.values.get("status") == "waived" and row.status != "waived":
                _waived(session, enrollment, row.module_id, p.values["reason_text"])
            for name, value in p.values.items():
                setattr(row, name, value)
            row.updated_at, changed = now, True
            session.add(row)
        kept.append(row)
    if changed:
        enrollment.updated_at = now
        session.add(enrollment)
    session.flush()
    return kept


def _waived(session: Session, enrollment: Enrollment, module_id: int, reason: str) -> None:
    """The learning event of a module waived for this learner (e.g. Tested Out)."""
    events.record(
        session,
        "waived",
        enrollment.learner_id,
        key=("module", pk(enrollment), module_id),
        enrollment_id=pk(enrollment),
        module_id=module_id,
        result={"reason": reason},
    )
