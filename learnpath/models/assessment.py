"""Assessment tables: adaptive attempts, their responses, and learners' current levels."""

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from learnpath.models.base import created_field, json_field

ONE_ACTIVE = ("learner_id", "kind", "scope")
"""A learner has at most one active attempt per kind and scope (two Starts share one)."""
ONE_ACTIVE_WHERE = text("status = 'active'")


class Attempt(SQLModel, table=True):
    """One adaptive test session; the next step is recomputed from its stored history."""

    __table_args__ = (
        Index(
            "ix_attempt_one_active",
            *ONE_ACTIVE,
            unique=True,
            sqlite_where=ONE_ACTIVE_WHERE,
            postgresql_where=ONE_ACTIVE_WHERE,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True, max_length=36)
    learner_id: int = Field(foreign_key="learner.id", index=True)
    enrollment_id: int | None = Field(default=None, foreign_key="enrollment.id", index=True)
    kind: str = Field(default="placement", max_length=16)
    # services.quiz.scope_of: "<enrollment id or ->:<sorted competency ids>"
    scope: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})
    status: str = Field(default="active", max_length=16)
    competency_ids: list[int] = json_field()
    config: dict[str, Any] = json_field(dict)
    parameters: dict[str, Any] = json_field(dict)
    seed: int = 0
    step: int = 0
    shown_item_id: int | None = Field(default=None, foreign_key="item.id")
    shown_at: datetime | None = None  # NULL until the step's clock starts (quiz.mark_shown)
    estimates: list[dict[str, Any]] = json_field()
    results: dict[str, Any] | None = json_field(None)
    started_at: datetime = created_field()
    last_activity_at: datetime = created_field()
    finished_at: datetime | None = None


class Response(SQLModel, table=True):
    """An answer to one step of an attempt; (attempt, step) is unique, so it is recorded once."""

    __table_args__ = (
        UniqueConstraint("attempt_id", "step"),
        UniqueConstraint("attempt_id", "item_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempt.id", index=True)
    step: int
    item_id: int = Field(foreign_key="item.id", index=True)
    competency_id: int = Field(foreign_key="competency.id")
    selected: list[str] = json_field()
    correct: bool
    shown_at: datetime
    answered_at: datetime = created_field()
    response_ms: int
    theta: float | None = None
    se: float | None = None


class CompetencyLevel(SQLModel, table=True):
    """A learner's current ability estimate in a competency (θ, SE, named band)."""

    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    competency_id: int = Field(foreign_key="competency.id", primary_key=True)
    theta: float
    se: float
    level: str = Field(max_length=16)
    n_items: int = 0
    attempt_id: int | None = Field(default=None, foreign_key="attempt.id")
    updated_at: datetime = created_field()


class LearnerStat(SQLModel, table=True):
    """A running behavioural statistic of a learner, e.g. decision speed or module tempo."""

    learner_id: int = Field(foreign_key="learner.id", primary_key=True)
    kind: str = Field(primary_key=True, max_length=32)
    value: float
    n: int = 0
    updated_at: datetime = created_field()
