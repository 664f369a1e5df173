"""Shared column helpers (the words stored in them live in learnpath.vocabulary)."""

from typing import Any

from sqlalchemy import JSON, Text
from sqlalchemy.orm import declared_attr
from sqlmodel import Field

from learnpath.vocabulary import utcnow


def pk(row: Any) -> int:
    """The primary key of a flushed row (SQLModel types it as optional until then)."""
    assert row.id is not None, f"{type(row).__name__} has not been flushed"
    return int(row.id)


def revision_lock() -> Any:
    """Mapper args making the table's `revision` column an optimistic lock.

    SQLAlchemy then adds 1 on every UPDATE and adds `WHERE revision = <the value read>`, so of
    two sessions saving the same row the second fails (StaleDataError) instead of overwriting.
    """

    @declared_attr.directive
    def mapper_args(cls: Any) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.revision}

    return mapper_args


def created_field() -> Any:
    """A creation timestamp column."""
    return Field(default_factory=utcnow, nullable=False)


def json_field(default: Any = list, nullable: bool = False) -> Any:
    """A JSON column (portable across SQLite and PostgreSQL)."""
    if default is None:
        return Field(default=None, sa_type=JSON, nullable=True)
    return Field(default_factory=default, sa_type=JSON, nullable=nullable)


def text_field(default: str = "") -> Any:
    """An unbounded text column."""
    return Field(default=default, sa_type=Text, nullable=False)
