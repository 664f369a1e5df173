"""Migration 0012 goes down and up again; going down deletes revoked tokens, not revives them."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text

from learnpath import migrate
from learnpath.db import make_engine

TOKEN = (
    "INSERT INTO apitoken (token_hash, client_id, scopes, issued_at, expires_at, revoked_at) "
    "VALUES (:hash, 1, 'learners:read', :now, :now, :revoked)"
)


def test_downgrade_drops_the_log_and_revoked_tokens_then_upgrade_restores(tmp_path: Path) -> None:
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
    migrate.command.downgrade(migrate.alembic_config(engine), "0011")  # 0012 and what follows it
    assert "auditentry" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        hashes = conn.execute(text("SELECT token_hash FROM apitoken")).scalars().all()
    assert hashes == ["live"]
    migrate.upgrade(engine)
    assert "auditentry" in inspect(engine).get_table_names()
    engine.dispose()
