"""/health, /ready, and 503 (JSON for the API, the site's page for browsers) when the database
cannot be reached."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from psycopg.errors import AdminShutdown, QueryCanceled
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from learnpath import db as database
from learnpath import migrate
from learnpath.db import make_engine
from tests.api.conftest import token_headers
from tests.conftest import build_app

UNREACHABLE = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/x",  # nothing listens on port 1
    "sqlite": "sqlite:////nonexistent-directory/learnpath.sqlite",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def cut_off(request: pytest.FixtureRequest, app: Flask) -> Iterator[Callable[[], None]]:
    """Call it to point the app's engine at a database that cannot be reached."""
    working = app.extensions["learnpath.engine"]

    def cut() -> None:
        app.extensions["learnpath.engine"] = make_engine(UNREACHABLE[request.param])

    yield cut
    app.extensions["learnpath.engine"].dispose()
    app.extensions["learnpath.engine"] = working


def test_a_page_is_503_in_the_site_layout(client: FlaskClient, login, cut_off) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    assert client.get("/programs").status_code == 200
    cut_off()

    response = client.get("/programs")

    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert response.headers["Retry-After"] == "5"
    page = response.get_data(as_text=True)
    assert "Back in a moment" in page and 'class="brand"' in page  # the layout, not werkzeug's
    assert "The database cannot be reached" in page and "Error 503" in page


def test_a_missing_page_is_still_a_404_page_for_a_logged_in_visitor(
    client: FlaskClient, login, cut_off
) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    cut_off()
    response = client.get("/no-such-page")
    assert response.status_code == 404  # the layout no longer asks the database who is in
    page = response.get_data(as_text=True)
    assert "Page not found" in page and 'class="brand"' in page


def test_a_login_post_is_503_not_500(client: FlaskClient, cut_off) -> None:  # type: ignore[no-untyped-def]
    cut_off()
    response = client.post("/auth/login", data={"email": "a@example.com", "password": "x"})
    assert response.status_code == 503
    assert "Back in a moment" in response.get_data(as_text=True)


def test_an_api_request_is_503_json(client: FlaskClient, db: Session, cut_off) -> None:  # type: ignore[no-untyped-def]
    headers = token_headers(client, db)
    assert client.get("/api/v1/learners", headers=headers).status_code == 200
    cut_off()

    response = client.get("/api/v1/learners", headers=headers)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json == {
        "error": {
            "code": "unavailable",
            "message": "The database cannot be reached. Try again in a moment.",
            "details": [],
        }
    }


def test_health_answers_without_the_database(client: FlaskClient, cut_off) -> None:  # type: ignore[no-untyped-def]
    cut_off()
    response = client.get("/health")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_ready_is_503_saying_the_database_is_unreachable(client: FlaskClient, cut_off) -> None:  # type: ignore[no-untyped-def]
    cut_off()
    response = client.get("/ready")
    assert response.status_code == 503
    error = response.json["error"]
    assert error["code"] == "unavailable"
    assert error["details"] == [{"field": "database", "message": error["message"]}]
    assert "cannot be reached" in error["message"]


def test_ready_is_200_on_a_migrated_database(client: FlaskClient) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json == {"status": "ready", "revision": ", ".join(migrate.heads())}


def test_ready_is_503_when_the_database_is_behind_the_migrations(app: Flask) -> None:
    engine = app.extensions["learnpath.engine"]
    with engine.connect() as connection:
        head = migrate.current(connection)
    migrate.downgrade(engine, "-1")
    try:
        with engine.connect() as connection:
            behind = ", ".join(migrate.current(connection))
        response = app.test_client().get("/ready")
    finally:
        migrate.upgrade(engine)
    assert response.status_code == 503
    error = response.json["error"]
    assert error["details"][0]["field"] == "revision"
    assert error["message"].startswith(
        f"The database is at revision {behind}; this code expects {', '.join(head)}."
    )
    assert app.test_client().get("/ready").status_code == 200  # migrated again: ready


def test_ready_is_503_on_a_database_never_migrated(tmp_path: Path) -> None:
    app = build_app(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    response = app.test_client().get("/ready")
    assert response.status_code == 503
    assert "at revision none (never migrated)" in response.json["error"]["message"]
    app.extensions["learnpath.engine"].dispose()


def test_a_database_error_that_is_a_bug_stays_a_500(app: Flask) -> None:
    @app.get("/broken")
    def broken() -> str:
        raise OperationalError("SELECT nothing", {}, Exception("no such table: nothing"))

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (OperationalError(None, None, Exception("connection refused")), True),  # never connected
        (OperationalError("SELECT 1", {}, Exception("gone"), connection_invalidated=True), True),
        (OperationalError("SELECT 1", {}, Exception("no such table: x")), False),
        (IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed")), False),
        (OperationalError("ROLLBACK", {}, AdminShutdown("terminating connection")), True),
        (OperationalError("SELECT 1", {}, QueryCanceled("statement timeout")), False),
        (ValueError("not a database error"), False),
    ],
)
def test_only_a_lost_connection_counts_as_an_outage(error: Exception, outage: bool) -> None:
    assert database.unreachable(error) is outage


def test_a_connection_cut_off_at_teardown_keeps_the_response(app: Flask) -> None:
    @app.get("/answered")
    def answered() -> str:
        session = database.get_session()

        def close() -> None:  # PostgreSQL restarted after the view committed
            raise OperationalError("ROLLBACK", {}, AdminShutdown("terminating connection"))

        session.close = close  # type: ignore[method-assign]
        return "recorded"

    response = app.test_client().get("/answered")
    assert response.status_code == 200 and response.data == b"recorded"
