"""Progress tables: trajectory steps, the learner's adjustment and profile logs, learning events."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from learnpath.models.base import created_field, json_field, text_field
from learnpath.vocabulary import utcnow


class TrajectoryStep(SQLModel, table=True):
    """One module in a learner's planned trajectory, with its status, reason and date."""

    __table_args__ = (UniqueConstraint("enrollment_id", "module_id"),)

    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="enrollment.id", index=True)
    module_id: int = Field(foreign_key="module.id")
    position: int
    status: str = Field(default="planned", max_length=16)
    mandatory: bool = False
    reason_code: str = Field(default="", max_length=32)
    reason_text: str = text_field()
    planned_week: int | None = None
    planned_date: date | None = None
    planned_minutes: int = 0
    time_spent_s: int = 0
    started_at: datetime | None = None
    completed_at: datetime | None = None
    updated_at: datetime = created_field()


class Adjustment(SQLModel, table=True):
    """A learner's own change to their trajectory, kept through re-planning and audited.

    A withdrawn change (undone, or replaced by a newer profile setting) stays in the log:
    `active` is false and `withdrawn_at` says when.
    """

    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int = Field(foreign_key="enrollment.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    kind: str = Field(max_length=16)
    module_id: int | None = Field(default=None, foreign_key="module.id")
    payload: dict[str, Any] = json_field(dict)
    active: bool = True
    message: str = text_field()
    created_at: datetime = created_field()
    withdrawn_at: datetime | None = None


class ProfileChange(SQLModel, table=True):
    """A change to one setting of the learner's profile; `payload` holds `before` and `after`."""

    id: int | None = Field(default=None, primary_key=True)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    setting: str = Field(max_length=16)  # interests, pace or formats
    payload: dict[str, Any] = json_field(dict)
    message: str = text_field()
    created_at: datetime = created_field()


class ProgressEvent(SQLModel, table=True):
    """A learning event (launched, answered, completed, waived…); the source of xAPI statements."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True, max_length=36)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    enrollment_id: int | None = Field(default=None, foreign_key="enrollment.id")
    attempt_id: int | None = Field(default=None, foreign_key="attempt.id")
    module_id: int | None = Field(default=None, foreign_key="module.id")
    verb: str = Field(max_length=32)
    time_spent_s: int = 0
    result: dict[str, Any] = json_field(dict)
    occurred_at: datetime = created_field()
    stored_at: datetime = Field(default_factory=utcnow, index=True)
