"""A learner takes a placement quiz in a real browser, from login to results.

Runs headless Debian Chromium through Playwright against the app served on a real port, with
CSRF protection on, so every form is submitted the way a learner's browser submits it.
"""

import re

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from learnpath.models import Attempt, Item, Response
from learnpath.vocabulary import LEVELS
from tests.e2e.conftest import Account, LiveApp

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

from playwright.sync_api import Page, expect

from tests.e2e.browsing import log_in

pytestmark = pytest.mark.browser

PROGRAM_TITLE = "Data Literacy Essentials"
MAX_QUESTIONS = 20  # the program's placement max_items
ALREADY_ANSWERED = "That question was already answered"
# What a question page must never carry in an attribute or a form value: the key and parameters.
LEAKY_WORDS = ("correct", "discrimination", "difficulty", "explanation", "theta")

ATTRIBUTES_AND_VALUES = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) found.push(`${attr.name}=${attr.value}`);
    if (typeof el.value === 'string') found.push(`value=${el.value}`);
  }
  return found;
}"""

# The fields that fail the browser's own constraint validation (which blocks the submit).
BROWSER_REFUSES = """form => [...form.elements]
  .filter(el => !el.checkValidity())
  .map(el => `${el.type} ${el.id}: ${el.validationMessage}`)"""


def start_placement(page: Page) -> str:
    """Open Quizzes from the nav and start the placement; returns the attempt's uid."""
    page.get_by_role("navigation").get_by_role("link", name="Quizzes").click()
    expect(page.get_by_role("heading", name="Quizzes", level=1)).to_be_visible()
    offer = page.get_by_role("row").filter(has_text=f"Placement for {PROGRAM_TITLE}")
    expect(offer).to_have_count(1)
    offer.get_by_role("button", name="Start").click()
    expect(page.get_by_role("button", name="Submit answer")).to_be_visible()
    match = re.search(r"/quizzes/([0-9a-f-]{36})$", page.url)
    assert match, page.url
    return match.group(1)


def question_number(page: Page) -> int:
    """The 'Question N' heading of a question page."""
    text = page.get_by_role("heading", level=1).inner_text()
    match = re.search(r"Question (\d+)", text)
    assert match, text
    return int(match.group(1))


def assert_reveals_nothing(page: Page, live: LiveApp, uid: str) -> None:
    """The page shows the question but neither its key nor its parameters."""
    for found in page.evaluate(ATTRIBUTES_AND_VALUES):
        lowered = found.lower()
        assert not any(word in lowered for word in LEAKY_WORDS), found
    html = page.content()
    with Session(live.engine) as session:
        attempt = session.exec(select(Attempt).where(Attempt.uid == uid)).one()
        item = session.get(Item, attempt.shown_item_id)
        assert item is not None
        assert item.explanation.strip()[:60] not in html
        assert item.slug not in html
        n_options = len(item.options)
    # choices travel as their position on the page, never as the option's stored key
    values = page.locator("input[name=choice]").evaluate_all("els => els.map(e => e.value)")
    assert sorted(values, key=int) == [str(i) for i in range(n_options)]


def answer_first_options(page: Page) -> None:
    """Pick the first option (the first two on a 'choose every' question) and submit."""
    checkboxes = page.get_by_role("checkbox")
    if checkboxes.count():
        checkboxes.nth(0).check()
        checkboxes.nth(1).check()
    else:
        page.get_by_role("radio").first.check()
    refused = page.locator("form.question").evaluate(BROWSER_REFUSES)
    assert not refused, f"the browser will not submit this answer: {refused}"
    with page.expect_navigation():
        page.get_by_role("button", name="Submit answer").click()


def responses_of(live: LiveApp, uid: str) -> int:
    with Session(live.engine) as session:
        attempt = session.exec(select(Attempt).where(Attempt.uid == uid)).one()
        count = session.exec(
            select(func.count()).select_from(Response).where(Response.attempt_id == attempt.id)
        ).one()
    return int(count)


def test_learner_takes_a_placement_to_the_end(
    page: Page, live_app: LiveApp, learner: Account
) -> None:
    log_in(page, learner)
    uid = start_placement(page)

    submitted = 0
    while not page.url.endswith("/results"):
        assert submitted < MAX_QUESTIONS + 3, "the placement did not stop at its maximum"
        assert question_number(page) == submitted + 1
        expect(page.get_by_role("progressbar").first).to_be_visible()
        assert_reveals_nothing(page, live_app, uid)
        answer_first_options(page)
        submitted += 1

    assert page.url.endswith(f"/quizzes/{uid}/results")
    assert 1 <= submitted <= MAX_QUESTIONS
    expect(page.get_by_role("heading", name="Your results", level=1)).to_be_visible()
    table = page.locator("table.results")
    level_cells = table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert level_cells, "the results table has no competency rows"
    plain = re.compile(r"Level: (\w+) — (sure|fairly sure|not yet sure)")
    said = [plain.fullmatch(cell.strip()) for cell in level_cells]
    assert all(m and m.group(1).lower() in LEVELS for m in said), level_cells
    expect(page.locator("svg.chart")).to_be_visible()

    lead = page.get_by_text(re.compile(r"\d+ questions")).first.inner_text()
    shown = re.search(r"(\d+) questions", lead)
    assert shown and int(shown.group(1)) == submitted, lead
    per_competency = table.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert sum(int(n) for n in per_competency) == submitted

    assert responses_of(live_app, uid) == submitted


def test_back_button_then_resubmitting_keeps_the_first_answer(
    page: Page, live_app: LiveApp, learner: Account
) -> None:
    """Back, then Submit on the old question page: the first answer stands.

    Every question is served at the same URL (PRG), so Chromium, whose back/forward cache
    Playwright turns off, reloads the *current* question on Back. Browsers with that cache
    (desktop Chrome, Firefox, Safari) show the *old* page instead; a second tab opened before
    answering holds exactly that page, so it is the one submitted again.
    """
    log_in(page, learner)
    uid = start_placement(page)
    assert question_number(page) == 1
    old_page = page.context.new_page()
    old_page.goto(page.url)
    assert question_number(old_page) == 1

    answer_first_options(page)
    assert question_number(page) == 2
    assert responses_of(live_app, uid) == 1
    page.go_back()
    expect(page.get_by_role("button", name="Submit answer")).to_be_visible()
    assert responses_of(live_app, uid) == 1, "going back records nothing"

    answer_first_options(old_page)
    expect(old_page.get_by_role("status").filter(has_text=ALREADY_ANSWERED)).to_be_visible()
    assert question_number(old_page) == 2, "the learner is shown the current question"
    assert responses_of(live_app, uid) == 1
