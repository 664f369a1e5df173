"""Alembic migrations, run programmatically against the app's engine, and their data-keeping aids.

A downgrade must not lose data. What the older schema cannot hold (a dropped table, column or
rows) is kept in an *attic* table, `attic_<revision>_<name>`, by the downgrade, and put back and
dropped by the upgrade of the same revision. A downgrade that truly cannot keep data (the first
revision's, which drops every table) refuses while there is data, unless forced: `force=True`
here, `flask --app learnpath db-downgrade REV --force`, or LEARNPATH_FORCE_DOWNGRADE=1 in the
environment (which also reaches a bare `alembic downgrade`).
"""

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).parent / "migrations"
FORCE_ENV = "LEARNPATH_FORCE_DOWNGRADE"


class DataLossRefused(RuntimeError):
    """A downgrade would destroy data and was not forced."""


def alembic_config(engine: Engine, force: bool = False) -> Config:
    """An Alembic config pointing at the package's migrations and the given engine."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    cfg.attributes["force"] = force
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to `revision` (the latest by default)."""
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str, force: bool = False) -> None:
    """Migrate the database down to `revision`; a data-destroying step refuses unless `force`."""
    command.downgrade(alembic_config(engine, force), revision)


def heads() -> tuple[str, ...]:
    """The head revision(s) of the package's migration scripts: what this code expects."""
    script = ScriptDirectory(str(MIGRATIONS))
    return tuple(sorted(script.get_heads()))


def known_revisions() -> set[str]:
    """Every revision id the package's migration scripts know."""
    return {rev.revision for rev in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def current(connection: Connection) -> tuple[str, ...]:
    """The revision(s) the database is at, () when it was never migrated."""
    return tuple(sorted(MigrationContext.configure(connection).get_current_heads()))


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a new revision from the difference between models and database."""
    command.revision(alembic_config(engine), message=message, autogenerate=True)


def forced() -> bool:
    """Whether the running downgrade may destroy data (called inside a migration)."""
    return bool(context.config.attributes.get("force")) or os.environ.get(FORCE_ENV) == "1"


def refuse_loss(tables: Sequence[str]) -> None:
    """Refuse (DataLossRefused) when any of `tables` holds rows, unless the downgrade is forced."""
    conn = op.get_bind()
    full = [t for t in tables if _has_table(conn, t) and _count(conn, t)]
    if full and not forced():
        raise DataLossRefused(
            f"this downgrade would delete the rows of {', '.join(full)}; back up the database, "
            f"then force it (--force, or {FORCE_ENV}=1)"
        )


def attic(revision: str, name: str) -> str:
    """The name of the table keeping `name`'s data from revision `revision`'s downgrade."""
    return f"attic_{revision}_{name}"


def stash_rows(revision: str, table: str, where: str = "", name: str = "") -> None:
    """Copy `table`'s rows (those matching the SQL `where`) into the attic, if there are any."""
    conn = op.get_bind()
    condition = f" WHERE {where}" if where else ""
    source = f"SELECT * FROM {_q(conn, table)}{condition}"
    _stash(conn, attic(revision, name or table), source)


def stash_columns(revision: str, table: str, columns: Sequence[str], key: str = "id") -> None:
    """Copy `key` and `columns` of every row of `table` into the attic, before they are dropped."""
    conn = op.get_bind()
    names = ", ".join(_q(conn, c) for c in (key, *columns))
    _stash(conn, attic(revision, f"{table}_columns"), f"SELECT {names} FROM {_q(conn, table)}")


def restore_rows(revision: str, table: str, name: str = "") -> None:
    """Insert the attic's rows back into `table` (ids kept) and drop the attic."""
    conn = op.get_bind()
    kept = attic(revision, name or table)
    if not _has_table(conn, kept):
        return
    columns = [c for c in _columns(conn, kept) if c in set(_columns(conn, table))]
    names = ", ".join(_q(conn, c) for c in columns)
    with without_triggers(conn, table):
        conn.execute(
            sa.text(f"INSERT INTO {_q(conn, table)} ({names}) SELECT {names} FROM {_q(conn, kept)}")
        )
    if conn.dialect.name == "postgresql" and "id" in columns:
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                f"(SELECT max(id) FROM {_q(conn, table)}))"
            ),
            {"t": _q(conn, table)},
        )
    op.drop_table(kept)


def restore_columns(revision: str, table: str, key: str = "id") -> None:
    """Put the attic's column values back into `table`'s rows, matched by `key`; drop the attic."""
    conn = op.get_bind()
    kept = attic(revision, f"{table}_columns")
    if not _has_table(conn, kept):
        return
    qt, qk, qa = _q(conn, table), _q(conn, key), _q(conn, kept)
    sets = ", ".join(
        f"{_q(conn, c)} = (SELECT a.{_q(conn, c)} FROM {qa} a WHERE a.{qk} = {qt}.{qk})"
        for c in _columns(conn, kept)
        if c != key
    )
    with without_triggers(conn, table):
        conn.execute(sa.text(f"UPDATE {qt} SET {sets} WHERE {qk} IN (SELECT {qk} FROM {qa})"))
    op.drop_table(kept)


@contextmanager
def without_triggers(conn: Connection, table: str) -> Iterator[None]:
    """Run the block with `table`'s own triggers off, so restored rows keep their stamps."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f"ALTER TABLE {_q(conn, table)} DISABLE TRIGGER USER"))
        yield
        conn.execute(sa.text(f"ALTER TABLE {_q(conn, table)} ENABLE TRIGGER USER"))
        return
    triggers = conn.execute(
        sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
        {"t": table},
    ).all()
    for name, _sql in triggers:
        conn.execute(sa.text(f"DROP TRIGGER {_q(conn, name)}"))
    yield
    for _name, sql in triggers:
        conn.execute(sa.text(sql))


def _stash(conn: Connection, kept: str, source: str) -> None:
    """Create the attic table `kept` from the query `source`, unless the query has no rows."""
    if _has_table(conn, kept):
        op.drop_table(kept)
    if conn.execute(sa.text(f"SELECT EXISTS ({source})")).scalar():
        conn.execute(sa.text(f"CREATE TABLE {_q(conn, kept)} AS {source}"))


def _has_table(conn: Connection, table: str) -> bool:
    return sa.inspect(conn).has_table(table)


def _columns(conn: Connection, table: str) -> list[str]:
    return [c["name"] for c in sa.inspect(conn).get_columns(table)]


def _count(conn: Connection, table: str) -> int:
    return int(conn.execute(sa.text(f"SELECT count(*) FROM {_q(conn, table)}")).scalar() or 0)


def _q(conn: Connection, name: str) -> str:
    """`name` quoted as an identifier where the dialect needs it."""
    return str(conn.dialect.identifier_preparer.quote(name))
