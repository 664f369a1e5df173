"""Migration 0003: attempts get their scope, and older duplicate active attempts stay open."""

import json
from pathlib import Path

from sqlalchemy import text

from learnpath import migrate
from learnpath.db import make_engine


def test_0003_backfills_scopes_and_keeps_duplicate_active_attempts_apart(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    migrate.upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO learner (id, external_id, email, name, role, department, interests,"
                " preferred_formats, locale, pace_minutes_per_week, active, created_at, updated_at)"
                " VALUES (1, 'E1', 'e1@example.com', 'E1', '', '', '[]', '[]', 'en', 120, 1,"
                " '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
            )
        )
        # Two active checks of one competency (the old race), a finished one, a placement.
        for id_, status, ids, started in [
            (1, "active", [7], "2024-01-01 10:00:00"),
            (2, "active", [7], "2024-01-01 10:00:01"),
            (3, "completed", [7], "2024-01-01 09:00:00"),
            (4, "active", [9, 7], "2024-01-01 10:00:00"),
        ]:
            conn.execute(
                text(
                    "INSERT INTO attempt (id, uid, learner_id, kind, status, competency_ids,"
                    " config, parameters, seed, step, estimates, started_at, last_activity_at)"
                    " VALUES (:id, :uid, 1, :kind, :status, :ids, '{}', '{}', 0, 0, '[]',"
                    " :started, :started)"
                ),
                {
                    "id": id_,
                    "uid": f"u{id_}",
                    "kind": "placement" if id_ == 4 else "check",
                    "status": status,
                    "ids": json.dumps(ids),
                    "started": started,
                },
            )
    migrate.upgrade(engine)
    with engine.connect() as conn:
        scopes = dict(conn.execute(text("SELECT id, scope FROM attempt ORDER BY id")).all())
    engine.dispose()
    assert scopes == {1: "-:7#1", 2: "-:7", 3: "-:7", 4: "-:7,9"}
