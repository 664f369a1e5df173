"""API clients and the audit log in real Chromium: an admin creates a client, then revokes it.

The client's token works against the live API until the admin presses Revoke; the next call
gets 401, and the audit log shows who revoked it. Screenshots go to screenshots/studio/admin/.
"""

import pytest
from sqlmodel import Session, select

from learnpath.models import ApiClient, AuditEntry
from tests import factories
from tests.e2e.conftest import LiveApp

pytest.importorskip("playwright.sync_api", reason="playwright is a dev dependency")

from playwright.sync_api import APIRequestContext, Page, expect

from tests.e2e.browsing import shot, staff

pytestmark = pytest.mark.browser

LEARNERS = "/api/v1/learners"


def token(api: APIRequestContext, client_id: str, secret: str) -> str:
    """A bearer token from the live token endpoint."""
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    response = api.post("/oauth/token", form=data)
    assert response.status == 200, response.text()
    return str(response.json()["access_token"])


def api_status(api: APIRequestContext, access_token: str) -> int:
    """The status of one API call made with the token."""
    return api.get(LEARNERS, headers={"Authorization": f"Bearer {access_token}"}).status


def test_an_admin_revokes_a_client_and_its_token_gets_401(page: Page, live_app: LiveApp) -> None:
    name = factories.unique("HR system").replace("-", " ")
    account = staff(live_app, page, "admin")
    page.get_by_role("link", name="Studio").first.click()
    page.get_by_role("link", name="API clients").click()
    shot(page, "admin/api-clients")
    page.get_by_role("link", name="New API client").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("learners:read: read learner profiles").check()
    shot(page, "admin/api-client-new")
    page.get_by_role("button", name="Create client").click()
    expect(page.get_by_role("alert")).to_contain_text("shown only this once")
    shot(page, "admin/api-client-secret")
    client_id = page.locator("#client-id").inner_text()
    secret = page.locator("#client-secret").inner_text()

    access_token = token(page.request, client_id, secret)
    assert api_status(page.request, access_token) == 200

    page.get_by_role("link", name="Done: back to the client").click()
    page.get_by_role("button", name="Revoke client").click()
    expect(page.get_by_text("its tokens no longer work")).to_be_visible()
    shot(page, "admin/api-client-revoked")
    assert api_status(page.request, access_token) == 401

    with Session(live_app.engine) as session:
        row = session.exec(select(ApiClient).where(ApiClient.client_id == client_id)).one()
        history = session.exec(
            select(AuditEntry).where(
                AuditEntry.entity == "apiclient", AuditEntry.entity_id == str(row.id)
            )
        ).all()
    assert not row.active
    assert [e.action for e in history] == ["insert", "update"]
    assert history[1].changes == {"active": [True, False]}

    page.get_by_role("link", name="History in the audit log").click()
    revocation = page.locator("table.audit tbody tr", has_text="active").first
    expect(revocation).to_contain_text("update")
    expect(revocation).to_contain_text("True → False")
    expect(revocation).to_contain_text(account.email.split("@")[0].title())
    shot(page, "admin/audit-revocation")
