"""End-to-end fixtures: one app served over HTTP on a real port, and one headless Chromium.

One server and one browser serve every browser test of a run: the server starts with the first
test of this package and stops after its last one (package scope), the browser lives for the
run. The app runs with CSRF on (the production setting) on a database of its own holding the
shipped catalog: a copy of the catalogued SQLite template, or the PostgreSQL of DATABASE_URL,
emptied afterwards for the tests that follow. The tests share that database, so each one makes
its own users and programs with unique names (tests/factories.py) and leaves the shipped catalog
as it is; a fresh browser context per test keeps their cookies apart.
"""

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from sqlalchemy import Engine
from sqlmodel import Session, select

from learnpath import create_app
from learnpath.models import Enrollment, Program
from learnpath.models.base import pk
from learnpath.services.catalog import import_catalog
from tests import factories
from tests.conftest import CONTENT, PG_URL, truncate_all

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
PROGRAM_SLUG = "data-literacy-essentials"
E2E = Path(__file__).resolve().parent


@dataclass(frozen=True)
class LiveApp:
    """The app behind the live server, with what a test needs to check the database."""

    app: Flask
    engine: Engine
    password: str


@dataclass(frozen=True)
class Account:
    """A user a test made for itself, and how to log in as them."""

    email: str
    password: str
    learner_id: int | None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `after_e2e` (the studio page crawl) run after the other browser tests."""
    late = [item for item in items if item.get_closest_marker("after_e2e")]
    rest = [item for item in items if item not in late]
    ours = [i for i, item in enumerate(rest) if E2E in item.path.parents]
    if late and ours:
        items[:] = rest[: ours[-1] + 1] + late + rest[ours[-1] + 1 :]


@pytest.fixture
def database_url() -> str:
    """Browser tests share the live server's database: a per-test one would empty it."""
    pytest.fail("a browser test reads and writes through live_app.engine, not db or app")


def _e2e_database(request: pytest.FixtureRequest, migrated: str, folder: Path) -> str:
    """The run's database with the shipped catalog: a copy of the template, or PostgreSQL."""
    if PG_URL:
        return PG_URL
    path = folder / "e2e.sqlite"
    shutil.copy(request.getfixturevalue("catalogued"), path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="package")
def live_app(
    request: pytest.FixtureRequest, migrated: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    """The app with CSRF on and the shipped catalog, shared by every browser test."""
    url = _e2e_database(request, migrated, tmp_path_factory.mktemp("e2e"))
    # Every test logs in from 127.0.0.1 on this one server: the production limit (10 login
    # posts a minute per address, tested in tests/test_auth.py) would refuse the eleventh.
    config = {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "e2e"}
    config["MEDIA_DIR"] = str(CONTENT / "media")  # the shipped videos, as import-content copies
    app = create_app({**config, "LOGIN_RATE_LIMIT": "1000 per minute"})
    assert app.config["WTF_CSRF_ENABLED"], "the browser tests run with CSRF protection on"
    engine: Engine = app.extensions["learnpath.engine"]
    if PG_URL:
        with Session(engine) as session:
            import_catalog(session, CONTENT)
            session.commit()
    yield LiveApp(app, engine, factories.PASSWORD)
    engine.dispose()
    if PG_URL:  # the tests after these expect an empty database
        truncate_all(PG_URL)


@pytest.fixture(scope="package")
def live_server(live_app: LiveApp) -> Iterator[str]:
    """The base URL of the app served by werkzeug in a daemon thread, on a free port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def learner(live_app: LiveApp) -> Account:
    """A new learner of this test's own, enrolled in Data Literacy Essentials v1."""
    with Session(live_app.engine) as session:
        user = factories.user(session, email=f"{factories.unique('lena')}@example.com")
        program = session.exec(
            select(Program).where(Program.slug == PROGRAM_SLUG, Program.version == 1)
        ).one()
        assert user.learner_id is not None
        session.add(Enrollment(learner_id=user.learner_id, program_id=pk(program)))
        session.commit()
        return Account(user.email, live_app.password, user.learner_id)


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


CSP_REFUSAL = "Content Security Policy"
"""Words of Chromium's console error when the page's CSP refuses a script, style or frame."""


@pytest.fixture
def csp_refusals() -> list[str]:
    """The console's CSP refusals on the test's page (the page fixture fails the test on any)."""
    return []


@pytest.fixture
def page(browser: "Browser", live_server: str, csp_refusals: list[str]) -> Iterator["Page"]:
    """A fresh browser context (no cookies) with a page whose relative URLs hit the server.

    Every browser test runs under the app's Content-Security-Policy: a refusal in the console
    (an inline script or style the policy blocks, which breaks the feature) fails the test.
    """
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on(
        "console",
        lambda message: csp_refusals.append(message.text) if CSP_REFUSAL in message.text else None,
    )
    yield page
    context.close()
    assert csp_refusals == []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the axe-core report of the pages the accessibility tests audited, if any."""
    from tests.e2e.audit import REPORT

    if REPORT:
        terminalreporter.section("axe-core: violations per page (serious and critical fail)")
        for line in REPORT:
            terminalreporter.write_line(line)
