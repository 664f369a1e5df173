"""`flask backup` / `flask restore`: a restored database answers the HR API exactly as before."""

import shlex
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, select

from learnpath.migrate import heads
from learnpath.models import Attempt, Enrollment, Learner
from learnpath.models.base import pk
from tests import factories
from tests.api.conftest import enroll, program, token_headers
from tests.conftest import PG_URL, build_app


def _people(db: Session) -> None:
    """Three learners, enrolled in two programs; two finished placements and an open one."""
    chosen, other = program(db), program(db, "team-lead-path")
    for n in (1, 2, 3):
        learner = factories.learner(db, f"E{n}", role="analyst")
        enrollment = enroll(db, learner, chosen if n < 3 else other)
        for k in range(n - 1):
            db.add(
                Attempt(
                    uid=f"u{n}-{k}",
                    learner_id=pk(learner),
                    enrollment_id=pk(enrollment),
                    kind="placement",
                    status="completed" if k == 0 else "active",
                    results={"competencies": {}, "seconds": 60.0 * n},
                )
            )
    db.commit()


def _records(client: FlaskClient, headers: dict[str, str]) -> dict[str, Any]:
    """Every record the HR API answers: lists, each learner, progress and enrollment."""
    found: dict[str, Any] = {}
    for path in ("/api/v1/learners?limit=100", "/api/v1/enrollments?limit=100"):
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.json
        found[path] = response.json["data"]
    for learner in found["/api/v1/learners?limit=100"]:
        one = f"/api/v1/learners/{learner['external_id']}"
        for path in (one, f"{one}/progress"):
            found[path] = client.get(path, headers=headers).json
    for record in found["/api/v1/enrollments?limit=100"]:
        path = f"/api/v1/enrollments/{record['id']}"
        found[path] = client.get(path, headers=headers).json
    return found


def _change(db: Session) -> None:
    """Rename a learner, drop a placement, enroll a learner in a second program."""
    learner = db.exec(select(Learner).where(Learner.external_id == "E1")).one()
    learner.name = "Renamed After The Backup"
    db.delete(db.exec(select(Attempt).where(Attempt.uid == "u2-0")).one())
    third = db.exec(select(Learner).where(Learner.external_id == "E3")).one()
    db.add(Enrollment(learner_id=pk(third), program_id=pk(program(db))))
    db.commit()


def _run(runner: FlaskCliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(args=list(args))
    return result.exit_code, result.output


def _printed_command(output: str) -> list[str]:
    """The pg_dump / pg_restore line the command printed, as an argument list."""
    line = next(ln for ln in output.splitlines() if ln.strip().startswith("pg_"))
    return shlex.split(line)


def _backup_and_restore(runner: FlaskCliRunner, path: Path) -> Callable[[], None]:
    """Run `backup`, then return a function that restores (runs the printed tools on PostgreSQL)."""
    code, output = _run(runner, "backup", str(path))
    if PG_URL:  # the command writes nothing and prints the line that does: run it
        assert code == 1 and "nothing was backed up" in output
        subprocess.run(_printed_command(output), check=True, capture_output=True)
    else:
        assert code == 0, output
        assert f"Backed up the database to {path}" in output

    def restore() -> None:
        code, output = _run(runner, "restore", str(path), "--yes")
        if PG_URL:
            subprocess.run(_printed_command(output), check=True, capture_output=True)
        else:
            assert code == 0 and "Restored" in output, output

    return restore


def test_a_restored_database_answers_every_record_as_before(
    app: Flask, client: FlaskClient, catalog: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    _people(catalog)
    headers = token_headers(client, catalog)
    before = _records(client, headers)
    assert len(before["/api/v1/enrollments?limit=100"]) == 3
    restore = _backup_and_restore(runner, tmp_path / "learnpath.backup")

    _change(catalog)
    changed = _records(client, headers)
    assert changed != before and len(changed["/api/v1/enrollments?limit=100"]) == 4

    restore()
    catalog.expire_all()
    assert _records(client, headers) == before


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's own backup; PostgreSQL prints pg_dump lines")
def test_restore_refuses_without_yes_and_changes_nothing(
    catalog: Session, client: FlaskClient, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    _people(catalog)
    headers = token_headers(client, catalog)
    assert _run(runner, "backup", str(tmp_path / "b.sqlite"))[0] == 0
    _change(catalog)
    changed = _records(client, headers)

    code, output = _run(runner, "restore", str(tmp_path / "b.sqlite"))

    assert code == 1 and "run again with --yes" in output and f"revision {heads()[0]}" in output
    assert _records(client, headers) == changed


def _not_learnpath(path: Path) -> str:
    path.write_text("name,email\n")
    return "is not a SQLite database"


def _other_sqlite(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE learner (id INTEGER)")
    return "is not a learnpath database: it has no table alembic_version, enrollment"


def _unknown_revision(path: Path, source: Path) -> str:
    with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
        dst.execute("UPDATE alembic_version SET version_num = '9999'")
    return "is at revision 9999, which this version of learnpath does not know"


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's own backup; PostgreSQL prints pg_dump lines")
@pytest.mark.parametrize("make", [_not_learnpath, _other_sqlite, _unknown_revision])
def test_restore_refuses_a_file_that_is_not_a_learnpath_backup(
    app: Flask, catalog: Session, runner: FlaskCliRunner, tmp_path: Path, make: Any
) -> None:
    _people(catalog)
    bad = tmp_path / "bad.sqlite"
    source = Path(app.extensions["learnpath.engine"].url.database)
    reason = make(bad, source) if make is _unknown_revision else make(bad)
    before = factories.snapshot(catalog)

    code, output = _run(runner, "restore", str(bad), "--yes")

    assert code == 1 and f"{bad} {reason}" in output
    assert factories.snapshot(catalog) == before


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's own backup")
def test_backup_never_overwrites_a_file(runner: FlaskCliRunner, tmp_path: Path) -> None:
    kept = tmp_path / "kept.sqlite"
    kept.write_text("an older backup")
    code, output = _run(runner, "backup", str(kept))
    assert code == 1 and "already exists" in output and kept.read_text() == "an older backup"


def test_on_postgresql_the_commands_print_pg_dump_and_pg_restore(tmp_path: Path) -> None:
    app = build_app("postgresql+psycopg://hr:s3cret@db.example:5432/learnpath")
    runner = app.test_cli_runner()
    dump = tmp_path / "learnpath.dump"

    code, output = _run(runner, "backup", str(dump))
    assert code == 1 and "nothing was backed up" in output
    assert f"pg_dump --format=custom --file {dump} postgresql://hr@db.example:5432/learnpath" in (
        output
    )
    dump.write_text("")
    code, output = _run(runner, "restore", str(dump), "--yes")
    assert code == 1 and "nothing was restored" in output
    assert (
        "pg_restore --clean --if-exists --no-owner --single-transaction "
        f"--dbname postgresql://hr@db.example:5432/learnpath {dump}"
    ) in output
    assert "s3cret" not in output and "PGPASSWORD" in output
