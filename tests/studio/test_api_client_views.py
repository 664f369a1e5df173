"""API client pages (admins): create with the secret shown once, rotate, revoke, reactivate."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import ApiClient, AuditEntry
from learnpath.services.audit.values import REDACTED
from learnpath.services.integration.clients import create_client, digest
from tests import factories
from tests.studio.xss import CORPUS, executable

LEARNERS = "/api/v1/learners"


def _secret(page: str) -> str:
    found = re.search(r'id="client-secret">([^<]+)<', page)
    assert found, "the page shows the secret"
    return found.group(1)


def _token(client: FlaskClient, client_id: str, secret: str) -> dict[str, str]:
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    response = client.post("/oauth/token", data=data)
    assert response.status_code == 200
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def _made(db: Session) -> tuple[ApiClient, str]:
    row, secret = create_client(db, "Workday", "learners:read")
    db.commit()
    return row, secret


def test_an_admin_creates_a_client_and_sees_its_secret_once(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    admin = login("admin")
    data = {"name": "Workday", "scopes": ["learners:read", "enrollments:read"]}
    response = client.post("/studio/api-clients/new", data=data)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    secret = _secret(response.text)
    row = db.exec(select(ApiClient)).one()
    assert row.secret_hash == digest(secret) and row.scopes == "enrollments:read learners:read"
    assert secret not in client.get(f"/studio/api-clients/{row.client_id}").text
    assert client.get(LEARNERS, headers=_token(client, row.client_id, secret)).status_code == 200
    (entry,) = db.exec(select(AuditEntry).where(AuditEntry.entity == "apiclient")).all()
    assert entry.actor_id == admin.id and entry.changes["secret_hash"] == REDACTED


def test_a_client_needs_a_scope_and_keeps_what_was_typed(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    response = client.post("/studio/api-clients/new", data={"name": "Workday"})
    assert response.status_code == 200
    assert 'id="scopes-error"' in response.text and "Choose at least one scope." in response.text
    assert 'value="Workday"' in response.text
    assert db.exec(select(ApiClient)).all() == []


def test_no_scope_is_ticked_on_a_new_client(client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    page = client.get("/studio/api-clients/new").text
    assert page.count('type="checkbox"') == 5 and "checked" not in page
    assert (
        'required type="checkbox"' not in page
    )  # on checkboxes it would ask the browser to tick them all


def test_revoking_in_the_studio_stops_the_token_and_reactivating_does_not_revive_it(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    row, secret = _made(db)
    api = client.application.test_client()
    headers = _token(api, row.client_id, secret)
    login("admin")
    assert client.post(f"/studio/api-clients/{row.client_id}/revoke").status_code == 302
    assert api.get(LEARNERS, headers=headers).status_code == 401
    assert "revoked" in client.get("/studio/api-clients").text
    assert client.post(f"/studio/api-clients/{row.client_id}/reactivate").status_code == 302
    db.expire_all()
    assert db.get(ApiClient, row.id).active  # type: ignore[union-attr]
    assert api.get(LEARNERS, headers=headers).status_code == 401
    fresh = _token(api, row.client_id, secret)  # the reactivated client gets a token that works
    assert fresh != headers and api.get(LEARNERS, headers=fresh).status_code == 200
    actions = [e.action for e in db.exec(select(AuditEntry)).all() if e.entity == "apiclient"]
    assert actions == ["update", "update"]


def test_rotating_in_the_studio_shows_a_new_secret_and_stops_old_tokens(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    row, old_secret = _made(db)
    api = client.application.test_client()
    headers = _token(api, row.client_id, old_secret)
    login("admin")
    response = client.post(f"/studio/api-clients/{row.client_id}/rotate")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    new_secret = _secret(response.text)
    assert new_secret != old_secret
    assert api.get(LEARNERS, headers=headers).status_code == 401
    assert api.get(LEARNERS, headers=_token(api, row.client_id, new_secret)).status_code == 200


def test_changing_scopes_in_the_studio(client: FlaskClient, db: Session, login) -> None:  # type: ignore[no-untyped-def]
    row, _ = _made(db)
    login("admin")
    form = client.get(f"/studio/api-clients/{row.client_id}/edit").text
    assert '<input checked id="scopes-0"' in form and 'value="Workday"' in form
    data = {"name": "Workday EU", "scopes": ["enrollments:read"]}
    response = client.post(f"/studio/api-clients/{row.client_id}/edit", data=data)
    assert response.status_code == 302
    db.expire_all()
    changed = db.get(ApiClient, row.id)
    assert changed is not None and (changed.name, changed.scopes) == (
        "Workday EU",
        "enrollments:read",
    )


def test_an_unknown_client_is_404(client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    assert client.get("/studio/api-clients/lpc_nobody").status_code == 404
    assert client.post("/studio/api-clients/lpc_nobody/revoke").status_code == 404


POSTS = [
    ("new", {"name": "Mallory", "scopes": ["learners:write"]}),
    ("edit", {"name": "Mallory", "scopes": ["learners:write"]}),
    ("rotate", {}),
    ("revoke", {}),
]


@pytest.mark.parametrize("role", ["learner", "facilitator", "author"])
def test_non_admins_posting_get_403_and_nothing_changes(
    client: FlaskClient, db: Session, login, role: str
) -> None:  # type: ignore[no-untyped-def]
    row, _ = _made(db)
    login(role)
    before = factories.snapshot(db)
    for action, data in POSTS:
        url = f"/studio/api-clients/{'new' if action == 'new' else row.client_id + '/' + action}"
        assert client.post(url, data=data).status_code == 403, url
    assert client.get("/studio/audit.csv").status_code == 403
    assert factories.snapshot(db) == before


def test_reactivating_needs_an_admin_too(client: FlaskClient, db: Session, login) -> None:  # type: ignore[no-untyped-def]
    row, _ = _made(db)
    row.active = False
    db.add(row)
    db.commit()
    login("author")
    before = factories.snapshot(db)
    assert client.post(f"/studio/api-clients/{row.client_id}/reactivate").status_code == 403
    assert factories.snapshot(db) == before


def test_creating_a_client_needs_the_csrf_token(
    app: Flask, client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    data = {"name": "Workday", "scopes": ["learners:read"]}
    assert client.post("/studio/api-clients/new", data=data).status_code == 400
    assert db.exec(select(ApiClient)).all() == []
    page = client.get("/studio/api-clients/new").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    response = client.post("/studio/api-clients/new", data={**data, "csrf_token": token.group(1)})
    assert response.status_code == 200 and len(db.exec(select(ApiClient)).all()) == 1


def test_the_xss_corpus_in_client_names_executes_nowhere(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    for payload in CORPUS:
        data = {"name": payload[:200], "scopes": ["learners:read"]}
        assert not executable(client.post("/studio/api-clients/new", data=data).text)
    rows = db.exec(select(ApiClient)).all()
    assert len(rows) == len(CORPUS)
    pages = ["/studio/api-clients", "/studio/audit", "/studio/audit?entity=apiclient"]
    for row in rows:
        pages += [
            f"/studio/api-clients/{row.client_id}",
            f"/studio/api-clients/{row.client_id}/edit",
        ]
    executed = {url: found for url in pages if (found := executable(client.get(url).text))}
    assert executed == {}
