"""Studying a module: the time spent on it, and completing it.

Time spent is measured by the server from the first opening of the module to its completion,
capped at three times the author's estimate (a tab left open overnight is not study time); the
learner may correct it on the completion form, within 1 to 600 minutes. The re-plan after a
completion finishes the program when nothing is left (`trajectory.settle`, the one place that
decides it for every re-plan).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from learnpath.models import Module
from learnpath.models.base import pk
from learnpath.services.learning import events
from learnpath.services.learning.trajectory import Trajectory, TrajectoryError, replan
from learnpath.vocabulary import aware

MAX_MINUTES = 600


def measured_minutes(trajectory: Trajectory, module: Module, now: datetime) -> int:
    """Minutes since the learner first opened the module, capped at 3× the estimate."""
    step = trajectory.step_of(module)
    if step is None or step.started_at is None:
        return module.minutes
    elapsed = (now - aware(step.started_at)).total_seconds() / 60
    return max(1, min(round(elapsed), 3 * module.minutes))


def complete(
    session: Session, trajectory: Trajectory, module: Module, minutes: int, now: datetime
) -> Trajectory:
    """Mark a planned, unlocked module completed and re-plan (which may finish the program)."""
    step = trajectory.step_of(module)
    if step is not None and step.status == "completed":
        return trajectory  # a double submit: it is done already, nothing changes
    if step is None or step.status != "planned":
        raise TrajectoryError(f"“{module.title}” is not a planned step of this trajectory")
    blockers = trajectory.blockers(step)
    if blockers:
        names = ", ".join(f"“{b.title}”" for b in blockers)
        raise TrajectoryError(f"“{module.title}” is locked until you complete {names}")
    if not 1 <= minutes <= MAX_MINUTES:
        raise TrajectoryError(f"minutes spent must be between 1 and {MAX_MINUTES}")
    enrollment = trajectory.enrollment
    step.status, step.completed_at, step.time_spent_s = "completed", now, minutes * 60
    step.started_at = step.started_at or now
    session.add(step)
    events.record(
        session,
        "completed",
        enrollment.learner_id,
        key=("module", pk(enrollment), pk(module)),
        enrollment_id=pk(enrollment),
        module_id=pk(module),
        time_spent_s=minutes * 60,
        occurred_at=now,
    )
    events.touch_enrollment(session, pk(enrollment), now)
    session.flush()
    return replan(session, enrollment)
