"""Derived programs in real Chromium: a facilitator's cohort, a client's program, a take-in.

Each test drives the studio through its pages (CSRF on) and checks the database afterwards.
Titles carry a number of their own (the tests share one database) and the take-in publishes
the v2 of a parent made for it, never of the shipped catalog. A screenshot of every studio
page visited is saved under screenshots/studio/ (git-ignored).
"""

import pytest
from sqlmodel import Session, select

from learnpath.models import Module, ProgramSession
from learnpath.services.catalog import (
    composition,
    derived_modules,
    drafts,
    module_lists,
    ownership,
)
from learnpath.services.catalog.authoring import slugify
from learnpath.services.catalog.derivation import derive_program, module_entries
from tests import factories
from tests.e2e.conftest import PROGRAM_SLUG, LiveApp

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

from playwright.sync_api import Page, expect

from tests.e2e.browsing import shot, staff

pytestmark = pytest.mark.browser

ESSENTIALS = f"/studio/programs/{PROGRAM_SLUG}/v1"


def titled(prefix: str) -> tuple[str, str]:
    """A title no other test uses, and the slug the studio makes of it."""
    title = factories.unique(prefix).replace("-", " ")
    return title, slugify(title)


def derive(page: Page, title: str, audience: str, depth: str | None = None) -> None:
    """Derive from Data Literacy Essentials v1 through the derive form."""
    page.goto(ESSENTIALS)
    page.get_by_role("link", name="Derive a program from this version").click()
    shot(page, f"derive-{depth or 'facilitated'}")
    if depth:
        page.get_by_label("Depth").select_option(depth)
    page.get_by_label("Title").fill(title)
    page.get_by_label("For (client or department)").fill(audience)
    page.get_by_role("button", name="Create draft").click()


def add_session(page: Page, title: str, day: str, time: str, where: dict[str, str]) -> None:
    """Fill and send the last 'Add session' form of the facilitation page."""
    form = page.locator("#sessions form").last
    form.get_by_label("Title").fill(title)
    form.get_by_label("Date").fill(day)
    form.get_by_label("Start time").fill(time)
    for label, value in where.items():
        form.get_by_label(label).fill(value)
    form.get_by_role("button", name="Add session").click()


def test_a_facilitator_derives_a_cohort_with_two_sessions(page: Page, live_app: LiveApp) -> None:
    title, slug = titled("Acme cohort")
    staff(live_app, page, "facilitator")
    derive(page, title, "Acme")
    expect(
        page.get_by_role("heading", name=f"Sessions and notes: {title} v1 · draft")
    ).to_be_visible()
    add_session(page, "Kick-off", "2027-01-28", "09:30", {"Place": "Rotterdam hub"})
    add_session(
        page, "Debrief", "2027-02-04", "14:00", {"Online at (URL)": "https://meet.example.com/a"}
    )
    rows = page.locator("#sessions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("2027-01-28 09:30")
    shot(page, "facilitation")
    page.get_by_role("link", name=f"← {title} v1").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name=f"{title} v1 · published")).to_be_visible()
    shot(page, "program-facilitated")
    with Session(live_app.engine) as session:
        cohort = drafts.find(session, slug, 1)
        assert cohort is not None and cohort.status == "published" and cohort.depth == 2
        titles = session.exec(
            select(ProgramSession.title).where(ProgramSession.program_id == cohort.id)
        ).all()
        assert list(titles) == ["Kick-off", "Debrief"]


def test_an_author_swaps_adds_and_sees_the_diff(page: Page, live_app: LiveApp) -> None:
    title, slug = titled("Data for Acme")
    staff(live_app, page, "author")
    derive(page, title, "Acme", depth="3")
    expect(
        page.get_by_role("heading", name=f"Modules and targets: {title} v1 · draft")
    ).to_be_visible()
    swap = page.locator("#modules form", has=page.get_by_role("button", name="Swap"))
    swap.get_by_label("Replace").select_option("dl-reading-charts")
    swap.get_by_label("with").select_option("dl-reading-charts-video")
    swap.get_by_role("button", name="Swap").click()
    add = page.locator("#modules form", has=page.get_by_role("button", name="Add module"))
    add.get_by_label("Module").select_option("pm-tracking")
    add.get_by_role("button", name="Add module").click()
    shot(page, "derivation")
    page.get_by_role("link", name=f"← {title} v1").click()
    diff = page.locator("#diff")
    expect(diff).to_contain_text(
        "Reading charts without being misled → Reading charts without being misled (video)"
    )
    expect(diff).to_contain_text("+ Tracking progress with metrics")
    shot(page, "program-specialized")
    with Session(live_app.engine) as session:
        child = drafts.find(session, slug, 1)
        assert child is not None
        modules = [m for m, _ in module_entries(session, child)]
        assert modules[-1] == "pm-tracking" and "dl-reading-charts-video" in modules


def parent_and_child(live: LiveApp) -> tuple[str, str, str]:
    """A published copy of Essentials' module list and a specialized child that moved a module.

    Returns the parent's title and slug, and the child's slug.
    """
    with Session(live.engine, expire_on_commit=False) as session:
        essentials = drafts.find(session, PROGRAM_SLUG, 1)
        assert essentials is not None
        slugs = [e.module.slug for e in composition.entries(session, essentials)]
        parent = factories.boxed_program(session, slugs, factories.unique("Essentials"))
        child_title, child_slug = titled("Data for Acme")
        child = derive_program(session, parent, "Ana", 3, child_title, "Acme", "")
        derived_modules.move_module(session, child, "Ana", None, "dl-data-quality", -1)
        session.commit()
        assert child.slug == child_slug
        return parent.title, parent.slug, child_slug


def test_the_parent_publishes_v2_and_the_child_takes_it_in(page: Page, live_app: LiveApp) -> None:
    parent, parent_slug, child_slug = parent_and_child(live_app)
    staff(live_app, page, "author")
    page.goto(f"/studio/programs/{parent_slug}/v1")
    page.get_by_role("button", name="Edit (opens a new draft)").click()
    module_row = page.locator("#modules tr", has_text="Designing a dashboard people act on")
    module_row.get_by_role("button", name="Remove").click()
    page.get_by_role("link", name=f"← {parent} v2").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name=f"{parent} v2 · published")).to_be_visible()
    page.goto(f"/studio/programs/{child_slug}/v1")
    page.get_by_role("link", name="Take in the parent's v2").click()
    expect(page.get_by_role("heading", name=f"Take in “{parent}” v2")).to_be_visible()
    expect(page.locator("#conflicts")).to_contain_text("None: the merge needs no decision.")
    shot(page, "take-in")
    page.get_by_role("button", name="Take in v2").click()
    expect(page.get_by_text("Took in the parent's changes")).to_be_visible()
    shot(page, "program-after-take-in")
    with Session(live_app.engine) as session:
        draft = drafts.find(session, child_slug, 1)
        v2 = drafts.find(session, parent_slug, 2)
        assert draft is not None and v2 is not None and draft.parent_id == v2.id
        modules = [m for m, _ in module_entries(session, draft)]
        assert "dl-dashboards" not in modules
        assert modules.index("dl-data-quality") < modules.index("dl-reading-charts")


def test_an_author_adds_a_department_only_module_to_a_deep_program_and_publishes(
    page: Page, live_app: LiveApp
) -> None:
    title, slug = titled("Data for Finance")
    module_title, module_slug = titled("Case the close dashboard")
    staff(live_app, page, "author")
    derive(page, title, "Finance", depth="4")
    expect(
        page.get_by_role("heading", name=f"Modules and targets: {title} v1 · draft")
    ).to_be_visible()
    page.get_by_role("link", name="write a department-only module").click()
    expect(page.get_by_label("Who may use it")).to_have_value(slug)
    page.get_by_label("Id", exact=True).fill(module_slug)
    page.get_by_label("Title", exact=True).fill(module_title)
    page.get_by_label("Competency").select_option("data-literacy")
    page.get_by_label("Format", exact=True).select_option("case")
    page.get_by_label("Minutes").fill("40")
    page.get_by_label("Lesson (Markdown)").fill("## Goal\n\nRead the month-end close dashboard.\n")
    page.get_by_role("button", name="Save module").click()
    expect(page.get_by_text(f"department-only ({title})")).to_be_visible()
    shot(page, "module-department-only")
    page.goto(f"/studio/programs/{slug}/v1/derivation")
    add = page.locator("#modules form", has=page.get_by_role("button", name="Add module"))
    add.get_by_label("Module").select_option(module_slug)
    add.get_by_role("button", name="Add module").click()
    expect(page.locator("#modules tbody")).to_contain_text(f"department-only ({title})")
    shot(page, "derivation-deep")
    page.get_by_role("link", name=f"← {title} v1").click()
    expect(page.locator("#department")).to_contain_text(module_title)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name=f"{title} v1 · published")).to_be_visible()
    shot(page, "program-deep")
    with Session(live_app.engine) as session:
        deep = drafts.find(session, slug, 1)
        assert deep is not None and (deep.status, deep.depth) == ("published", 4)
        assert module_slug in [m for m, _ in module_entries(session, deep)]
        owner = session.exec(select(Module.owner).where(Module.slug == module_slug)).one()
        assert owner == slug
        essentials = drafts.find(session, PROGRAM_SLUG, 1)
        assert essentials is not None
        offered = module_lists.picker_page(
            session,
            module_lists.ModuleFilter(competency="data-literacy"),
            1,
            composition.listed_ids(essentials),
            ownership.owners_for(session, essentials),
        )
        assert module_slug not in {m.slug for m, _ in offered.rows}
