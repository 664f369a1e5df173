"""The outcome of an enrollment: finished when nothing is left, passed or failed on its targets."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from learnpath import planning
from learnpath.models import Enrollment
from learnpath.models.base import pk
from learnpath.services.learning import events
from learnpath.vocabulary import utcnow

OPEN = ("assigned", "in_progress")


def settle(
    session: Session, enrollment: Enrollment, inp: planning.PlanInput, result: planning.Plan
) -> None:
    """The one rule every re-plan applies to the enrollment's status and verdict.

    An open enrollment with nothing left planned (and something completed or waived) is
    finished (`finish_program`); a completed one that now meets its targets is passed, once.
    """
    if enrollment.status in OPEN:
        progressed = any(s.status in ("completed", "waived") for s in result.steps)
        if progressed and not result.planned:
            finish_program(session, enrollment, inp, utcnow())
    elif (
        enrollment.status == "completed"
        and planning.verdict(inp, inp.learner.level_names) == "passed"
    ):
        _program_event(session, enrollment, "passed", utcnow())


def finish_program(
    session: Session, enrollment: Enrollment, inp: planning.PlanInput, now: datetime
) -> None:
    """Nothing left to study: the enrollment is completed, and passed or failed on its targets.

    Passed when every target competency is measured at or above its target level, failed when
    every one is measured and one is below it, neither while one is not measured. A later quiz
    that brings a completed enrollment to its targets passes it then (`settle`): the events'
    stable keys record each verb once, so a program failed at the end may be passed later.
    """
    enrollment.status, enrollment.completed_at = "completed", now
    enrollment.started_at = enrollment.started_at or now
    enrollment.updated_at = now
    session.add(enrollment)
    _program_event(session, enrollment, "completed", now)
    outcome = planning.verdict(inp, inp.learner.level_names)
    if outcome is not None:
        _program_event(session, enrollment, outcome, now)


def _program_event(session: Session, enrollment: Enrollment, verb: str, now: datetime) -> None:
    """A program-level learning event of the enrollment, recorded once per verb."""
    key = ("program", pk(enrollment))
    events.record(
        session, verb, enrollment.learner_id, key=key, enrollment_id=pk(enrollment), occurred_at=now
    )
