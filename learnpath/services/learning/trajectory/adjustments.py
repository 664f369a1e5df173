"""The learner's adjustments: applied if the rules allow, withdrawn on Undo, told in words."""

from __future__ import annotations

from sqlmodel import Session

from learnpath import planning
from learnpath.models import Adjustment, Enrollment
from learnpath.models.base import pk
from learnpath.services.learning.planinputs import plan_input
from learnpath.services.learning.trajectory.plans import Trajectory, TrajectoryError, replan
from learnpath.vocabulary import utcnow


def adjust(
    session: Session, enrollment: Enrollment, user_id: int | None, change: planning.Adjustment
) -> planning.Refusal | Trajectory:
    """Apply a learner's change if the rules allow it; a refusal changes nothing."""
    inp, modules = plan_input(session, enrollment, utcnow().date())
    refusal = planning.validate_adjustment(inp, change)
    if refusal is not None:
        return refusal
    ids = {m.slug: i for i, m in modules.items()}
    payload = {
        "before": change.before,
        "after": change.after,
        "position": change.position,
        "pace_minutes_per_week": change.pace_minutes_per_week,
        "due_date": change.due_date.isoformat() if change.due_date else None,
    }
    if inp.adjustments and inp.adjustments[-1] == change:
        return replan(session, enrollment)  # the same change twice (double submit): once
    session.add(
        Adjustment(
            enrollment_id=pk(enrollment),
            user_id=user_id,
            kind=change.kind,
            module_id=ids.get(change.module or ""),
            payload={k: v for k, v in payload.items() if v is not None},
            message=describe(change, {m.slug: m.title for m in modules.values()}),
        )
    )
    session.flush()
    return replan(session, enrollment)


def undo(session: Session, enrollment: Enrollment, adjustment_id: int) -> Trajectory:
    """Withdraw one of the learner's adjustments; the log keeps it, marked withdrawn."""
    row = session.get(Adjustment, adjustment_id)
    if row is None or row.enrollment_id != enrollment.id or not row.active:
        raise TrajectoryError("no such active change in this trajectory")
    row.active, row.withdrawn_at = False, utcnow()
    session.add(row)
    session.flush()
    return replan(session, enrollment)


def describe(change: planning.Adjustment, titles: dict[str, str]) -> str:
    """A change in words, e.g. 'Moved “Dashboards” before “Charts”'."""

    def t(slug: str | None) -> str:
        return f"“{titles.get(slug or '', slug)}”"

    if change.kind == "move":
        if change.before:
            return f"Moved {t(change.module)} before {t(change.before)}"
        if change.after:
            return f"Moved {t(change.module)} after {t(change.after)}"
        return f"Moved {t(change.module)} to position {(change.position or 0) + 1}"
    if change.kind == "pace":
        return f"Set the weekly time to {change.pace_minutes_per_week} minutes"
    if change.kind == "due_date":
        when = change.due_date.isoformat() if change.due_date else "none"
        return f"Set the target date to {when}"
    verbs = {
        "add": "Added the elective",
        "take_waived": "Took anyway the Tested-Out module",
        "drop": "Dropped the optional module",
        "alternative": "Chose the format",
    }
    return f"{verbs[change.kind]} {t(change.module)}"
