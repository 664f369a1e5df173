"""The audit log: one row per studio or admin write, never updated or deleted."""

from datetime import datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from learnpath.models.base import json_field
from learnpath.vocabulary import utcnow


class AuditEntry(SQLModel, table=True):
    """Who changed what and when: a row's before/after, written in the change's transaction.

    `actor_id` names the user without a foreign key, and `actor` keeps their name as it was, so
    the log outlives renamed or removed accounts. `entity` is the table name, `entity_id` the
    row's primary key ('' for a statement over many rows); `changes` maps a column to its value
    (insert, delete) or to [before, after] (update), secrets redacted.
    """

    __table_args__ = (Index("ix_auditentry_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, nullable=False, index=True)
    actor_id: int | None = Field(default=None, index=True)
    actor: str = Field(max_length=200)
    origin: str = Field(default="", max_length=300)
    action: str = Field(max_length=16)
    entity: str = Field(max_length=64)
    entity_id: str = Field(default="", max_length=100)
    changes: dict[str, Any] = json_field(dict)
