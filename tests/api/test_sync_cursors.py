"""Sync cursors and pages: what a cursor carries, which cursors are refused, where pages cut."""

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlmodel import Session

from learnpath.services.integration import learners, sync
from learnpath.vocabulary import aware
from tests import factories

THROUGH = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
STAMP = datetime(2026, 3, 1, 0, 0, 0, 5, tzinfo=UTC)
SEAL = sync.Seal("test")


def _forged(state: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")


def _signed(state: dict) -> str:
    return SEAL.sign(state)


def test_a_cursor_carries_the_watermark_and_the_last_position_unpadded() -> None:
    cursor = sync.Window(THROUGH, seal=SEAL).cursor((STAMP, 41))
    assert "=" not in cursor
    assert sync.decode(cursor, SEAL) == (THROUGH, (STAMP, 41))
    page = sync.open_window(None, cursor, None, 7, SEAL)  # type: ignore[arg-type]  # no db needed
    assert (page.through, page.after, page.limit) == (THROUGH, (STAMP, 41), 7)


def test_an_unsigned_edited_or_foreign_cursor_is_refused() -> None:
    state = {"w": THROUGH.isoformat(), "t": STAMP.isoformat(), "i": 41}
    cursor = _signed(state)
    payload, signature = cursor.rsplit(".", 1)
    edited = _forged({**state, "w": "2030-01-01T00:00:00+00:00"}) + "." + signature
    for refused in (_forged(state), edited, sync.Seal("another key").sign(state), cursor + "x"):
        with pytest.raises(sync.CursorError, match="not a cursor this API handed out"):
            sync.decode(refused, SEAL)
    assert sync.decode(payload + "." + signature, SEAL) == (THROUGH, (STAMP, 41))


def test_a_window_without_a_seal_hands_out_no_cursor() -> None:
    with pytest.raises(sync.CursorError):
        sync.Window(THROUGH).cursor((STAMP, 41))


@pytest.mark.parametrize(
    ("row_id", "accepted"), [(-1, False), (0, True), (2**31 - 1, True), (2**31, False)]
)
def test_a_cursor_naming_an_id_outside_the_id_range_is_refused(row_id: int, accepted: bool) -> None:
    state = {"w": THROUGH.isoformat(), "t": STAMP.isoformat(), "i": row_id}
    if accepted:
        assert sync.decode(_signed(state), SEAL)[1] == (STAMP, row_id)
    else:
        with pytest.raises(sync.CursorError, match="not a cursor this API handed out"):
            sync.decode(_signed(state), SEAL)


@pytest.mark.parametrize(
    "state", [{"w": "soon", "t": "x", "i": 1}, {"t": "2026-01-01", "i": 1}, [1], {"w": 1e400}]
)
def test_a_signed_cursor_without_a_readable_position_is_refused(state: object) -> None:
    with pytest.raises(sync.CursorError):
        sync.decode(SEAL.sign(state), SEAL)  # type: ignore[arg-type]


def test_a_page_is_cut_at_the_limit_with_a_cursor_after_its_last_row() -> None:
    window = sync.Window(THROUGH, limit=3, seal=SEAL)
    rows = [(STAMP + timedelta(seconds=i), i) for i in range(4)]
    assert sync.page_of(rows[:3], window, lambda r: r) == (rows[:3], None)
    kept, cursor = sync.page_of(rows, window, lambda r: r)
    assert kept == rows[:3]
    assert cursor is not None and sync.decode(cursor, SEAL) == (THROUGH, rows[2])


def test_a_poller_ahead_of_the_clock_keeps_its_own_watermark_in_utc(db: Session) -> None:
    ahead = datetime.now(UTC) + timedelta(hours=1)
    since = ahead.astimezone(timezone(timedelta(hours=2)))
    window = sync.open_window(db, None, since, 10, SEAL)
    assert window.through == ahead and window.through.utcoffset() == timedelta(0)
    behind = sync.open_window(db, None, ahead - timedelta(hours=2), 10, SEAL)
    assert behind.through < ahead - timedelta(minutes=59)


def test_every_cursor_length_decodes_whatever_padding_it_lost() -> None:
    lengths = set()
    for row_id in (1, 12, 123, 1234, 12345, 123456, 1234567, 12345678, 123456789):
        for micro in (0, 1, 12, 123, 1234, 12345, 123456):
            last = (STAMP.replace(microsecond=micro), row_id)
            cursor = sync.Window(THROUGH, seal=SEAL).cursor(last)
            lengths.add(len(cursor) % 20)
            assert sync.decode(cursor, SEAL) == (THROUGH, last)
    assert len(lengths) >= 10  # lengths of every residue the padding rules meet


def test_the_watermark_is_one_microsecond_before_the_database_clock(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    if db.connection().dialect.name == "postgresql":
        clock = text("SELECT TIMESTAMPTZ '2026-01-01 00:00:00+00'")
        monkeypatch.setattr(sync, "PG_WATERMARK", clock)
    else:
        monkeypatch.setattr(sync, "SQLITE_NOW", text("SELECT '2026-01-01 00:00:00.000'"))
    expected = datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert sync.consistent_through(db) == expected


def test_a_window_holds_the_row_stamped_exactly_at_its_watermark(db: Session) -> None:
    first, second = factories.learner(db, "E1"), factories.learner(db, "E2")
    db.commit()
    db.refresh(first)
    db.refresh(second)  # the database's stamps (PostgreSQL: the transaction's start), not ours
    through = aware(first.updated_at)
    rows, _ = learners.page(db, sync.Window(through, limit=10))
    listed = [r.external_id for r in rows]
    assert "E1" in listed
    assert ("E2" in listed) is (aware(second.updated_at) <= through)


def test_the_watermark_can_be_read_after_writing_in_the_same_transaction(db: Session) -> None:
    factories.learner(db, "E1")
    db.flush()
    before = datetime.now(UTC) - timedelta(minutes=1)
    assert sync.consistent_through(db) > before
