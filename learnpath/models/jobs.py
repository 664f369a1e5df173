"""Background jobs: one row per queued piece of work, its progress, result and error."""

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from learnpath.models.base import json_field, text_field
from learnpath.vocabulary import utcnow


class Job(SQLModel, table=True):
    """A job a user queued: what (kind, subject, args), who, and how it went.

    `lock` is "kind:subject" while the job is queued or running and NULL after: its unique
    index refuses a second active job of the same kind on the same subject (NULLs never clash,
    on SQLite and PostgreSQL alike). The worker writes progress in short transactions of its own
    and the job's work together with status "done" in one transaction at the end, so a killed
    worker leaves no partial result; `heartbeat_at` tells a stalled job from a running one.
    """

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64, index=True)
    subject: str = Field(max_length=200)
    title: str = Field(default="", max_length=300)
    args: dict[str, Any] = json_field(dict)
    status: str = Field(default="queued", max_length=16, index=True)
    progress: float = Field(default=0.0)
    message: str = Field(default="", max_length=300)
    result: dict[str, Any] | None = json_field(None)
    error: str = text_field()
    actor_id: int | None = Field(default=None, index=True)
    actor: str = Field(default="", max_length=200)
    lock: str | None = Field(default=None, max_length=270, unique=True, index=True)
    queued_at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
    started_at: datetime | None = None
    heartbeat_at: datetime | None = None
    finished_at: datetime | None = None
    retry_of: int | None = Field(default=None)
