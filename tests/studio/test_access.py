"""Every studio route × every role: the status each one gets (a new route without a row fails)."""

from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session

from tests import factories

ROLES = ("anonymous", "learner", "author", "facilitator", "admin")
READ = {"anonymous": 302, "learner": 403, "author": 200, "facilitator": 200, "admin": 200}
WRITE_FORM = {"anonymous": 302, "learner": 403, "author": 200, "facilitator": 403, "admin": 200}

PROGRAM = {"slug": "data-literacy-essentials", "version": 1}

# endpoint → (method, url arguments, form data, expected status per role)
EXPECTED: dict[str, tuple[str, dict[str, Any], dict[str, str], dict[str, int]]] = {
    "studio.home": ("GET", {}, {}, READ),
    "studio.list_programs": ("GET", {}, {}, READ),
    "studio.show_program": ("GET", PROGRAM, {}, READ),
}


def _clients(app: Flask, db: Session) -> dict[str, Any]:
    clients = {"anonymous": app.test_client()}
    for role in ROLES[1:]:
        email = f"{role}@example.com"
        factories.user(db, email=email, roles=[role])
        db.commit()
        client = app.test_client()
        client.post("/auth/login", data={"email": email, "password": factories.PASSWORD})
        clients[role] = client
    return clients


def test_every_studio_route_has_an_expectation(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("studio.")}
    assert endpoints == set(EXPECTED)


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_each_role_gets_its_status(app: Flask, catalog: Session, endpoint: str) -> None:
    method, args, data, statuses = EXPECTED[endpoint]
    clients = _clients(app, catalog)
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **args)
    got = {}
    for role in ROLES:
        response = clients[role].open(url, method=method, data=data)
        got[role] = response.status_code
        if response.status_code == 302 and role == "anonymous":
            assert response.headers["Location"].startswith("/auth/login?next=")
    assert got == statuses


def test_learner_gets_a_page_not_a_redirect(client, login) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    response = client.get("/studio/")
    assert response.status_code == 403
    assert "The studio is for L&amp;D staff" in response.get_data(as_text=True)


def test_studio_link_only_for_staff(client, login) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    assert 'href="/studio/"' not in client.get("/programs").get_data(as_text=True)
    client.post("/auth/logout")
    login("facilitator", email="fay@example.com")
    assert 'href="/studio/"' in client.get("/programs").get_data(as_text=True)
