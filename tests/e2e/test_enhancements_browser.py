"""The studio's progressive enhancements in real Chromium: the Markdown toolbar and dragging.

The toolbar (vendored @github/markdown-toolbar-element) edits the plain textarea, by mouse and
by keyboard, and the server's sanitized preview shows what it wrote; without JavaScript it is
not there and the textarea works alone. Dragging a derived program's module posts the whole
order through the same checks as the Up/Down buttons: a good order is saved, one that puts a
module before its prerequisite is refused with the reason, and the page stays usable.
"""

import pytest
from sqlmodel import Session, col, select

from learnpath.models import Module, ProgramOverlay, SegmentRule
from learnpath.services.catalog import drafts, facilitation, personal
from learnpath.services.catalog.derivation import derive_program, module_entries
from tests import factories
from tests.e2e.conftest import PROGRAM_SLUG, LiveApp
from tests.studio.test_derivation_service import ESSENTIALS

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

from playwright.sync_api import Browser, Page, expect

from tests.e2e.browsing import shot, staff

pytestmark = pytest.mark.browser

KINDS = "Kinds of data and how to summarize them"
AVERAGES = "Averages, spread and outliers"
QUALITY = "Checking data quality before you trust a number"
DASHBOARDS = "Designing a dashboard people act on"
DRAGGED = [ESSENTIALS[0], ESSENTIALS[3], *ESSENTIALS[1:3], *ESSENTIALS[4:]]
"""Essentials' order with data quality dragged onto averages (it requires only kinds of data)."""


def body_of(live: LiveApp, slug: str) -> str:
    with Session(live.engine) as session:
        return session.exec(select(Module.body).where(Module.slug == slug)).one()


def test_the_toolbar_writes_markdown_that_the_preview_renders(
    page: Page, live_app: LiveApp
) -> None:
    staff(live_app, page, "author")
    stored = body_of(live_app, "dl-data-types")
    page.goto("/studio/modules/dl-data-types/edit")
    body = page.get_by_role("textbox", name="Lesson (Markdown)")
    toolbar = page.locator(".field", has=body).get_by_role("toolbar", name="Markdown formatting")
    expect(toolbar).to_be_visible()

    body.fill("Key point")
    body.select_text()
    toolbar.get_by_role("button", name="Bold").click()
    expect(body).to_have_value("**Key point**")

    # From the keyboard: one tab stop into the toolbar, arrows between buttons, Enter applies.
    body.press("End")
    body.press("Enter")
    body.press("Enter")
    body.press_sequentially("First")
    body.press("Shift+Home")
    body.press("Shift+Tab")  # back from the textarea to the toolbar's first button
    heading = toolbar.get_by_role("button", name="Heading")
    expect(heading).to_be_focused()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    bulleted = toolbar.get_by_role("button", name="Bulleted list")
    expect(bulleted).to_be_focused()
    page.keyboard.press("Enter")
    expect(body).to_have_value("**Key point**\n\n- First")
    shot(page, "module-edit-toolbar")

    page.get_by_role("button", name="Preview").click()
    lesson = page.locator("article.lesson")
    expect(lesson.locator("strong")).to_have_text("Key point")
    expect(lesson.locator("ul li")).to_have_text("First")
    expect(body).to_have_value("**Key point**\n\n- First")
    assert body_of(live_app, "dl-data-types") == stored, "a preview saves nothing"


def test_the_csp_refuses_inline_script_and_style_and_the_console_says_so(
    page: Page, live_app: LiveApp, csp_refusals: list[str]
) -> None:
    """The console check of every browser test sees refusals: here, planted ones."""
    staff(live_app, page, "author")
    page.goto("/studio/modules/dl-data-types/edit")
    expect(page.get_by_role("toolbar", name="Markdown formatting").first).to_be_visible()
    assert csp_refusals == [], "the toolbar and its page run under the policy"
    page.evaluate(
        """() => {
            const probe = document.createElement('div');
            probe.innerHTML = '<p id="probe" style="color: red">x</p>';
            document.body.append(probe);
            const script = document.createElement('script');
            script.textContent = 'window.inlineRan = true';
            document.body.append(script);
        }"""
    )
    expect(page.locator("#probe")).to_be_attached()
    page.wait_for_function("() => true")  # let the console events arrive
    assert page.evaluate("() => window.inlineRan === undefined")
    assert page.evaluate("() => getComputedStyle(document.getElementById('probe')).color") != (
        "rgb(255, 0, 0)"
    )
    assert any("inline script" in r for r in csp_refusals), csp_refusals
    assert any("inline style" in r for r in csp_refusals), csp_refusals
    csp_refusals.clear()  # planted: the page fixture must not fail the test for them


def test_without_javascript_the_textarea_works_alone(
    browser: Browser, live_server: str, live_app: LiveApp
) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    staff(live_app, page, "author")
    page.goto("/studio/modules/dl-data-types/edit")
    expect(page.get_by_role("toolbar")).to_have_count(0)
    expect(page.locator("markdown-toolbar").first).to_be_hidden()
    page.get_by_role("textbox", name="Lesson (Markdown)").fill("Plain **text**")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("article.lesson strong")).to_have_text("text")
    context.close()


def client_draft(live: LiveApp) -> str:
    """A specialized draft of Data Literacy Essentials v1 of this test's own; its slug."""
    with Session(live.engine, expire_on_commit=False) as session:
        essentials = drafts.find(session, PROGRAM_SLUG, 1)
        assert essentials is not None
        title = factories.unique("Drag for Acme").replace("-", " ")
        child = derive_program(session, essentials, "Ana", 3, title, "Acme", "")
        session.commit()
        return child.slug


def stored_order(live: LiveApp, slug: str) -> list[str]:
    with Session(live.engine) as session:
        program = drafts.find(session, slug, 1)
        assert program is not None
        return [m for m, _ in module_entries(session, program)]


def listed(page: Page) -> list[str]:
    return page.locator("#modules tbody tr td:nth-child(2) a").all_inner_texts()


def drag(page: Page, rows: str, title: str, onto: str) -> None:
    """Drag the row holding `title` by its handle onto the row holding `onto`; the page reloads."""
    row = page.locator(rows)
    source, target = (row.filter(has_text=t) for t in (title, onto))
    with page.expect_navigation():
        source.locator(".drag-handle").drag_to(target)


def test_a_drag_reorders_derived_modules_within_their_prerequisites(
    page: Page, live_app: LiveApp
) -> None:
    slug = client_draft(live_app)
    page.set_viewport_size({"width": 1280, "height": 1400})  # the whole list in view for drags
    staff(live_app, page, "author")
    page.goto(f"/studio/programs/{slug}/v1/derivation")
    expect(page.locator("#modules .drag-handle").first).to_be_visible()
    expect(page.locator("#modules .drag-hint")).to_be_visible()

    drag(page, "#modules tbody tr", QUALITY, onto=AVERAGES)
    assert listed(page)[:3] == [KINDS, QUALITY, AVERAGES]
    assert stored_order(live_app, slug) == DRAGGED
    shot(page, "derivation-dragged")

    drag(page, "#modules tbody tr", DASHBOARDS, onto=KINDS)
    expect(page.get_by_role("status")).to_contain_text(
        f"Not saved: “{DASHBOARDS}” requires “", use_inner_text=True
    )
    expect(page.get_by_role("status")).to_be_in_viewport()
    assert page.url.endswith(f"/studio/programs/{slug}/v1/derivation")
    assert listed(page)[:3] == [KINDS, QUALITY, AVERAGES], "the page shows the saved order"
    assert stored_order(live_app, slug) == DRAGGED, "a refused drop changes nothing"
    shot(page, "derivation-drag-refused")

    # The page is still usable: the buttons and another drag work after the refusal.
    drag(page, "#modules tbody tr", AVERAGES, onto=QUALITY)
    assert stored_order(live_app, slug)[:3] == [
        "dl-data-types",
        "dl-averages-and-spread",
        "dl-data-quality",
    ]


def test_a_facilitator_drags_a_note_into_place(page: Page, live_app: LiveApp) -> None:
    with Session(live_app.engine, expire_on_commit=False) as session:
        essentials = drafts.find(session, PROGRAM_SLUG, 1)
        assert essentials is not None
        title = factories.unique("Drag cohort").replace("-", " ")
        cohort = derive_program(session, essentials, "Ana", 2, title, "Acme", "")
        for text in ("First note", "Second note", "Third note"):
            facilitation.add_overlay(session, cohort, "Ana", None, {"kind": "note", "text": text})
        session.commit()
    staff(live_app, page, "facilitator")
    page.goto(f"/studio/programs/{cohort.slug}/v1/facilitation")
    drag(page, "#notes li[data-key]", "Third note", onto="First note")
    with Session(live_app.engine) as session:
        texts = session.exec(
            select(ProgramOverlay.text)
            .where(ProgramOverlay.program_id == cohort.id)
            .order_by(col(ProgramOverlay.position))
        ).all()
    assert list(texts) == ["Third note", "First note", "Second note"]
    expect(page.locator("#notes li[data-key]").first).to_contain_text("Third note")


def test_an_author_drags_a_rule_later(page: Page, live_app: LiveApp) -> None:
    names = ["Video for analysts", "Reading for analysts", "Slow pace for leads"]
    with Session(live_app.engine, expire_on_commit=False) as session:
        title = factories.unique("Drag personal").replace("-", " ")
        program = drafts.create_program(session, "Ana", title, 5)
        session.flush()
        for name, fmt in zip(names, ["video", "reading", None], strict=True):
            then = {"then": "prefer_format", "format": fmt} if fmt else {"then": "pace"}
            rule = {"name": name, "when": {"role": ["analyst"]}, **then}
            if not fmt:
                rule["minutes_per_week"] = 60
            personal.add_rule(session, program, "Ana", None, rule)
        session.commit()
    page.set_viewport_size({"width": 1280, "height": 1400})
    staff(live_app, page, "author")
    page.goto(f"/studio/programs/{program.slug}/v1/rules")
    drag(page, "#rules li[data-key]", names[0], onto=names[2])
    with Session(live_app.engine) as session:
        stored = session.exec(
            select(SegmentRule.name)
            .where(SegmentRule.program_id == program.id)
            .order_by(col(SegmentRule.position))
        ).all()
    assert list(stored) == [names[1], names[2], names[0]]
    expect(page.locator("#rules li[data-key] strong").first).to_have_text(names[1])
