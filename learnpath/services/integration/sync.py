"""Incremental sync: the consistent-through watermark and keyset cursors over (time, id).

A list answers the rows changed in the window (since, through], in (time, id) order. `through`,
the watermark returned as X-Consistent-Through, is a time before which every change is already
committed and visible, so a poller that asks next time for changes after it misses none, and,
since this answer stopped at it, sees none twice. Change times are stamped by the database (see
migration 0002), which makes such a time knowable:

- PostgreSQL stamps a row with its writer's transaction start, `now()`. Every transaction still
  open started at or after the oldest `xact_start` in pg_stat_activity, and every later one starts
  after our `now()`: the earlier of the two, less a microsecond, is the watermark.
- SQLite stamps a row at the moment of the write, and writers are serialized: the watermark is
  read while holding the write lock (BEGIN IMMEDIATE), when no writer is half-way.

Later pages of the same listing carry the watermark in their cursor, so a listing is one window.
Cursors are signed (a `Seal` made from the app's secret key), so a client cannot edit one to move
the watermark or the position: a changed cursor is refused like any other the API did not hand out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import text, tuple_
from sqlmodel import Session

from learnpath.vocabulary import aware

EPSILON = timedelta(microseconds=1)
PG_WATERMARK = text(
    "SELECT LEAST(now(), COALESCE(MIN(xact_start), now())) FROM pg_stat_activity "
    "WHERE datname = current_database() AND backend_type = 'client backend' "
    "AND xact_start IS NOT NULL"
)
SQLITE_NOW = text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")
SALT = "learnpath.sync-cursor"


class CursorError(ValueError):
    """A cursor that this API did not hand out."""


class Seal:
    """Signs cursors with a secret key (HMAC, itsdangerous) and opens only untouched ones."""

    def __init__(self, secret_key: str | bytes) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt=SALT)

    def sign(self, state: dict[str, Any]) -> str:
        """The state as URL-safe text with its signature."""
        return str(self._serializer.dumps(state))

    def open(self, cursor: str) -> Any:
        """The state a cursor signed by this seal carries (CursorError if edited or foreign)."""
        try:
            return self._serializer.loads(cursor)
        except (BadData, UnicodeError) as exc:
            raise CursorError("cursor: not a cursor this API handed out") from exc


@dataclass(frozen=True)
class Window:
    """Which rows a page holds: changed in (since, through], after a (time, id) position."""

    through: datetime
    since: datetime | None = None
    after: tuple[datetime, int] | None = None
    limit: int = 100
    seal: Seal | None = None  # required to hand out cursors

    def cursor(self, last: tuple[datetime, int]) -> str:
        """The opaque, signed cursor of the page after the row at `last`."""
        if self.seal is None:
            raise CursorError("a window without a seal cannot hand out cursors")
        state = {"w": self.through.isoformat(), "t": last[0].isoformat(), "i": last[1]}
        return self.seal.sign(state)

    def apply(self, query: Any, stamp: Any, key: Any) -> Any:
        """Restrict and order a select over a table whose change time is `stamp`."""
        query = query.where(stamp <= self.through)
        if self.since is not None:
            query = query.where(stamp > self.since)
        if self.after is not None:
            query = query.where(tuple_(stamp, key) > tuple_(*self.after))
        return query.order_by(stamp, key).limit(self.limit + 1)


def consistent_through(session: Session) -> datetime:
    """The watermark: every change stamped at or before it is committed and visible now."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        return aware(connection.execute(PG_WATERMARK).scalar_one()) - EPSILON
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # held until the request's session ends
    now = datetime.fromisoformat(connection.execute(SQLITE_NOW).scalar_one())
    return now.replace(tzinfo=UTC) - EPSILON


def open_window(
    session: Session, cursor: str | None, since: datetime | None, limit: int, seal: Seal
) -> Window:
    """The window of a first page (a fresh watermark) or of the page a cursor points to."""
    if cursor:
        through, after = decode(cursor, seal)
        return Window(through, since, after, limit, seal)
    through = consistent_through(session)
    if since is not None and since > through:
        # Never hand out a watermark earlier than the one the poller holds (in UTC, as stamped).
        through = since.astimezone(UTC)
    return Window(through, since, None, limit, seal)


def decode(cursor: str, seal: Seal) -> tuple[datetime, tuple[datetime, int]]:
    """The watermark and position a cursor signed by `seal` carries."""
    state = seal.open(cursor)
    try:
        through = aware(datetime.fromisoformat(state["w"]))
        position = aware(datetime.fromisoformat(state["t"])), int(state["i"])
        if not 0 <= position[1] < 2**31:
            raise ValueError("id out of range")
    except (ValueError, KeyError, TypeError, OverflowError) as exc:
        raise CursorError("cursor: not a cursor this API handed out") from exc
    return through, position


def page_of(rows: list[Any], window: Window, last: Any) -> tuple[list[Any], str | None]:
    """Cut the extra row fetched to see whether more follow; the cursor after this page."""
    if len(rows) <= window.limit:
        return rows, None
    rows = rows[: window.limit]
    return rows, window.cursor(last(rows[-1]))
