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

from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from learnpath import planning
from learnpath.models import Attempt, CompetencyLevel
from learnpath.models.base import pk
from learnpath.planning import LevelEstimate
from learnpath.planning.inputs import BEHAVIOURS
from learnpath.services.learning import behaviour, results, trajectory
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


def as_closed(session: Session, closed: Attempt) -> trajectory.LearnerChange:
    """The planner's learner once this idle attempt is closed, computed without writing.

    `closed` is its `shown_closed` copy. Closing stores its levels (finalize's rule), folds its
    times into the decision speed and makes the learner a quiz-leaver, then re-plans: a page
    plans with this (`trajectory.view(pending=...)`) to show what the close will store.
    """
    assert closed.results is not None
    stored = {
        level.competency_id: level
        for level in session.exec(
            select(CompetencyLevel).where(CompetencyLevel.learner_id == closed.learner_id)
        ).all()
    }
    levels, names = {}, {}
    for slug, summary in closed.results["competencies"].items():
        level = stored.get(int(closed.config["ids"][slug]))
        if summary["n_items"] > 0 and results.replaces(level, summary, closed.status):
            levels[slug] = LevelEstimate(summary["theta"], summary["se"])
            names[slug] = summary["level"]
    speed = results.folded_speed(session, closed, responses_of(session, closed))

    def change(learner: planning.Learner) -> planning.Learner:
        segments = {*learner.behaviour, "quiz-leaver"}
        return replace(
            learner,
            levels={**learner.levels, **levels},
            level_names={**learner.level_names, **names},
            speed_band=behaviour.speed_band(*speed) if speed else learner.speed_band,
            behaviour=tuple(s for s in BEHAVIOURS if s in segments),
        )

    return change


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
