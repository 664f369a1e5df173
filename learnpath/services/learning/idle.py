"""Idle quiz attempts: closed as abandoned with what they reached, and shown so until then.

An attempt without activity for longer than the idle limit (ATTEMPT_IDLE_MINUTES) is over.
Closing it writes (its results, the learner's levels, their plans), so it happens on a request
that writes: the learner's next Start, Resume or answer (`close_idle` with their id), or
`flask close-idle-attempts` from cron (everyone's). Pages never write: they show an idle attempt
as it will be closed (`shown_closed`), abandoned with the same results and finished when it went
idle (last activity + the limit), which is also the finish time closing stores, so a page reads
the same before and after.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from learnpath.models import Attempt
from learnpath.models.base import pk
from learnpath.services.learning import results, trajectory
from learnpath.services.learning.quiz.answers import responses_of
from learnpath.vocabulary import aware, utcnow


def is_idle(attempt: Attempt, idle_minutes: float, now: datetime | None = None) -> bool:
    """Whether the attempt was inactive longer than `idle_minutes` (abandon_idle's rule)."""
    return aware(attempt.last_activity_at) < (now or utcnow()) - timedelta(minutes=idle_minutes)


def went_idle(attempt: Attempt, idle_minutes: float) -> datetime:
    """When an attempt became idle: its last activity plus the limit (an abandoned one's finish)."""
    return aware(attempt.last_activity_at) + timedelta(minutes=idle_minutes)


def abandon_idle(
    session: Session,
    idle_minutes: float,
    learner_id: int | None = None,
    now: datetime | None = None,
) -> list[Attempt]:
    """Finish attempts idle for longer than `idle_minutes` with what they reached ("abandoned")."""
    query = _idle(idle_minutes, learner_id, now or utcnow())
    idle = list(session.exec(query.with_for_update(skip_locked=True)).all())
    for attempt in idle:
        results.finalize(
            session, attempt, responses_of(session, attempt), "abandoned", now or utcnow()
        )
        attempt.finished_at = went_idle(attempt, idle_minutes)
    session.flush()
    return idle


def close_idle(
    session: Session,
    idle_minutes: float,
    learner_id: int | None = None,
    now: datetime | None = None,
) -> list[Attempt]:
    """Abandon the idle attempts (one learner's, or all) and re-plan their learners' trajectories.

    The one place that closes idle attempts: the quiz views and `close-idle-attempts` call it.
    """
    closed = abandon_idle(session, idle_minutes, learner_id, now)
    for learner in sorted({attempt.learner_id for attempt in closed}):
        trajectory.replan_learner(session, learner)
    return closed


def shown_closed(
    session: Session, learner_id: int, idle_minutes: float, now: datetime | None = None
) -> dict[int, Attempt]:
    """The learner's idle attempts as closing will store them, by id: unsaved copies, no write."""
    idle = session.exec(_idle(idle_minutes, learner_id, now or utcnow())).all()
    return {pk(attempt): _closed_copy(session, attempt, idle_minutes) for attempt in idle}


def _closed_copy(session: Session, attempt: Attempt, idle_minutes: float) -> Attempt:
    """A copy of an active attempt, outside the session, finished as abandoned would be."""
    copy = Attempt(**attempt.model_dump())
    copy.results = results.summarize(attempt, responses_of(session, attempt))
    copy.status, copy.finished_at = "abandoned", went_idle(attempt, idle_minutes)
    copy.shown_item_id, copy.shown_at = None, None
    return copy


def _idle(idle_minutes: float, learner_id: int | None, now: datetime) -> SelectOfScalar[Attempt]:
    """Active attempts inactive for longer than `idle_minutes` (of one learner, if given)."""
    cutoff = now - timedelta(minutes=idle_minutes)
    query = select(Attempt).where(Attempt.status == "active", Attempt.last_activity_at < cutoff)
    return query.where(Attempt.learner_id == learner_id) if learner_id is not None else query
