"""Assignment and self-enrolment in Chromium: a facilitator enrols a department from a CSV file;
a learner enrols in a program open to their department and starts its placement.
"""

from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from learnpath.models import Attempt, Enrollment, Learner
from learnpath.services.catalog import drafts
from learnpath.services.learning import audience
from tests import factories
from tests.e2e.conftest import Account, LiveApp

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

from playwright.sync_api import Page, expect

from tests.e2e.browsing import log_in, shot, staff

pytestmark = pytest.mark.browser


def _department(live: LiveApp, n: int) -> tuple[str, list[str]]:
    """A department of this test's own with n learners; its name and their e-mails."""
    name = factories.unique("Dept").replace("-", " ")
    with Session(live.engine) as session:
        made = [
            factories.learner(session, factories.unique("D").upper(), department=name)
            for _ in range(n)
        ]
        session.commit()
        return name, [x.email for x in made]


def test_a_facilitator_enrols_a_department_from_a_csv_and_sets_a_due_date(
    page: Page, live_app: LiveApp, tmp_path: Path
) -> None:
    _, emails = _department(live_app, 3)
    csv = tmp_path / "finance.csv"
    csv.write_text("name,email\n" + "".join(f"x,{e}\n" for e in emails) + "x,ghost@example.com\n")
    staff(live_app, page, "facilitator")
    page.goto("/studio/assign")
    row = page.get_by_role("row").filter(has_text="Data Literacy Essentials v1")
    row.first.get_by_role("link", name="Assign").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assign Data Literacy")
    page.get_by_label("A CSV file of e-mails or external ids").check()
    page.get_by_label("CSV file (UTF-8").set_input_files(str(csv))
    page.get_by_label("Due date (optional)").fill("2027-03-31")
    shot(page, "assign-form")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("3 will be enrolled")).to_be_visible()
    unmatched = page.locator("table.unmatched").get_by_role("row").filter(has_text="ghost")
    expect(unmatched).to_contain_text("5")  # the unknown address is on line 5
    shot(page, "assign-preview")
    with Session(live_app.engine) as session:
        ours = select(Learner.id).where(col(Learner.email).in_(emails))
        mine = select(Enrollment).where(col(Enrollment.learner_id).in_(ours))
        assert session.exec(mine).all() == []  # the preview wrote nothing
    page.get_by_role("button", name="Enrol 3 learner(s)").click()
    expect(page.get_by_text("Enrolled 3 learner(s)")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Learners of")
    shot(page, "assign-learners")
    with Session(live_app.engine) as session:
        rows = session.exec(mine).all()
        assert len(rows) == 3
        assert {r.due_at.date().isoformat() for r in rows if r.due_at} == {"2027-03-31"}


def test_a_learner_self_enrols_in_an_open_program_and_starts_its_placement(
    page: Page, live_app: LiveApp
) -> None:
    department = factories.unique("Open dept").replace("-", " ")
    with Session(live_app.engine) as session:
        program = drafts.find(session, "information-security-basics", 1)
        assert program is not None
        audience.set_self_enrol(program, "department", department, "e2e")
        session.add(program)
        user = factories.user(session, email=f"{factories.unique('selma')}@example.com")
        learner = session.get(Learner, user.learner_id)
        assert learner is not None
        learner.department = department
        session.add(learner)
        session.commit()
        account = Account(user.email, live_app.password, user.learner_id)
    log_in(page, account)
    page.goto("/programs")
    row = page.get_by_role("row").filter(has_text="Information Security Basics")
    shot(page, "self-enrol-catalog")
    row.get_by_role("button", name="Enrol").click()
    expect(page.get_by_text("You are enrolled in Information Security Basics")).to_be_visible()
    page.get_by_role("button", name="Take the placement test").click()
    expect(page.get_by_role("button", name="Submit answer")).to_be_visible()
    shot(page, "self-enrol-placement")
    with Session(live_app.engine) as session:
        found = session.exec(
            select(Enrollment).where(Enrollment.learner_id == account.learner_id)
        ).all()
        assert [(e.source, e.status) for e in found] == [("self", "in_progress")]
        started = session.exec(select(Attempt).where(Attempt.enrollment_id == found[0].id)).all()
        assert [a.kind for a in started] == ["placement"]
