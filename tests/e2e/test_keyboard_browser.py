"""A whole placement with the keyboard alone: log in, open the plan, take the test, see results.

Only Tab, Space, Enter and typing are used, never a click, and every control reached shows a
visible focus indicator (an outline) when it has the keyboard focus.
"""

import re

import pytest
from sqlmodel import Session, select

from learnpath.models import Attempt
from tests.e2e.conftest import Account, LiveApp

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
MAX_TABS = 80
FOCUSED = """() => { const el = document.activeElement; const style = getComputedStyle(el);
  return {text: (el.innerText || el.value || '').trim(), tag: el.tagName, name: el.name || '',
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2}; }"""


def tab_to(page: Page, wanted: re.Pattern[str] | str, attribute: str = "text") -> None:
    """Press Tab until the focused element's text (or name) matches, with a visible focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        value = focused[attribute]
        if wanted.search(value) if isinstance(wanted, re.Pattern) else value == wanted:
            assert focused["outline"], f"no visible focus on {focused}"
            return
    raise AssertionError(f"Tab never reached {wanted!r} on {page.url}")


def test_a_learner_takes_a_whole_placement_by_keyboard(
    page: Page, live_app: LiveApp, learner: Account
) -> None:
    page.goto("/auth/login")
    # The email field has the focus on arrival; typing before the page has given it the focus
    # would lose the first keys, so wait for it as a keyboard user waits to see the caret.
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type(learner.email)
    tab_to(page, "password", attribute="name")
    page.keyboard.type(learner.password)
    tab_to(page, "Log in")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My learning", level=1)).to_be_visible()
    tab_to(page, "Data Literacy Essentials")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Data Literacy Essentials", level=1)).to_be_visible()
    tab_to(page, re.compile(r"^Take the placement test"))
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Question 1")
    answered = 0
    while heading.inner_text() != "Your results":
        tab_to(page, "choice", attribute="name")  # the first option of the radio group
        page.keyboard.press("Space")
        tab_to(page, "Submit answer")
        page.keyboard.press("Enter")
        answered += 1
        expect(heading).to_have_text(re.compile(rf"^(Question {answered + 1}|Your results)$"))
        assert answered <= 40
    expect(page.get_by_role("heading", name="Your results", level=1)).to_be_visible()
    with Session(live_app.engine) as session:
        attempt = session.exec(
            select(Attempt).where(Attempt.learner_id == learner.learner_id)
        ).one()
    assert attempt.kind == "placement" and attempt.status == "completed"
    assert attempt.results is not None and attempt.results["n_items"] == answered
