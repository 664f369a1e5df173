"""What every studio save shares: bad input naming its field, optimistic locks, import-style checks.

Studio edits are checked by the same pydantic models and cross-checks as catalog files
(schema.py, checks.py), so a studio save and a file import refuse the same things.
"""

import re
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from learnpath.services.catalog.checks import check_catalog
from learnpath.services.catalog.parsed import Catalog, Known
from learnpath.services.catalog.sources import Problem, Source
from learnpath.services.catalog.writer import known_from_db
from learnpath.vocabulary import aware, utcnow

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")
STUDIO = "studio"
"""The 'file' name of problems found in a studio edit (they name only the field)."""


class Invalid(ValueError):
    """Bad input: `errors` maps each field to its messages; nothing was saved."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))

    @classmethod
    def one(cls, field: str, message: str) -> "Invalid":
        """Bad input in one field."""
        return cls({field: [message]})

    @classmethod
    def of(cls, problems: list[Problem]) -> "Invalid":
        """Problems of an import-style check, by field."""
        errors: dict[str, list[str]] = {}
        for p in problems:
            errors.setdefault(p.field.split("[")[0].split(".")[0] or "id", []).append(p.message)
        return cls(errors)


Stale = StaleDataError
"""Raised by a flush when another session saved the row since it was read (revision_lock)."""


class Conflict(RuntimeError):
    """Someone saved the row after the form was loaded: who and when, to say so."""

    def __init__(self, by: str, at: datetime) -> None:
        self.by, self.at = by or "a file import", aware(at)
        super().__init__(f"changed by {self.by} at {self.at:%H:%M} — reload to see it")


def validate(model: type[M], data: dict[str, Any], whole: str = "id") -> M:
    """The data as `model`, or Invalid naming each bad field (its first path part).

    An error about the whole (a cross-field check) is reported at the field `whole`.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for err in exc.errors():
            loc = err["loc"]
            key = str(loc[0]) if loc else whole
            errors.setdefault(key, []).append(err["msg"].removeprefix("Value error, "))
        raise Invalid(errors) from exc


def import_problems(
    session: Session, catalog: Catalog, known: Known | None = None
) -> list[Problem]:
    """The problems an import of `catalog` into this database would report (checks.py).

    `known` is what the database holds (read here unless the caller read it already).
    """
    problems: list[Problem] = []
    check_catalog(catalog, known or known_from_db(session), problems)
    return problems


def source(data: Any) -> Source:
    """A stand-in 'file' for studio data, so checks.py can report on it."""
    return Source(STUDIO, data)


def check_revision(row: Any, expected: int | None) -> None:
    """Refuse (Conflict) a save from a form loaded at another revision of the row."""
    if expected is not None and row.revision != expected:
        raise Conflict(row.updated_by, row.updated_at)


def stamp(row: Any, user: str) -> None:
    """Mark the row changed by `user` now; the flush adds 1 to its revision.

    The flush also fails (StaleDataError) when another session saved the row meanwhile; the view
    that owns the transaction rolls back and reports it as a Conflict.
    """
    row.updated_by, row.updated_at = user, utcnow()


SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def slugify(text: str) -> str:
    """A file-safe id from a title: 'Data & Charts 101' → 'data-charts-101'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def unused_slug(session: Session, model: type[Any], slug: str, field: str = "id") -> str:
    """The slug if valid and not taken by another row of `model`, else Invalid."""
    if not SLUG.match(slug) or len(slug) > 80:
        raise Invalid.one(field, "use lowercase letters, digits and hyphens (at most 80)")
    if session.exec(select(model.id).where(model.slug == slug)).first() is not None:
        raise Invalid.one(field, f"'{slug}' is already taken")
    return slug


def identify(
    session: Session, model: type[Any], row: Any, data: dict[str, Any], revision: int | None
) -> dict[str, Any]:
    """A new row's id must be free; an existing row keeps its id and needs a current form."""
    if row is None:
        unused_slug(session, model, str(data.get("id", "")))
        return data
    check_revision(row, revision)
    return {**data, "id": row.slug}


def signed(session: Session, model: type[R], slug: str, user: str) -> R:
    """The row just written through the import's writer, marked as this author's save."""
    row = session.exec(select(model).where(model.slug == slug)).one()  # type: ignore[attr-defined]
    stamp(row, user)
    session.add(row)
    session.flush()
    return row


def conflict_with(session: Session, model: type[Any], row_id: int | None) -> Conflict | None:
    """After a rolled-back Stale save: who saved the row meanwhile (None if it is gone)."""
    fresh = session.get(model, row_id, populate_existing=True) if row_id is not None else None
    return Conflict(fresh.updated_by, fresh.updated_at) if fresh is not None else None
