"""Migration 0011: departments already in use are listed; downgrading drops only the new tables."""

from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text

from learnpath import migrate
from learnpath.db import make_engine

LEARNER = (
    "INSERT INTO learner (external_id, email, name, role, department, interests,"
    " preferred_formats, locale, pace_minutes_per_week, active, created_at, updated_at)"
    " VALUES (:id, :id, :id, '', :department, '[]', '[]', 'en', 120, 1,"
    " '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
)


def test_0011_lists_the_departments_in_use_and_downgrades(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    migrate.upgrade(engine, "0007")
    with engine.begin() as conn:
        for id_, department in [("E1", "Sales"), ("E2", "sales"), ("E3", ""), ("E4", "Ops")]:
            conn.execute(text(LEARNER), {"id": id_, "department": department})
        conn.execute(
            text(
                "INSERT INTO program (slug, version, title, summary, depth, status, audience_kind,"
                " audience_name, format, instructors, checkpoints, created_at, updated_at,"
                " revision, updated_by) VALUES ('p', 1, 'P', '', 4, 'draft', 'department',"
                " 'Legal', 'online', '[]', 'offered', '2024-01-01', '2024-01-01', 0, '')"
            )
        )
    migrate.upgrade(engine, "0011")
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM department ORDER BY name")).scalars().all()
    assert names == ["Legal", "Ops", "Sales"]  # 'sales' is the same department as 'Sales'
    command.downgrade(migrate.alembic_config(engine), "0007")
    tables = set(inspect(engine).get_table_names())
    assert "department" not in tables and "invite" not in tables and "learner" in tables
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT count(*) FROM learner WHERE department <> ''")).scalar()
    assert kept == 3
    engine.dispose()
