"""People admin and My team in real Chromium, CSRF on.

An admin invites an author and a learner from the People pages and reads each set-password
link off the page; the learner opens theirs, sets a password and logs in with it; the author's
link is still unused. A manager opens My team and a report's page. Screenshots go to
screenshots/studio/ (git-ignored).
"""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from learnpath.models import Enrollment, Invite, Learner, Program, User
from learnpath.models.base import pk
from learnpath.services.accounts.users import roles_of
from learnpath.vocabulary import utcnow
from tests import factories
from tests.e2e.conftest import PROGRAM_SLUG, Account, LiveApp

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

from playwright.sync_api import Page, expect

from tests.e2e.browsing import log_in, shot, staff

pytestmark = pytest.mark.browser
PASSWORD = "my own new password"


def _invite(page: Page, email: str, name: str, role: str) -> str:
    """Fill the new-user form for an invite; the link the user page shows (path only)."""
    page.goto("/studio/people/users")
    page.get_by_role("link", name="New user").click()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label(role, exact=True).check()
    page.get_by_label("Invite link: they choose a password (valid 72 hours)").check()
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    link = page.get_by_label("Set-password link").input_value()
    assert "/auth/invite/" in link
    return link[link.index("/auth/invite/") :]


def test_an_admin_invites_an_author_and_a_learner_who_sets_a_password(
    page: Page, live_app: LiveApp
) -> None:
    staff(live_app, page, "admin")
    page.get_by_role("link", name="Studio").click()
    page.get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    author, learner = (f"{factories.unique(who)}@example.com" for who in ("aurora", "leo"))
    author_link = _invite(page, author, "Aurora Author", "author")
    shot(page, "people-invited")
    learner_link = _invite(page, learner, "Leo Learner", "learner")
    page.reload()
    expect(page.get_by_label("Set-password link")).to_have_count(0)  # shown once
    page.get_by_role("button", name="Log out").click()

    page.goto(learner_link)
    expect(page.get_by_role("heading", name="Set your password")).to_be_visible()
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    shot(page, "people-set-password")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Your password is set.")).to_be_visible()
    log_in(page, Account(learner, PASSWORD, None))
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    page.goto(learner_link)
    expect(page.get_by_text("This link has been used already")).to_be_visible()
    shot(page, "people-link-used")

    with Session(live_app.engine) as session:
        users = {
            u.email: u
            for u in session.exec(select(User).where(User.email.in_([author, learner]))).all()
        }  # type: ignore[attr-defined]
        assert roles_of(session, pk(users[author])) == {"author"}
        assert users[learner].learner_id is not None
        used = {
            i.user_id: i.used_at is not None
            for i in session.exec(
                select(Invite).where(Invite.user_id.in_([pk(u) for u in users.values()]))
            ).all()  # type: ignore[attr-defined]
        }
        assert used == {pk(users[author]): False, pk(users[learner]): True}
    assert author_link != learner_link


def _manager_with_a_report(live: LiveApp) -> tuple[Account, str]:
    """A learner who manages a report with an overdue program; their account, the report's name."""
    with Session(live.engine) as session:
        user = factories.user(session, email=f"{factories.unique('mona')}@example.com")
        name = factories.unique("Rory Report").replace("-", " ")
        report = factories.learner(
            session, factories.unique("R"), name=name, manager_id=user.learner_id
        )
        program = session.exec(
            select(Program).where(Program.slug == PROGRAM_SLUG, Program.version == 1)
        ).one()
        due = utcnow() - timedelta(days=3)
        session.add(Enrollment(learner_id=pk(report), program_id=pk(program), due_at=due))
        session.commit()
        return Account(user.email, live.password, user.learner_id), name


def test_a_manager_opens_my_team(page: Page, live_app: LiveApp) -> None:
    account, report = _manager_with_a_report(live_app)
    log_in(page, account)
    page.get_by_role("link", name="My team").click()
    expect(page.get_by_role("heading", name="My team")).to_be_visible()
    row = page.get_by_role("row", name=report)
    expect(row).to_contain_text("Data Literacy Essentials")
    expect(row).to_contain_text("overdue")
    shot(page, "my-team")
    page.get_by_role("link", name=report).click()
    expect(page.get_by_role("heading", name=report)).to_be_visible()
    shot(page, "my-team-report")
    with Session(live_app.engine) as session:
        found = session.exec(select(Learner).where(Learner.name == report)).one()
        assert found.manager_id == account.learner_id
