"""After a placement answered well, the learner sees Tested-Out modules and reorders the plan.

The simulated learner reads each question's item id from the page, looks the item up in the
database and answers it right (ticks exactly the options keyed correct) when the item is no
harder than the learner's ability, wrong otherwise. Then, in the trajectory timeline, some
modules are waived (Tested Out) and the learner moves a planned step.
"""

from typing import Literal

import pytest
from sqlmodel import Session, select

from learnpath.models import (
    Adjustment,
    CompetencyLevel,
    Enrollment,
    Item,
    ItemParameter,
    Program,
)
from tests.e2e.conftest import PROGRAM_SLUG, Account, LiveApp

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

from playwright.sync_api import Locator, Page, expect

from tests.e2e.browsing import log_in
from tests.e2e.test_quiz_browser import (
    BROWSER_REFUSES,
    MAX_QUESTIONS,
    PROGRAM_TITLE,
    question_number,
    start_placement,
)

pytestmark = pytest.mark.browser

UPDATED = "Your plan was updated."
UNCHANGED_LOG = "You have not changed this plan."
# The learner answers right every item with difficulty b ≤ ABILITY and wrong the others; after
# the 20 items θ lands near −0.4 with SE near 0.39 (SE 0.35 is not reached). Test-out rule:
# θ − 1.645·SE ≥ the lower bound of the module's level, here about −1.0: the two 'developing'
# modules (bound −1.5) are waived, the 'proficient' (−0.5) and 'advanced' (0.5) ones stay
# planned, so there is something to reorder. (All answers right waive all six modules.)
ABILITY = -0.5


def option_texts(item: Item, correct: bool) -> list[str]:
    return [" ".join(str(o["text"]).split()) for o in item.options if bool(o["correct"]) == correct]


def answer_as_able(page: Page, live: LiveApp, ability: float) -> bool:
    """Answer the question shown right if its item's b ≤ `ability`, else wrong; then submit.

    Right is every option keyed correct and no other; wrong is one option keyed incorrect.
    Returns whether the answer was right.
    """
    form = page.locator("form.question")
    item_id = int(form.locator("input[name=item]").input_value())
    with Session(live.engine) as session:
        item = session.get(Item, item_id)
        assert item is not None, f"the page names item {item_id}, which is not in the database"
        (difficulty,) = session.exec(
            select(ItemParameter.b).where(ItemParameter.item_id == item_id)
        ).all()
    keyed, distractors = option_texts(item, True), option_texts(item, False)
    shown = [" ".join(t.split()) for t in form.locator("label.option").all_inner_texts()]
    assert sorted(shown) == sorted(keyed + distractors), "the page shows the item's options"
    assert keyed and distractors, f"item {item.slug} cannot be answered both right and wrong"

    role: Literal["checkbox", "radio"] = "checkbox" if item.kind == "multiple" else "radio"
    assert page.get_by_role(role).count() == len(shown)
    right = difficulty <= ability
    for text in keyed if right else distractors[:1]:
        page.get_by_role(role, name=text, exact=True).check()
    refused = form.evaluate(BROWSER_REFUSES)
    assert not refused, f"the browser will not submit this answer: {refused}"
    with page.expect_navigation():
        page.get_by_role("button", name="Submit answer").click()
    return right


def take_placement_as(page: Page, live: LiveApp, ability: float) -> list[bool]:
    """Answer the placement up to its results page; returns which answers were right."""
    start_placement(page)
    answers: list[bool] = []
    while not page.url.endswith("/results"):
        assert len(answers) < MAX_QUESTIONS, "the placement did not stop at its maximum"
        assert question_number(page) == len(answers) + 1
        answers.append(answer_as_able(page, live, ability))
    expect(page.get_by_role("heading", name="Your results", level=1)).to_be_visible()
    return answers


def planned_steps(page: Page) -> Locator:
    return page.locator("ol.timeline > li.step-planned")


def planned_titles(page: Page) -> list[str]:
    return planned_steps(page).locator(".what > a strong").all_inner_texts()


def planned_step(page: Page, title: str) -> Locator:
    """The planned step of the module `title` (not the steps whose lock names it)."""
    step = planned_steps(page).filter(has=page.locator(".what > a").get_by_text(title, exact=True))
    expect(step).to_have_count(1)
    return step


def blockers_of(page: Page, title: str) -> list[str]:
    """The titles a planned step says it is locked until (its planned prerequisites)."""
    return planned_step(page, title).locator(".lock a").all_inner_texts()


def move_later(page: Page, title: str, anchor: str) -> str:
    """Press '↓ Later' on the planned step `title`; returns the message the page flashes."""
    later = planned_step(page, title).get_by_role("button", name="↓ Later")
    expect(later).to_have_attribute("title", f"Move after {anchor}")
    later.click()
    status = page.get_by_role("status")
    expect(status).to_have_count(1)
    return status.inner_text()


def adjustments_of(live: LiveApp, learner: Account) -> tuple[int, list[Adjustment]]:
    """The learner's enrollment id and its active adjustments."""
    with Session(live.engine) as session:
        enrollment = session.exec(
            select(Enrollment)
            .join(Program, Program.id == Enrollment.program_id)  # type: ignore[arg-type]
            .where(Program.slug == PROGRAM_SLUG, Enrollment.learner_id == learner.learner_id)
        ).one()
        rows = session.exec(
            select(Adjustment).where(
                Adjustment.enrollment_id == enrollment.id,
                Adjustment.active == True,  # noqa: E712
            )
        ).all()
    assert enrollment.id is not None
    return enrollment.id, list(rows)


def levels_of(live: LiveApp, learner: Account) -> list[tuple[float, float, str]]:
    """The learner's (θ, SE, level) per competency, to explain a surprising plan."""
    with Session(live.engine) as session:
        levels = session.exec(
            select(CompetencyLevel).where(CompetencyLevel.learner_id == learner.learner_id)
        ).all()
    return [(level.theta, level.se, level.level) for level in levels]


def test_learner_sees_tested_out_modules_and_reorders_the_plan(
    page: Page, live_app: LiveApp, learner: Account
) -> None:
    log_in(page, learner)
    answers = take_placement_as(page, live_app, ABILITY)
    assert any(answers) and not all(answers), answers

    page.get_by_role("navigation").get_by_role("link", name="My learning").click()
    expect(page.get_by_role("heading", name="My learning", level=1)).to_be_visible()
    expect(page.get_by_text("waived (Tested Out)")).to_be_visible()
    page.get_by_role("link", name=PROGRAM_TITLE, exact=True).click()
    expect(page.get_by_role("heading", name=PROGRAM_TITLE, level=1)).to_be_visible()
    enrollment_id, active = adjustments_of(live_app, learner)
    assert page.url.endswith(f"/path/{enrollment_id}")
    assert active == []
    expect(page.get_by_role("button", name="Take the placement test")).to_have_count(0)

    waived = page.locator("ol.timeline > li.step-waived")
    expect(waived.first).to_be_visible()
    for step in waived.all():
        expect(step.locator(".reason")).to_have_text("Tested Out")
        expect(step.get_by_role("button", name="Take it anyway")).to_be_visible()

    before = planned_titles(page)
    assert len(before) >= 3, (
        f"too little left to reorder: {before} ({levels_of(live_app, learner)})"
    )
    unlocks = {title: [t for t in before if title in blockers_of(page, t)] for title in before}
    expect(page.get_by_text(UNCHANGED_LOG)).to_be_visible()

    # Postpone a step past one that does not need it, to just before one that does.
    moves = [
        (before[i], before[i + 1])
        for i in range(len(before) - 2)
        if before[i + 1] not in unlocks[before[i]] and before[i + 2] in unlocks[before[i]]
    ]
    assert moves, f"no step can move later to just before a step it unlocks: {unlocks}"
    module, anchor = moves[0]
    assert move_later(page, module, anchor) == UPDATED
    i = before.index(module)
    after = [*before[:i], anchor, module, *before[i + 2 :]]
    assert planned_titles(page) == after
    moved = f"Moved “{module}” after “{anchor}”"
    changes = page.locator("ul.log > li")
    expect(changes).to_have_count(1)
    expect(changes.first).to_contain_text(moved)
    expect(changes.first.get_by_role("button", name="Undo")).to_be_visible()
    enrollment_id, rows = adjustments_of(live_app, learner)
    assert [(r.kind, r.message) for r in rows] == [("move", moved)]

    # One place later still would put it after a step that requires it: the rules would refuse,
    # so no button offers it (tests/test_trajectory_views.py posts it and sees the refusal).
    assert module in blockers_of(page, after[i + 2])
    expect(planned_step(page, module).get_by_role("button", name="↓ Later")).to_have_count(0)
    expect(planned_step(page, after[i + 2]).get_by_role("button", name="↑ Earlier")).to_have_count(
        0
    )
    assert planned_titles(page) == after
    expect(changes).to_have_count(1)
    assert [r.id for r in adjustments_of(live_app, learner)[1]] == [rows[0].id]

    page.reload()
    assert planned_titles(page) == after, "the change holds when the plan is computed again"
