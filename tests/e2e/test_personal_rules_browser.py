"""An author writes a personal-program rule and sees whom it matches and a learner's trajectory.

In real Chromium, CSRF on: the author opens a draft of the shipped personal program, writes a
rule, previews it (the Preview button, then the live refresh as the form changes), saves it and
finds it in the list and in the database. The learners' roles are names of this test's own, so
the counts do not depend on the other tests sharing the database. Screenshots of the rule pages
go to screenshots/studio/ (git-ignored).
"""

import pytest
from sqlmodel import Session, col, select

from learnpath.models import Program, SegmentRule
from tests import factories
from tests.e2e.conftest import LiveApp

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

from playwright.sync_api import Page, expect

from tests.e2e.browsing import shot, staff

pytestmark = pytest.mark.browser


def _people(live: LiveApp) -> tuple[str, str]:
    """Learners for the rule to match: two in a role of their own, one in another; the roles."""
    analyst, lead = factories.unique("analyst"), factories.unique("team-lead")
    with Session(live.engine) as session:
        for i, role in enumerate([analyst, analyst, lead]):
            factories.learner(session, factories.unique("W"), role=role, name=f"Wren {i}")
        session.commit()
    return analyst, lead


def test_an_author_previews_and_saves_a_rule(page: Page, live_app: LiveApp) -> None:
    analyst, lead = _people(live_app)
    staff(live_app, page, "author")
    page.goto("/studio/programs/team-lead-path/v1")
    page.get_by_role("button", name="Edit (opens a new draft)").click()
    expect(page.get_by_role("heading", name="Edit draft: Team Lead Path")).to_be_visible()
    page.get_by_role("link", name="edit and preview the rules →").click()
    shot(page, "rules")
    page.get_by_role("link", name="New rule").click()

    page.get_by_label("Name (learners see it as the reason)").fill("Analysts do agile after all")
    page.get_by_label("Roles (any of, comma-separated)").fill(analyst)
    page.get_by_label("Then").select_option("include")
    page.get_by_label("Modules").select_option(["pm-agile"])
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#match-count")).to_have_text("This rule matches 2 active learners.")
    trajectory = page.locator("#trajectory")
    expect(trajectory).to_contain_text("Wren 0’s trajectory under this draft")
    expect(trajectory).to_contain_text("role rule: Analysts do agile after all")
    shot(page, "rule-preview")

    page.get_by_label("Roles (any of, comma-separated)").fill(f"{analyst}, {lead}")
    page.get_by_label("Roles (any of, comma-separated)").blur()  # a change: the panel refreshes
    expect(page.locator("#match-count")).to_have_text("This rule matches 3 active learners.")

    page.get_by_role("button", name="Save rule").click()
    expect(page.get_by_role("heading", name="Segment rules")).to_be_visible()
    expect(page.get_by_text("Analysts do agile after all")).to_be_visible()
    with Session(live_app.engine) as session:
        draft = session.exec(
            select(Program).where(Program.slug == "team-lead-path", Program.version == 2)
        ).one()
        rules = session.exec(
            select(SegmentRule)
            .where(SegmentRule.program_id == draft.id)
            .order_by(col(SegmentRule.position))
        ).all()
        assert (rules[-1].name, rules[-1].action) == ("Analysts do agile after all", "include")
        assert rules[-1].conditions == {"role": [analyst, lead]}
