"""Database engine per app and one session per request, closed at teardown."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from flask import Flask, current_app, g
from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, create_engine

from learnpath.files import private_sqlite
from learnpath.services import audit


def make_engine(url: str, echo: bool = False, busy_ms: int = 30000, durable: bool = True) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and a busy timeout (`busy_ms`).

    `durable=False` (a throw-away SQLite file: `flask payoff`) skips the sync to disk at commit.
    """
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if not url.startswith("sqlite"):
        return create_engine(url, echo=echo, pool_pre_ping=True, json_deserializer=orjson.loads)
    private_sqlite(url)  # 0600 before SQLite creates it (its -wal and -shm files copy the mode)
    engine = create_engine(url, echo=echo, connect_args={"timeout": busy_ms / 1000})

    def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        """Turn on what SQLite leaves off by default."""
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        if not durable:
            cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()

    event.listen(engine, "connect", sqlite_pragmas)
    return engine


def init_app(app: Flask) -> None:
    """Attach the engine and the per-request session teardown; sessions record audited writes."""
    audit.install()
    app.extensions["learnpath.engine"] = make_engine(
        app.config["DATABASE_URL"], app.config["SQL_ECHO"]
    )
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["learnpath.engine"]


def get_session() -> Session:
    """The session of the current request (or app context), created on first use."""
    if "db_session" not in g:
        g.db_session = Session(engine(), expire_on_commit=False)
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except DBAPIError as exc:
        # The rollback of a connection the server just cut off (a restart): what the request
        # committed is committed and its response stands; drop the dead connection.
        if not unreachable(exc):
            raise
        session.invalidate()


@contextmanager
def transaction(actor: audit.Actor | None = None, bind: Engine | None = None) -> Iterator[Session]:
    """A session of its own that commits on success and rolls back on any error (for CLI jobs).

    With an actor, every write it makes is recorded in the audit log (admin commands). `bind`
    is another database than the app's (a simulation's temporary one: `flask payoff`).
    """
    with Session(bind or engine(), expire_on_commit=False) as session:
        if actor is not None:
            audit.set_actor(session, actor)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


Database = Engine
"""A database other than the app's, to `transaction(bind=...)` on (made by `make_engine`)."""


Error = DBAPIError
"""What a statement raises when the database driver fails (unreachable, refused, or a bug)."""


OUTAGE_SQLSTATES = ("08", "57P")
"""PostgreSQL SQLSTATEs of an outage: connection exceptions and operator intervention (not 57014,
a cancelled statement)."""


def unreachable(exc: BaseException) -> bool:
    """Whether a database error means the database cannot be reached now (503), not a bug (500).

    True when no connection could be made (no statement was sent: refused, server starting up or
    shutting down, SQLite file that cannot be opened), SQLAlchemy saw the connection die, or
    PostgreSQL said so (SQLSTATE class 08, or 57P01-57P05: shut down, crashed, starting up).
    """
    if not isinstance(exc, DBAPIError):
        return False
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    return (
        exc.connection_invalidated
        or (isinstance(exc, OperationalError) and exc.statement is None)
        or sqlstate.startswith(OUTAGE_SQLSTATES)
    )


Busy = OperationalError
"""What a quick transaction raises when the database is busy (SQLite's write lock is taken)."""


@contextmanager
def quick_transaction() -> Iterator[Session]:
    """A transaction that gives up at once if SQLite is busy (a job's progress notes)."""
    key = "learnpath.quick_engine"
    if key not in current_app.extensions:
        current_app.extensions[key] = make_engine(current_app.config["DATABASE_URL"], busy_ms=50)
    with Session(current_app.extensions[key], expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
