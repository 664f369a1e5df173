"""Learning events (the source of xAPI statements) and the enrollment activity they imply.

Event ids are UUIDv5 of what happened (verb, learner, attempt or module, step), so recording the
same event twice, e.g. on a retried request, stores it once and the statement id never changes.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from learnpath.models import Enrollment, ProgressEvent
from learnpath.vocabulary import utcnow

EVENT_NAMESPACE = uuid.UUID("5b0c1f6e-2f7d-4c53-9a55-6c1f1f0d7a11")
VERBS = ("launched", "answered", "completed", "passed", "failed", "waived")


def event_uid(verb: str, learner_id: int, *parts: object) -> str:
    """Stable id of an event: the same facts always give the same UUID."""
    name = ":".join(str(p) for p in (verb, learner_id, *parts))
    return str(uuid.uuid5(EVENT_NAMESPACE, name))


def record(
    session: Session,
    verb: str,
    learner_id: int,
    *,
    key: tuple[object, ...],
    enrollment_id: int | None = None,
    attempt_id: int | None = None,
    module_id: int | None = None,
    result: dict[str, Any] | None = None,
    time_spent_s: int = 0,
    occurred_at: datetime | None = None,
    known_new: bool = False,
) -> ProgressEvent:
    """Store a learning event once (by its stable id); `key` names what makes it unique.

    `known_new` skips the look-up when the caller already holds a guarantee (a claimed step).
    """
    if verb not in VERBS:
        raise ValueError(f"verb must be one of {VERBS}, got {verb!r}")
    uid = event_uid(verb, learner_id, *key)
    if not known_new:
        existing = session.exec(select(ProgressEvent).where(ProgressEvent.uid == uid)).first()
        if existing is not None:
            return existing
    now = utcnow()
    event = ProgressEvent(
        uid=uid,
        learner_id=learner_id,
        enrollment_id=enrollment_id,
        attempt_id=attempt_id,
        module_id=module_id,
        verb=verb,
        time_spent_s=time_spent_s,
        result=result or {},
        occurred_at=occurred_at or now,
        stored_at=now,
    )
    session.add(event)
    return event


def touch_enrollment(session: Session, enrollment_id: int | None, now: datetime) -> None:
    """Learner activity in a program: it is started (in progress) and its record changed."""
    enrollment = session.get(Enrollment, enrollment_id) if enrollment_id else None
    if enrollment is None:
        return
    if enrollment.started_at is None:
        enrollment.started_at = now
    if enrollment.status == "assigned":
        enrollment.status = "in_progress"
    enrollment.last_activity_at = enrollment.updated_at = now
    session.add(enrollment)


def touch_learner_enrollments(session: Session, learner_id: int, now: datetime) -> None:
    """A learner's levels changed: every one of their enrollment records changed with them."""
    for enrollment in session.exec(
        select(Enrollment).where(Enrollment.learner_id == learner_id)
    ).all():
        enrollment.updated_at = now
        session.add(enrollment)
