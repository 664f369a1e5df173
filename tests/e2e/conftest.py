"""End-to-end fixtures: the app served over HTTP on a real port, and headless Chromium.

The app runs with CSRF on (the production setting), on the per-test database of
tests/conftest.py, with the shipped catalog imported and one learner enrolled in
Data Literacy Essentials.
"""

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from sqlalchemy import Engine
from sqlmodel import Session, select
from werkzeug.serving import make_server

from learnpath import create_app
from learnpath.models import Enrollment, Program
from learnpath.models.base import pk
from learnpath.services.catalog import import_catalog
from tests import factories
from tests.conftest import CONTENT

if TYPE_CHECKING:  # playwright is imported only when a browser is launched
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
LEARNER_EMAIL = "lena@example.com"
PROGRAM_SLUG = "data-literacy-essentials"


@dataclass(frozen=True)
class LiveApp:
    """The app behind the live server, with what a test needs to check the database."""

    app: Flask
    engine: Engine
    email: str
    password: str


@pytest.fixture
def live_app(database_url: str) -> Iterator[LiveApp]:
    """The app with CSRF on, the shipped catalog and one enrolled learner."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "e2e",
        }
    )
    assert app.config["WTF_CSRF_ENABLED"], "the browser tests run with CSRF protection on"
    engine: Engine = app.extensions["learnpath.engine"]
    with Session(engine, expire_on_commit=False) as session:
        import_catalog(session, CONTENT)
        user = factories.user(session, email=LEARNER_EMAIL)
        program = session.exec(
            select(Program).where(Program.slug == PROGRAM_SLUG, Program.version == 1)
        ).one()
        assert user.learner_id is not None
        session.add(Enrollment(learner_id=user.learner_id, program_id=pk(program)))
        session.commit()
    yield LiveApp(app, engine, LEARNER_EMAIL, factories.PASSWORD)
    engine.dispose()  # before tests/conftest.py truncates PostgreSQL


@pytest.fixture
def live_server(live_app: LiveApp) -> Iterator[str]:
    """The base URL of the app served by werkzeug in a daemon thread, on a free port."""
    server = make_server("127.0.0.1", 0, live_app.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    """Headless Debian Chromium, one per run (Playwright's own download is not used)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser: "Browser", live_server: str) -> Iterator["Page"]:
    """A fresh browser context (no cookies) with a page whose relative URLs hit the server."""
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
