"""An author writes a personal-program rule and sees whom it matches and a learner's trajectory.

In real Chromium, CSRF on: the author opens a draft of the shipped personal program, writes a
rule, previews it (the Preview button, then the live refresh as the form changes), saves it and
finds it in the list and in the database. Screenshots of the rule pages go to artifacts/studio/.
"""

from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from learnpath.models import Program, SegmentRule
from tests import factories
from tests.e2e.conftest import CHROMIUM, LiveApp

if not CHROMIUM.exists():
    pytest.skip(
        f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
        allow_module_level=True,
    )
pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "studio"
AUTHOR = "ana.author@example.com"


def _people(live: LiveApp) -> None:
    """An author, and learners with roles for the rule to match."""
    with Session(live.engine) as session:
        factories.user(session, email=AUTHOR, roles=["author"])
        for i, role in enumerate(["analyst", "analyst", "team-lead"]):
            factories.learner(session, f"W{i}", role=role, name=f"Wren {i}")
        session.commit()


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_an_author_previews_and_saves_a_rule(page: Page, live_app: LiveApp) -> None:
    _people(live_app)
    page.goto("/auth/login")
    page.get_by_label("Email").fill(AUTHOR)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/studio/programs/team-lead-path/v1")
    page.get_by_role("button", name="Edit (opens a new draft)").click()
    expect(page.get_by_role("heading", name="Edit draft: Team Lead Path")).to_be_visible()
    page.get_by_role("link", name="edit and preview the rules →").click()
    _shot(page, "rules")
    page.get_by_role("link", name="New rule").click()

    page.get_by_label("Name (learners see it as the reason)").fill("Analysts do agile after all")
    page.get_by_label("Roles (any of, comma-separated)").fill("analyst")
    page.get_by_label("Then").select_option("include")
    page.get_by_label("Modules").select_option(["pm-agile"])
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#match-count")).to_have_text("This rule matches 2 active learners.")
    trajectory = page.locator("#trajectory")
    expect(trajectory).to_contain_text("Wren 0’s trajectory under this draft")
    expect(trajectory).to_contain_text("role rule: Analysts do agile after all")
    _shot(page, "rule-preview")

    page.get_by_label("Roles (any of, comma-separated)").fill("analyst, team-lead")
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
        assert rules[-1].conditions == {"role": ["analyst", "team-lead"]}
