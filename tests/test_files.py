"""The instance folder is created 0700; the secret key, databases and demo logins 0600."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from learnpath import create_app
from learnpath.files import private_file, private_sqlite
from learnpath.services.jobs.queue import make_huey


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def lax_umask() -> Iterator[None]:
    """The usual umask (0022), under which plain creation gives 0755 folders and 0644 files."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh instance folder the app will create (not the checkout's instance/)."""
    folder = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda _self: str(folder))
    return folder


def test_a_first_start_creates_a_private_instance(instance: Path) -> None:
    app = create_app({"TESTING": True, "QUEUE_IMMEDIATE": True})
    engine = app.extensions["learnpath.engine"]
    with engine.begin() as conn:  # SQLite makes the -wal and -shm files on the first write
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
        assert _mode(instance / "learnpath.sqlite-wal") == 0o600
        assert _mode(instance / "learnpath.sqlite-shm") == 0o600
    engine.dispose()
    assert _mode(instance) == 0o700
    assert _mode(instance / "secret_key") == 0o600
    assert len((instance / "secret_key").read_text()) == 64
    assert _mode(instance / "learnpath.sqlite") == 0o600


def test_the_job_queue_database_is_private(tmp_path: Path) -> None:
    make_huey(None, tmp_path)
    assert _mode(tmp_path / "queue.sqlite") == 0o600


def test_private_files_append_and_keep_existing_sqlite_files(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    private_file(notes, "a\n", append=True)
    private_file(notes, "b\n", append=True)
    assert notes.read_text() == "a\nb\n" and _mode(notes) == 0o600
    shared = tmp_path / "shared.sqlite"
    shared.write_text("")
    private_sqlite(f"sqlite:///{shared}")
    assert _mode(shared) == 0o644  # an existing file keeps the mode its owner gave it
    private_sqlite("sqlite://")  # in memory: nothing to create
