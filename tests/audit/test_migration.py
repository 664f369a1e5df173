"""Migration 0012 goes down and up again; going down removes revoked tokens (kept in the attic,
not revived), and going up brings them back revoked."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text

from learnpath import migrate
from learnpath.db import make_engine

TOKEN = (
    "INSERT INTO apitoken (token_hash, client_id, scopes, issued_at, expires_at, revoked_at) "
    "VALUES (:hash, 1, 'learners:read', :now, :now, :revoked)"
)


def test_downgrade_removes_the_log_and_revoked_tokens_then_upgrade_restores(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    migrate.upgrade(engine)
    now = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO apiclient (client_id, name, secret_hash, scopes, active, created_at) "
                "VALUES ('lpc_x', 'HR', 'h', 'learners:read', 1, :now)"
            ),
            {"now": now},
        )
        conn.execute(text(TOKEN), {"hash": "live", "now": now, "revoked": None})
        conn.execute(text(TOKEN), {"hash": "dead", "now": now, "revoked": now})
    migrate.downgrade(engine, "0011")
    assert "auditentry" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        hashes = conn.execute(text("SELECT token_hash FROM apitoken")).scalars().all()
    assert hashes == ["live"]
    migrate.upgrade(engine)
    assert "auditentry" in inspect(engine).get_table_names()
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT token_hash, revoked_at FROM apitoken ORDER BY id")).all()
    assert [(h, r is not None) for h, r in rows] == [("live", False), ("dead", True)]
    engine.dispose()
