"""The learner's profile settings: saved, logged, and the learner's plans re-planned."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from learnpath.models import Adjustment, Enrollment, Learner
from learnpath.models.base import pk
from learnpath.models.progress import ProfileChange
from learnpath.services.learning.trajectory.outcome import OPEN
from learnpath.services.learning.trajectory.plans import replan_learner

LISTED_SETTINGS = {  # profile setting → the learner's attribute, and how the log names it
    "interests": ("interests", "the topics that interest you"),
    "formats": ("preferred_formats", "your preferred formats"),
}


def change_profile(
    session: Session,
    learner: Learner,
    user_id: int | None,
    now: datetime,
    *,
    interests: list[str] | None = None,
    pace: int | None = None,
    formats: list[str] | None = None,
) -> list[ProfileChange]:
    """Save and log the profile settings that changed (None: unchanged), then re-plan.

    The newest weekly time wins: a new one here withdraws the weekly times the learner set on
    their open plans, and a time set on a plan afterwards overrides this one for that plan.
    """
    changes: list[ProfileChange] = []
    for setting, values in (("interests", interests), ("formats", formats)):
        change = _set_listed(learner, user_id, setting, values)
        changes += [change] if change else []
    if pace is not None and pace != learner.pace_minutes_per_week:
        changes.append(_set_pace(session, learner, user_id, pace, now))
    if changes:
        learner.updated_at = now
        for change in changes:
            change.created_at = now
        session.add_all([learner, *changes])
        replan_learner(session, pk(learner))
    return changes


def _set_listed(
    learner: Learner, user_id: int | None, setting: str, values: list[str] | None
) -> ProfileChange | None:
    """Set a listed setting (interests, formats) and its log row; None if it is unchanged."""
    attribute, name = LISTED_SETTINGS[setting]
    before = list(getattr(learner, attribute))
    if values is None or set(values) == set(before):
        return None
    setattr(learner, attribute, list(values))
    words = f"Set {name} to {_listed(values)} (were {_listed(before)})"
    return _logged(learner, user_id, setting, before, values, words)


def _set_pace(
    session: Session, learner: Learner, user_id: int | None, pace: int, now: datetime
) -> ProfileChange:
    """Set the profile's weekly time, withdrawing the ones set on open plans; its log row."""
    was, learner.pace_minutes_per_week = learner.pace_minutes_per_week, pace
    words = f"Set the weekly time in your profile to {pace} minutes (was {was})"
    if _withdraw_paces(session, pk(learner), now):
        words += "; it replaces the weekly time set on a plan"
    return _logged(learner, user_id, "pace", was, pace, words)


def _listed(values: list[str]) -> str:
    """Profile values in words: 'charts, data quality', or 'none'."""
    return ", ".join(v.replace("-", " ") for v in values) or "none"


def _logged(
    learner: Learner, user_id: int | None, setting: str, before: object, after: object, words: str
) -> ProfileChange:
    """The log row of one changed profile setting."""
    payload = {"before": before, "after": after}
    return ProfileChange(
        learner_id=pk(learner), user_id=user_id, setting=setting, payload=payload, message=words
    )


def _withdraw_paces(session: Session, learner_id: int, now: datetime) -> int:
    """Withdraw the active weekly-time changes on the learner's open plans; how many there were."""
    rows = session.exec(
        select(Adjustment)
        .join(Enrollment, col(Enrollment.id) == Adjustment.enrollment_id)
        .where(
            Enrollment.learner_id == learner_id,
            col(Enrollment.status).in_(OPEN),
            Adjustment.kind == "pace",
            col(Adjustment.active).is_(True),
        )
    ).all()
    for row in rows:
        row.active, row.withdrawn_at = False, now
        session.add(row)
    return len(rows)
