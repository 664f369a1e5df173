"""Small factories that build test data in a session."""

import itertools
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from sqlmodel import Session, col, select

from learnpath.models import Competency, ItemParameterSet, Learner, Program, User
from learnpath.models.exposure import CompetencyExposure, ItemExposure
from learnpath.services.accounts.users import create_user
from learnpath.services.catalog import composition, drafts, publishing
from learnpath.vocabulary import Depth

PASSWORD = "correct horse battery"
AUTHOR = "Factory"
"""The name studio changes made by factories are recorded under."""

_serial = itertools.count(1)


def unique(prefix: str) -> str:
    """`prefix`-N with an N no other call in this run gets: slugs and emails tests never share."""
    return f"{prefix}-{next(_serial)}"


def learner(db: Session, external_id: str = "E1", **fields: object) -> Learner:
    """A learner profile."""
    values = {
        "email": f"{external_id.lower()}@example.com",
        "name": f"Learner {external_id}",
        **fields,
    }
    row = Learner(external_id=external_id, **values)  # type: ignore[arg-type]
    db.add(row)
    db.flush()
    return row


def user(db: Session, email: str = "pat@example.com", roles: list[str] | None = None) -> User:
    """A user with a known password; learners get a learner profile."""
    roles = roles or ["learner"]
    profile = (
        learner(db, external_id=email.split("@")[0].upper(), email=email)
        if "learner" in roles
        else None
    )
    return create_user(db, email, email.split("@")[0].title(), PASSWORD, roles, learner=profile)


def staff(db: Session, role: str) -> User:
    """A staff user with one role and an email of their own."""
    return user(db, email=f"{unique(role)}@example.com", roles=[role])


def boxed_program(
    db: Session, modules: list[str], title: str = "", publish: bool = True
) -> Program:
    """A boxed program, version 1, of these modules in this order; published unless told not.

    Made through the studio's services, as an author would; a unique title when none is given.
    """
    title = title or unique("Program").replace("-", " ")
    program = drafts.create_program(db, AUTHOR, title, Depth.BOXED)
    for slug in modules:
        composition.add_module(db, program, AUTHOR, None, slug)
    if publish:
        publishing.publish(db, program, AUTHOR, None)
    return program


def snapshot(db: Session) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in primary-key order: to prove that nothing changed."""
    from sqlalchemy import select
    from sqlmodel import SQLModel

    db.expire_all()
    out = {}
    for table in SQLModel.metadata.sorted_tables:
        rows = db.execute(select(table).order_by(*table.primary_key.columns)).all()
        out[table.name] = [tuple(row) for row in rows]
    return out


def wipe(db: Session) -> None:
    """Delete every row of every table, children first."""
    from sqlalchemy import delete
    from sqlmodel import SQLModel

    for table in reversed(SQLModel.metadata.sorted_tables):
        db.execute(delete(table))
    db.commit()


class Writes:
    """SQL statements that change data (INSERT, UPDATE, DELETE) seen while counting."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.statements.append(statement)


@contextmanager
def count_writes(engine: Engine) -> Iterator[Writes]:
    """Record every data-changing statement the engine runs inside the block."""
    writes = Writes()
    event.listen(engine, "before_cursor_execute", writes)
    try:
        yield writes
    finally:
        event.remove(engine, "before_cursor_execute", writes)


def forget_exposure(db: Session) -> None:
    """Zero the stored exposure counts, as they were before the first placement."""
    for table in (ItemExposure, CompetencyExposure):
        for row in db.exec(select(table)).all():
            db.delete(row)
    db.commit()


def correlation_report(
    db: Session, competency: Competency, found: dict[str, tuple[float, int]], active: bool = True
) -> ItemParameterSet:
    """Measured (latent r, learners) per other slug in the competency's active set's report;
    with active=False in a newer calibrated set that waits for activation."""
    newest = db.exec(
        select(ItemParameterSet)
        .where(ItemParameterSet.competency_id == competency.id)
        .order_by(col(ItemParameterSet.version).desc())
    ).first()
    assert newest is not None
    if not active:
        newest = ItemParameterSet(
            competency_id=competency.id, version=newest.version + 1, source="calibrated"
        )
        newest.active = False
    correlations = {slug: {"latent": r, "learners": n} for slug, (r, n) in found.items()}
    newest.report = {**(newest.report or {}), "correlations": correlations}
    db.add(newest)
    db.flush()
    return newest
