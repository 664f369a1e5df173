"""Scope matrix: every endpoint of the served OpenAPI document, asked with each scope alone.

The expectations come from the document's own security requirements, so what it promises and
what the views enforce cannot drift apart: a scope the document lists gets the operation's
success status, any other gets 403 and changes nothing. Basic credentials (xAPI) are checked
the same way against the roles the document lists for them. Every API route of the URL map
must be in the document or in UNDOCUMENTED, so no endpoint escapes the matrix.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from learnpath.models.base import pk
from learnpath.services.integration.clients import SCOPES
from tests import factories
from tests.api.conftest import Headers, enroll, program

API_PREFIXES = ("/api/", "/xapi/", "/oauth/")
UNDOCUMENTED: dict[str, str] = {}  # served API paths deliberately left out of the document
NOT_SCOPED = {"/oauth/token": "issues tokens: client credentials, no scope to hold"}
HEADERS = {"X-Experience-API-Version": "1.0.3"}  # required header parameters, by name


@pytest.fixture
def world(catalog: Session) -> dict[str, Any]:
    """A learner enrolled in a program: path values and bodies that succeed, idempotently."""
    learner = factories.learner(catalog, external_id="E1")
    chosen = program(catalog)
    enrollment = enroll(catalog, learner, chosen)
    return {
        "external_id": learner.external_id,
        "enrollment_id": f"enr_{pk(enrollment)}",
        # PUT the profile the learner already has (200), POST the enrollment they hold (200).
        "PUT /api/v1/learners/{external_id}": {"email": learner.email, "name": learner.name},
        "POST /api/v1/enrollments": {
            "learner_external_id": learner.external_id,
            "program_id": f"prg_{pk(chosen)}",
        },
    }


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, METHOD, operation) for every operation that names scopes in its security."""
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters" or path in NOT_SCOPED:
                continue
            assert "security" in operation, f"{method} {path} says nothing about credentials"
            if operation["security"] == []:  # public: checked by test_public_operations_...
                continue
            found.append((path, method.upper(), operation))
    return found


def scopes_for(operation: dict[str, Any], scheme: str) -> set[str] | None:
    """The scopes (roles) that satisfy the operation under one scheme; None if it is not offered."""
    listed = [req[scheme] for req in operation["security"] if scheme in req]
    return set().union(*map(set, listed)) if listed else None


def call(
    client: FlaskClient, path: str, method: str, operation: dict[str, Any], world: dict[str, Any]
) -> Callable[[Headers], Any]:
    """A function sending the operation with the given credentials, path values filled in."""
    url = path.format(**world)
    required = [p for p in operation.get("parameters", []) if p.get("required")]
    headers = {p["name"]: HEADERS[p["name"]] for p in required if p["in"] == "header"}
    body = world[f"{method} {path}"] if "requestBody" in operation else None
    return lambda auth: client.open(url, method=method, json=body, headers={**headers, **auth})


def successes(operation: dict[str, Any]) -> set[int]:
    """The success statuses the document lists for an operation."""
    return {int(code) for code in operation["responses"] if code.startswith("2")}


def test_every_api_route_is_in_the_document(app: Flask, client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").json
    documented = set(document["paths"]) | set(UNDOCUMENTED)
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIXES):
            path = rule.rule.replace("<", "{").replace(">", "}")
            assert path in documented, f"{path} is served but not in the OpenAPI document"
            for method in rule.methods - {"HEAD", "OPTIONS"}:  # type: ignore[operator]
                assert path in UNDOCUMENTED or method.lower() in document["paths"][path], path


def test_each_scope_alone_gets_exactly_what_the_document_promises(
    client: FlaskClient,
    catalog: Session,
    world: dict[str, Any],
    bearer: Callable[..., Headers],
) -> None:
    document = client.get("/api/v1/openapi.json").json
    tokens = {scope: bearer(scope) for scope in SCOPES}
    checked = set()
    for path, method, operation in operations(document):
        send = call(client, path, method, operation, world)
        allowed = scopes_for(operation, "oauth2")
        assert allowed, f"{method} {path} names no OAuth2 scope"
        assert send({}).status_code == 401, f"{method} {path} without credentials"
        for scope, headers in tokens.items():
            ok = successes(operation) if scope in allowed else {403}
            expect(catalog, send, headers, ok, f"{method} {path} with a {scope} token")
            checked.add((path, method, scope))
    assert len(checked) == len(operations(document)) * len(SCOPES) >= 8 * len(SCOPES)


def test_public_operations_need_no_credentials_and_are_the_expected_ones(
    client: FlaskClient,
) -> None:
    document = client.get("/api/v1/openapi.json").json
    public = [
        (path, method.upper())
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method != "parameters" and operation.get("security") == []
    ]
    assert sorted(public) == [("/api/v1/openapi.json", "GET"), ("/xapi/about", "GET")]
    for path, _ in public:
        assert client.get(path).status_code == 200, path


def test_basic_credentials_get_what_the_document_promises(
    client: FlaskClient,
    catalog: Session,
    world: dict[str, Any],
    make_client: Callable[..., tuple[str, str]],
) -> None:
    document = client.get("/api/v1/openapi.json").json
    offered = [(p, m, o) for p, m, o in operations(document) if scopes_for(o, "basic") is not None]
    assert [(p, m) for p, m, _ in offered] == [("/xapi/statements", "GET")]
    for path, method, operation in offered:
        send = call(client, path, method, operation, world)
        roles = scopes_for(operation, "basic") or set(SCOPES)  # no roles: any client will do
        for scope in SCOPES:
            client_id, secret = make_client(scope, name=f"LRS reader {scope}")
            token = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
            ok = successes(operation) if scope in roles else {403}
            expect(catalog, send, {"Authorization": f"Basic {token}"}, ok, f"Basic {scope} client")
        wrong = base64.b64encode(f"{client_id}:not-the-secret".encode()).decode()
        assert send({"Authorization": f"Basic {wrong}"}).status_code == 401


def expect(
    db: Session, send: Callable[[Headers], Any], auth: Headers, statuses: set[int], who: str
) -> None:
    """One request gets one of `statuses`; a refused one changes nothing."""
    before = factories.snapshot(db) if statuses == {403} else None
    response = send(auth)
    assert response.status_code in statuses, f"{who}: {response.status_code} {response.json}"
    if before is not None:
        assert factories.snapshot(db) == before, f"{who} changed the database"
