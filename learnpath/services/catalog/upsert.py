"""Upserting rows by natural key, counting what was created and updated."""

from collections import Counter
from typing import Any, TypeVar

from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, SQLModel, select

from learnpath.vocabulary import utcnow

T = TypeVar("T", bound=SQLModel)


class Writer:
    """Upserts rows by natural key and counts what was created and updated."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.counts: Counter[str] = Counter()
        self.created: set[tuple[Any, ...]] = (
            set()
        )  # rows created in this run are not also counted as updated

    def upsert(self, model: type[T], key: dict[str, Any], values: dict[str, Any]) -> T:
        """The row with `key`, created or updated to `values`; untouched when already equal."""
        row = self.session.exec(select(model).filter_by(**key)).first()
        if row is None:
            row = model(**key, **values)
            self.session.add(row)
            self.session.flush()
            self.counts[f"{model.__name__} created"] += 1
            self.created.add(_identity(row))
            return row
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        if changed:
            for k, v in changed.items():
                setattr(row, k, v)
            if hasattr(row, "updated_at"):
                row.updated_at = utcnow()
            if hasattr(row, "updated_by"):
                row.updated_by = ""  # a file import (studio saves name their author)
            self.session.add(row)
            self.session.flush()
            if _identity(row) not in self.created:
                self.counts[f"{model.__name__} updated"] += 1
        return row

    def replace(self, model: type[T], owner: dict[str, Any], rows: list[dict[str, Any]]) -> bool:
        """Make the rows owned by `owner` exactly `rows` (compared without ids); True if changed."""
        current = self.session.exec(select(model).filter_by(**owner)).all()
        fields = list(rows[0]) if rows else []
        have = sorted(_values(r, fields) for r in current)
        if rows and have == sorted(tuple(_freeze(r[f]) for f in fields) for r in rows):
            return False
        if not rows and not current:
            return False
        for row in current:
            self.session.delete(row)
        self.session.flush()
        for values in rows:
            self.session.add(model(**owner, **values))
        self.session.flush()
        self.counts[f"{model.__name__} sets replaced"] += 1
        return True


def _values(row: SQLModel, fields: list[str]) -> tuple:
    return tuple(_freeze(getattr(row, f)) for f in fields)


def _freeze(value: Any) -> Any:
    return repr(value) if isinstance(value, dict | list) else value


def _identity(row: SQLModel) -> tuple[Any, ...]:
    """The row's class and primary key (stable, unlike the Python object's id)."""
    return (type(row).__name__, *(sa_inspect(row).identity or ()))
