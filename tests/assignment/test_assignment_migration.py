"""Migration 0010: down and up again keeps every row; a version's self-enrolment returns closed."""

from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from learnpath import migrate
from learnpath.db import make_engine


def test_downgrade_then_upgrade_keeps_programs_and_closes_self_enrolment(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO program (slug, version, title, summary, depth, status, audience_kind,"
                " format, instructors, checkpoints, created_at, updated_at, revision, updated_by,"
                " self_enrol, self_enrol_name) VALUES ('p', 1, 'P', '', 1, 'published', 'anyone',"
                " 'online', '[]', 'offered', '2026-01-01', '2026-01-01', 0, '', 'role', 'Analyst')"
            )
        )
    config = migrate.alembic_config(engine)
    before = ScriptDirectory.from_config(config).get_revision("0010").down_revision
    command.downgrade(config, str(before))  # 0010 and any revision chained after it
    with engine.connect() as conn:
        columns = {row[1] for row in conn.execute(text("PRAGMA table_info(program)"))}
        assert "self_enrol" not in columns
    migrate.upgrade(engine)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT slug, self_enrol, self_enrol_name FROM program")).one()
    assert tuple(row) == ("p", "", "")
    engine.dispose()
