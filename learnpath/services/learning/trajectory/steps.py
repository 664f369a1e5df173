"""Writing a plan's steps over the stored ones: progress is kept, never deleted."""

from __future__ import annotations

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
OFF_PATH = {  # a started module that left the pool: its row and progress stay
    "status": "excluded",
    "mandatory": False,
    "reason_code": "not_in_pool",
    "reason_text": "no longer on your path; what you did in it is kept",
    "planned_week": None,
    "planned_date": None,
    "planned_minutes": 0,
}


def store(
    session: Session, enrollment: Enrollment, result: planning.Plan, modules: dict[int, Module]
) -> list[TrajectoryStep]:
    """Write the plan's steps over the stored ones; changed records touch the enrollment."""
    ids = {m.slug: i for i, m in modules.items()}
    stored = {
        s.module_id: s
        for s in session.exec(
            select(TrajectoryStep).where(TrajectoryStep.enrollment_id == enrollment.id)
        ).all()
    }
    now, changed, kept = utcnow(), False, []
    for step in result.steps:
        row = stored.pop(ids[step.module], None) or TrajectoryStep(
            enrollment_id=pk(enrollment), module_id=ids[step.module], position=0
        )
        values = {name: getattr(step, name) for name in STEP_FIELDS}
        if any(getattr(row, k) != v for k, v in values.items()) or row.id is None:
            if step.status == "waived" and row.status != "waived":
                _waived(session, enrollment, row.module_id, step.reason_text)
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at, changed = now, True
            session.add(row)
        kept.append(row)
    for gone in stored.values():  # modules no longer in the learner's pool
        if gone.started_at is None and gone.completed_at is None and not gone.time_spent_s:
            session.delete(gone)
            changed = True
            continue
        values = {**(OFF_PATH if gone.status != "completed" else {}), "position": len(kept)}
        if any(getattr(gone, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(gone, name, value)
            gone.updated_at, changed = now, True
            session.add(gone)
        kept.append(gone)
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
