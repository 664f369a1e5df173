"""Every migration keeps data: up → down → up on a database holding every kind of row.

The revisions are discovered from the migration scripts, and the rows generated from each
revision's reflected schema, so a new migration or table is covered without editing this file.
On PostgreSQL (DATABASE_URL) each case runs in a schema of its own, apart from the other tests'.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from learnpath import migrate
from learnpath.db import make_engine
from learnpath.migrate import DataLossRefused
from tests.conftest import PG_URL
from tests.migration_rows import fill, reflect, snapshot

SCHEMA = "migration_data"
REVISIONS = [
    script.revision
    for script in reversed(
        list(ScriptDirectory(str(migrate.MIGRATIONS)).walk_revisions("base", "heads"))
    )
]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty database: a new SQLite file, or a fresh PostgreSQL schema first on the path."""
    if not PG_URL:
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.sqlite'}")
        yield engine
        engine.dispose()
        return
    url = make_engine(PG_URL).url
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    engine = sa.create_engine(url, connect_args={"options": f"-csearch_path={SCHEMA}"})
    yield engine
    engine.dispose()
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {SCHEMA} CASCADE"))
    admin.dispose()


def test_revisions_are_discovered() -> None:
    assert REVISIONS[:7] == ["0001", "0002", "0003", "0004", "0005", "0006", "0007"]


# Merged while this harness landed, not fixed yet (the lead's list; strict: passing fails it).
KNOWN_BROKEN: dict[str, str] = {}


@pytest.mark.parametrize(
    "revision",
    [
        pytest.param(r, marks=pytest.mark.xfail(reason=KNOWN_BROKEN[r], strict=True))
        if r in KNOWN_BROKEN
        else r
        for r in REVISIONS
    ],
)
def test_down_then_up_keeps_every_row(engine: Engine, revision: str) -> None:
    migrate.upgrade(engine, revision)
    fill(engine)
    before = snapshot(engine)
    assert all(before.values()), "every table holds rows"
    try:
        migrate.downgrade(engine, "-1")
    except DataLossRefused:
        _check_refusal(engine, revision, before)
        return
    _assert_kept_rows_unchanged(before, snapshot(engine))
    migrate.upgrade(engine, revision)
    after = snapshot(engine)
    assert set(reflect(engine).tables) == set(before), "the attic is gone, no table is missing"
    for table, rows in before.items():
        assert after[table] == rows, table


def _check_refusal(engine: Engine, revision: str, before: dict[str, Any]) -> None:
    """A refused downgrade changed nothing; forced, it runs, and the revision comes back."""
    assert snapshot(engine) == before
    migrate.downgrade(engine, "-1", force=True)
    migrate.upgrade(engine, revision)
    assert set(reflect(engine).tables) == set(before)


def _assert_kept_rows_unchanged(before: dict[str, Any], down: dict[str, Any]) -> None:
    """Rows the older schema still holds have the values they had, in the columns it has."""
    for table, rows in down.items():
        assert table in before, "a downgrade adds no table but the attic"
        columns = set(rows[0]) if rows else set()
        earlier = [{k: v for k, v in row.items() if k in columns} for row in before[table]]
        for row in rows:
            assert row in earlier, (table, row)


def test_refused_downgrade_names_tables_and_the_way_to_force(engine: Engine) -> None:
    migrate.upgrade(engine, REVISIONS[0])
    fill(engine)
    with pytest.raises(DataLossRefused, match=r"learner.*LEARNPATH_FORCE_DOWNGRADE=1"):
        migrate.downgrade(engine, "base")
    assert "learner" in reflect(engine).tables


def test_forcing_through_the_environment(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    migrate.upgrade(engine, REVISIONS[0])
    fill(engine)
    monkeypatch.setenv(migrate.FORCE_ENV, "1")
    migrate.downgrade(engine, "base")
    assert set(reflect(engine).tables) == set()


def test_empty_database_downgrades_to_base_unforced(engine: Engine) -> None:
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert set(reflect(engine).tables) == set()
    migrate.upgrade(engine)
    assert "learner" in reflect(engine).tables


def test_cli_downgrade_refuses_then_forces(engine: Engine, tmp_path: Path) -> None:
    if PG_URL:
        pytest.skip("the command's refusal is the same on both; one database is enough")
    from tests.conftest import build_app

    migrate.upgrade(engine, REVISIONS[0])
    fill(engine)
    app = build_app(str(engine.url))
    refused = app.test_cli_runner().invoke(args=["db-downgrade", "base"])
    assert refused.exit_code != 0
    assert "LEARNPATH_FORCE_DOWNGRADE=1" in refused.output
    assert "learner" in reflect(engine).tables
    forced = app.test_cli_runner().invoke(args=["db-downgrade", "base", "--force"])
    assert forced.exit_code == 0, forced.output
    assert set(reflect(engine).tables) == set()
    app.extensions["learnpath.engine"].dispose()
