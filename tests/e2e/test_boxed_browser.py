"""An author builds a boxed program from existing modules in real Chromium and publishes it.

The author goes Studio → Programs → New program, adds modules in an order that respects their
prerequisites, is refused a move that would break one (with the reason), sets a target and a
placement, publishes; the database then holds the frozen version, and a learner who could not
open the draft finds it in the catalog.
"""

import pytest
from sqlmodel import Session, select

from learnpath.models import Competency, Program, ProgramTarget
from learnpath.services.catalog import composition
from tests import factories
from tests.e2e.conftest import Account, LiveApp

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

from playwright.sync_api import Browser, Page, expect

from tests.e2e.browsing import log_in, shot, staff

pytestmark = pytest.mark.browser

KINDS = "Kinds of data and how to summarize them"
AVERAGES = "Averages, spread and outliers"
QUALITY = "Checking data quality before you trust a number"
ORDER = ["dl-data-types", "dl-averages-and-spread", "dl-data-quality"]
MINUTES = 20 + 30 + 35


def stored(live: LiveApp, slug: str) -> tuple[Program, list[str], list[tuple[str, str]]]:
    """The program version 1 as stored: the row, its module order and its targets."""
    with Session(live.engine, expire_on_commit=False) as session:
        program = session.exec(
            select(Program).where(Program.slug == slug, Program.version == 1)
        ).one()
        modules = [e.module.slug for e in composition.entries(session, program)]
        targets = session.exec(
            select(Competency.slug, ProgramTarget.level)
            .join(Competency, Competency.id == ProgramTarget.competency_id)  # type: ignore[arg-type]
            .where(ProgramTarget.program_id == program.id)
        ).all()
        return program, modules, [(c, level) for c, level in targets]


def add_modules(page: Page, slugs: list[str]) -> None:
    """Add each module through the 'Add module' form of the draft editor."""
    for slug in slugs:
        form = page.locator("#modules form", has=page.get_by_role("button", name="Add module"))
        form.get_by_label("Module").select_option(slug)
        form.get_by_role("button", name="Add module").click()
        expect(page.get_by_role("heading", name="Modules, in order")).to_be_visible()


def listed(page: Page) -> list[str]:
    """The module titles of the draft editor's table, in order."""
    return page.locator("#modules tbody tr td:nth-child(2) a").all_inner_texts()


def learner_page(browser: Browser, live_server: str, live: LiveApp) -> Page:
    """A second browser context, logged in as a learner of this test's own."""
    with Session(live.engine) as session:
        user = factories.user(session, email=f"{factories.unique('leo')}@example.com")
        session.commit()
        account = Account(user.email, live.password, user.learner_id)
    context = browser.new_context(base_url=live_server)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, account)
    return page


def build_draft(page: Page, title: str) -> str:
    """Studio → Programs → New program: a boxed draft; returns the editor's URL."""
    page.get_by_role("link", name="Studio", exact=True).click()
    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Programs").click()
    page.get_by_role("link", name="New program").click()
    shot(page, "program-new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Depth").select_option("1")
    page.get_by_role("button", name="Create draft").click()
    expect(page.get_by_role("heading", name=f"Edit draft: {title} v1")).to_be_visible()
    return page.url


def test_an_author_builds_a_boxed_program_and_publishes_it(
    page: Page, browser: Browser, live_server: str, live_app: LiveApp
) -> None:
    title = factories.unique("Data basics").replace("-", " ")
    staff(live_app, page, "author")
    editor = build_draft(page, title)
    slug = editor.split("/studio/programs/")[1].split("/")[0]

    add_modules(page, ORDER)
    assert listed(page) == [KINDS, AVERAGES, QUALITY]
    expect(page.locator("#modules")).to_contain_text(f"Estimated time: {MINUTES} min")

    # Averages requires Kinds of data: moving it first is refused, with the reason.
    averages = page.locator("#modules tbody tr", has_text=AVERAGES)
    averages.get_by_role("button", name="Up").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Not saved: “{AVERAGES}” requires “{KINDS}”, which must come before it"
    )
    shot(page, "program-edit-refused")
    assert listed(page) == [KINDS, AVERAGES, QUALITY]
    assert stored(live_app, slug)[1] == ORDER, "a refused move changes nothing"

    target = page.locator("#targets form")
    target.get_by_label("Competency").select_option("data-literacy")
    target.get_by_label("Target level").select_option("proficient")
    target.get_by_role("button", name="Set target").click()
    expect(page.locator("#targets")).to_contain_text("Data literacy: proficient")
    placement = page.locator("#placement form")
    placement.get_by_label("Start with an adaptive placement test").check()
    placement.get_by_label("Maximum questions").fill("12")
    placement.get_by_role("button", name="Save placement").click()
    expect(page.get_by_label("Maximum questions")).to_have_value("12")
    shot(page, "program-edit-boxed")

    learner = learner_page(browser, live_server, live_app)
    draft = learner.goto(f"/programs/{slug}/v1")
    assert draft is not None and draft.status == 404, "a draft is invisible to learners"

    page.get_by_role("link", name=f"← {title} v1").click()
    expect(page.get_by_text("Yes: every check passes.")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name=f"{title} v1 · published")).to_be_visible()
    expect(page.get_by_role("button", name="Edit (opens a new draft)")).to_be_visible()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    shot(page, "program-boxed-published")

    program, modules, targets = stored(live_app, slug)
    assert (program.status, program.depth, program.title) == ("published", 1, title)
    assert program.frozen_at is not None
    assert modules == ORDER and targets == [("data-literacy", "proficient")]
    assert program.placement is not None and program.placement["max_items"] == 12

    # Frozen: the editor sends the author back to the program page, nothing changes.
    page.goto(editor)
    expect(page.get_by_role("heading", name=f"{title} v1 · published")).to_be_visible()
    assert stored(live_app, slug)[0].revision == program.revision

    learner.goto("/programs")
    learner.get_by_role("link", name=title, exact=True).click()
    expect(learner.get_by_role("heading", name=f"{title} v1", level=1)).to_be_visible()
    shown = learner.locator("ol.modules > li strong").all_inner_texts()
    assert shown == [KINDS, AVERAGES, QUALITY]
    learner.context.close()


def drag(page: Page, title: str, onto: str) -> None:
    """Drag the row of `title` by its handle onto the row of `onto`; the page reloads."""
    rows = page.locator("#modules tbody tr")
    source, target = (rows.filter(has=page.get_by_role("link", name=t)) for t in (title, onto))
    with page.expect_navigation():
        source.locator(".drag-handle").drag_to(target)


def test_an_author_drags_a_module_into_a_new_place(page: Page, live_app: LiveApp) -> None:
    with Session(live_app.engine) as session:
        slug = factories.boxed_program(session, ORDER, publish=False).slug
        session.commit()
    staff(live_app, page, "author")
    page.goto(f"/studio/programs/{slug}/v1/edit")
    expect(page.locator("#modules .drag-handle").first).to_be_visible()

    drag(page, QUALITY, onto=AVERAGES)
    assert listed(page) == [KINDS, QUALITY, AVERAGES]
    dragged = ["dl-data-types", "dl-data-quality", "dl-averages-and-spread"]
    assert stored(live_app, slug)[1] == dragged
    shot(page, "program-edit-dragged")

    drag(page, KINDS, onto=AVERAGES)
    expect(page.get_by_role("status")).to_contain_text(f"requires “{KINDS}”")
    assert listed(page) == [KINDS, QUALITY, AVERAGES]
    assert stored(live_app, slug)[1] == dragged, "a refused drop changes nothing"
