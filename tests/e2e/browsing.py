"""What browser tests share: logging in, staff accounts of their own, screenshots."""

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session

from tests import factories
from tests.e2e.conftest import Account, LiveApp

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "studio"
"""Where the run saves its screenshots (git-ignored)."""


def log_in(page: Page, account: Account) -> None:
    """Log in through the login form and wait for the logged-in page."""
    page.goto("/auth/login")
    page.get_by_label("Email").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def staff(live: LiveApp, page: Page, role: str) -> Account:
    """Create a staff user of this test's own with `role` and log in as them."""
    with Session(live.engine) as session:
        user = factories.staff(session, role)
        session.commit()
        account = Account(user.email, live.password, None)
    log_in(page, account)
    return account


def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot as screenshots/studio/<name>.png."""
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
