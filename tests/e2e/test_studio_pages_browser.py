"""Every GET page of the studio, opened in Chromium as an author and as a facilitator.

Runs after the other browser tests (marker after_e2e), so the lists show what they made. The
routes come from the app's URL map and their parameters from data this test makes (programs of
each kind, a rule of the personal one, a catalog competency, item and module, a user and a
department): a new page is visited without being named here, and the test fails if one cannot be
(then give `samples` what it needs). Each page must answer 200 without a redirect and carry one
<h1>, or, for a facilitator, the 403 page; admin pages (people admin, studio.people.*, and the
views marked `@admin_only`: API clients, the audit log) open for an admin and answer 403 to
authors and facilitators. A download (the users and audit CSVs) is checked for its status
only. Every page opened is saved under screenshots/studio/pages/<role>/ (git-ignored). Opening
them all writes nothing.
"""

import tempfile
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import url_for
from sqlmodel import Session, col, select
from werkzeug.routing import Rule

from learnpath.config import payoff_file
from learnpath.models import Competency, Department, Enrollment, Item, Job, Module
from learnpath.models.base import pk
from learnpath.services.catalog import composition, drafts, personal, publishing
from learnpath.services.catalog.derivation import derive_program
from learnpath.services.catalog.parameter_sets import current_parameters, save_calibrated
from learnpath.services.integration.clients import create_client
from learnpath.vocabulary import Depth
from tests import factories
from tests.e2e.conftest import PROGRAM_SLUG, LiveApp

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

from playwright.sync_api import Page

from tests.e2e.browsing import shot, staff

pytestmark = [pytest.mark.browser, pytest.mark.after_e2e]

PROGRAM = "/studio/programs/<slug>/v<int:version>"
FACILITATOR_PAGES = {
    "studio.home",
    "studio.facilitation",
    "studio.derive",
    "studio.take_in",
    "studio.assign_index",
    "studio.assign",
    "studio.program_learners",
}
"""Pages a facilitator works in: each must open for them, not only for authors."""
ADMIN_PAGES = "studio.people."
"""Endpoints of people admin: admins only (as are views marked @admin_only)."""


@dataclass
class Samples:
    """URL parameters to fill studio routes with, programs in the order they are tried."""

    slugs: dict[str, str]  # the path segment after /studio/ → a slug of that kind
    programs: list[dict[str, Any]] = field(default_factory=list)
    within: dict[str, Any] = field(default_factory=dict)  # a program route's other parameters
    ids: dict[str, Any] = field(default_factory=dict)  # user_id, department_id, client_id, job_id
    versions: list[int] = field(default_factory=list)  # the competency's parameter sets


def _title(kind: str) -> str:
    return factories.unique(f"{kind} sample").replace("-", " ")


def _programs(session: Session, modules: list[str], within: dict[str, Any]) -> list[dict[str, Any]]:
    """A draft of each kind, a published v2 with a learner waiting on v1, and that v1.

    The personal draft has a rule; its position goes in `within`.
    """
    v1 = factories.boxed_program(session, modules, _title("Published"))
    learner = factories.learner(session, factories.unique("crawl"))
    session.add(Enrollment(learner_id=pk(learner), program_id=pk(v1)))
    v2 = drafts.open_draft(session, v1, factories.AUTHOR)
    composition.remove_module(session, v2, factories.AUTHOR, None, modules[-1])
    publishing.publish(session, v2, factories.AUTHOR, None)
    boxed = factories.boxed_program(session, modules, _title("Boxed"), publish=False)
    children = [
        derive_program(session, v1, factories.AUTHOR, depth, _title(depth.label), "Acme", "")
        for depth in (Depth.SPECIALIZED, Depth.FACILITATED)
    ]
    pool = drafts.create_program(session, factories.AUTHOR, _title("Personal"), Depth.PERSONAL)
    for slug in modules:
        composition.add_module(session, pool, factories.AUTHOR, None, slug)
    rule = {"name": "Analysts", "when": {"role": ["analyst"]}, "then": "include"}
    rule["modules"] = modules[-1:]
    within["position"] = personal.add_rule(session, pool, factories.AUTHOR, None, rule)
    found = [boxed, *children, pool, v2, v1]
    return [{"slug": p.slug, "version": p.version} for p in found]


def _parameter_sets(session: Session, competency: Competency) -> list[int]:
    """A calibrated (inactive) set beside the active one, for the preview page: both versions."""
    base, current = current_parameters(session, competency)
    moved = {slug: (a * 1.2, b + 0.3) for slug, (a, b) in current.items()}
    report = {"persons": 300, "seed": 0, "model": "crawl sample", "items": []}
    calibrated = save_calibrated(session, competency, base, moved, report)
    return [calibrated.version, base.version]


def _payoff_plot(live: LiveApp, slug: str) -> str:
    """A payoff plot for the program, where `flask payoff` keeps it (in a folder of the run's)."""
    if not live.app.config.get("PAYOFF_FOLDER"):
        live.app.config["PAYOFF_FOLDER"] = tempfile.mkdtemp(prefix="learnpath-payoff-")
    plot = payoff_file(live.app, slug, ".svg")
    plot.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"></svg>\n')
    return slug


def samples(live: LiveApp) -> Samples:
    """Programs made for the crawl, and a competency, item and module of the catalog."""
    with Session(live.engine) as session:
        essentials = drafts.find(session, PROGRAM_SLUG, 1)
        assert essentials is not None
        modules = [e.module.slug for e in composition.entries(session, essentials)]
        competency = session.exec(select(Competency).order_by(col(Competency.slug))).first()
        item = session.exec(select(Item).order_by(col(Item.slug))).first()
        module = session.exec(select(Module).order_by(col(Module.slug))).first()
        assert competency and item and module, "the shipped catalog is loaded"
        slugs = {"competencies": competency.slug, "items": item.slug, "modules": module.slug}
        slugs["programs"] = _payoff_plot(live, PROGRAM_SLUG)
        found = Samples(slugs)
        found.programs = _programs(session, modules, found.within)
        found.versions = _parameter_sets(session, competency)
        person = factories.user(session, email=f"{factories.unique('crawled')}@example.com")
        department = Department(name=factories.unique("Crawl department"))
        session.add(department)
        session.flush()
        client, _secret = create_client(session, _title("HR system"), "learners:read")
        job = Job(kind="move-learners", subject=_title("crawl"), status="done", result={})
        session.add(job)
        session.flush()
        found.ids = {
            "job_id": pk(job),
            "user_id": pk(person),
            "department_id": pk(department),
            "client_id": client.client_id,
        }
        session.commit()
    return found


def admin_pages(live: LiveApp) -> set[str]:
    """Studio pages only admins open: people admin, and views marked by @admin_only."""
    views = live.app.view_functions
    return {
        r.endpoint
        for r in studio_pages(live)
        if r.endpoint.startswith(ADMIN_PAGES) or getattr(views[r.endpoint], "admin_only", 0)
    }


def studio_pages(live: LiveApp) -> list[Rule]:
    """The studio's GET routes, in URL order."""
    rules = live.app.url_map.iter_rules()
    found = [r for r in rules if r.endpoint.startswith("studio.") and "GET" in (r.methods or ())]
    return sorted(found, key=lambda r: r.rule)


def fillings(rule: Rule, data: Samples) -> list[dict[str, Any]]:
    """The parameters to try for a route, best first; [] when the data has none for it."""
    arguments = set(rule.arguments)
    if not arguments:
        return [{}]
    others = arguments - {"slug", "version"}
    if rule.rule.startswith(PROGRAM) and others <= set(data.within):
        return [{**p, **{name: data.within[name] for name in others}} for p in data.programs]
    if arguments <= set(data.ids):
        return [{name: data.ids[name] for name in arguments}]
    kind = rule.rule.split("/")[2]
    if arguments == {"slug", "version"} and kind == "competencies":
        return [{"slug": data.slugs[kind], "version": v} for v in data.versions]
    if arguments == {"slug"} and kind in data.slugs:
        return [{"slug": data.slugs[kind]}]
    return []


def status_of(page: Page, url: str) -> tuple[int, bool]:
    """The status `url` answers with the page's cookies (redirects not followed) and whether it
    is an HTML page (a CSV download is not opened in the page)."""
    response = page.request.get(url, max_redirects=0)
    return response.status, response.headers.get("content-type", "").startswith("text/html")


def heading(page: Page, url: str) -> str:
    """Open `url` in the page; its <h1> when it has exactly one, else ''."""
    page.goto(url)
    headings = page.locator("h1").all_inner_texts()
    return headings[0].strip() if len(headings) == 1 else ""


def crawl(
    live: LiveApp, page: Page, data: Samples, role: str, only: set[str] | None = None
) -> dict[str, int | str]:
    """Open every studio page (or `only` these endpoints) as `role`: each page's status,
    or what was tried when it failed.

    Also checks that opening them all wrote nothing to the database.
    """
    with Session(live.engine) as session:
        before = factories.snapshot(session)
    answers = _open_all(live, page, data, role, only)
    with Session(live.engine) as session:
        after = factories.snapshot(session)
    changed = [table for table in before if before[table] != after[table]]
    assert not changed, f"opening the studio pages as {role} changed {changed}"
    return answers


def _open_all(
    live: LiveApp, page: Page, data: Samples, role: str, only: set[str] | None
) -> dict[str, int | str]:
    answers: dict[str, int | str] = {}
    for rule in studio_pages(live):
        if only is not None and rule.endpoint not in only:
            continue
        tried = []
        for values in fillings(rule, data):
            with live.app.test_request_context():
                url = url_for(rule.endpoint, **values)
            status: int | str
            status, html = status_of(page, url)
            if status == 200 and not html:
                answers[rule.endpoint] = 200  # a download: its status is all there is to see
                break
            if status == 200 and not heading(page, url):
                status = "200 without one <h1>"
            tried.append(f"{url} → {status}")
            if status == 200:
                shot(page, f"pages/{role}/{rule.endpoint.removeprefix('studio.')}")
                answers[rule.endpoint] = 200
                break
        else:
            refused = tried and all(t.endswith("→ 403") for t in tried)
            answers[rule.endpoint] = 403 if refused else f"{rule.rule}: {tried or 'no data'}"
    return answers


def test_every_studio_page_opens_with_a_heading(page: Page, live_app: LiveApp) -> None:
    data = samples(live_app)
    admin_only = admin_pages(live_app)
    staff(live_app, page, "author")
    by_author = crawl(live_app, page, data, "author")
    assert studio_pages(live_app) and len(by_author) == len(studio_pages(live_app))
    failed = {k: v for k, v in by_author.items() if v != (403 if k in admin_only else 200)}
    assert not failed, f"studio pages an author could not open (or, admin pages, could): {failed}"

    page.context.clear_cookies()
    staff(live_app, page, "facilitator")
    by_facilitator = crawl(live_app, page, data, "facilitator")
    failed = {k: v for k, v in by_facilitator.items() if v not in (200, 403)}
    assert not failed, f"studio pages a facilitator could not open: {failed}"
    opened = {k for k, v in by_facilitator.items() if v == 200}
    assert opened >= FACILITATOR_PAGES, FACILITATOR_PAGES - opened
    assert opened < set(by_author), "facilitators are kept out of the authoring forms"
    assert not opened & admin_only, "admin pages are for admins"

    page.context.clear_cookies()
    staff(live_app, page, "admin")
    assert admin_only >= {"studio.audit", "studio.list_api_clients", "studio.show_api_client"}
    by_admin = crawl(live_app, page, data, "admin", only=admin_only)
    assert by_admin and all(v == 200 for v in by_admin.values()), by_admin
