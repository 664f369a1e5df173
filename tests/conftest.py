"""Fixtures: an app on a freshly migrated database (SQLite, or PostgreSQL via DATABASE_URL)."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from learnpath import create_app, migrate
from learnpath.db import make_engine
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
PG_URL = os.environ.get("DATABASE_URL", "")


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated once per run: a template SQLite file, or PostgreSQL reset to empty."""
    if PG_URL:
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        migrate.upgrade(engine)
        engine.dispose()
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return str(path)


@pytest.fixture(scope="session")
def catalogued(migrated: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A template SQLite file holding the shipped catalog, imported once per run."""
    from learnpath.services.catalog import import_catalog

    path = tmp_path_factory.mktemp("catalogued") / "catalogued.sqlite"
    shutil.copy(migrated, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        import_catalog(session, CONTENT)
        session.commit()
    engine.dispose()
    return str(path)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, migrated: str, tmp_path: Path) -> Iterator[str]:
    """A migrated database for one test: empty, or a copy holding the catalog if it asks for it."""
    if PG_URL:
        yield PG_URL
        truncate_all(PG_URL)
        return
    path = tmp_path / "test.sqlite"
    wants_catalog = "catalog" in request.fixturenames
    shutil.copy(request.getfixturevalue("catalogued") if wants_catalog else migrated, path)
    yield f"sqlite:///{path}"


def truncate_all(url: str) -> None:
    """Empty every table of the PostgreSQL database at `url`."""
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


def build_app(database_url: str, **overrides: object) -> Flask:
    """An app for tests on this database, CSRF off; `overrides` change or add settings."""
    config = {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test"}
    config["QUEUE_IMMEDIATE"] = True  # jobs run in the request (tests/jobs run a real worker)
    config["MEDIA_DIR"] = str(CONTENT / "media")  # the shipped videos, as import-content copies
    return create_app({**config, "WTF_CSRF_ENABLED": False, **overrides})


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app under test, CSRF off (one test module turns it back on)."""
    app = build_app(database_url)
    yield app
    app.extensions["learnpath.engine"].dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the test database, for arranging data and checking state."""
    with Session(app.extensions["learnpath.engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def catalog(db: Session) -> Session:
    """The shipped catalog, imported (on SQLite the test's copy already holds it)."""
    from learnpath.services.catalog import import_catalog

    if PG_URL:
        import_catalog(db, CONTENT)
        db.commit()
    return db


@pytest.fixture
def login(client: FlaskClient, db: Session):  # type: ignore[no-untyped-def]
    """Log in as a new user with the given roles; returns the user."""

    def _login(*roles: str, email: str = "pat@example.com"):  # type: ignore[no-untyped-def]
        user = factories.user(db, email=email, roles=list(roles) or ["learner"])
        db.commit()
        response = client.post("/auth/login", data={"email": email, "password": factories.PASSWORD})
        assert response.status_code == 302
        return user

    return _login
