"""The API does what its OpenAPI document says, where fuzzing found the two apart (issue 16).

Schema-valid requests are accepted (or answered 404/409 about the data), schema-violating ones are
refused; the one refusal a schema cannot avoid is a forged cursor: 400 naming `cursor`.
"""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from learnpath.models import Learner, Module
from learnpath.models.base import pk
from learnpath.services.learning import events
from tests.api.conftest import Headers, enroll, learners, program

XAPI = {"X-Experience-API-Version": "1.0.3"}
ANNA = {"email": "anna@example.com", "name": "Anna"}


def test_json_sent_as_text_plain_is_415_and_writes_nothing(
    client: FlaskClient, everything: Headers, db: Session
) -> None:
    response = client.put(
        "/api/v1/learners/E1",
        data='{"email": "anna@example.com", "name": "Anna"}',
        headers={**everything, "Content-Type": "text/plain"},
    )
    assert response.status_code == 415
    assert response.json["error"]["code"] == "unsupported_media_type"
    body = {"learner_external_id": "E1", "program_id": "prg_1"}
    posted = client.post(
        "/api/v1/enrollments", data=str(body), headers={**everything, "Content-Type": "text/plain"}
    )
    assert posted.status_code == 415
    assert db.exec(select(Learner)).all() == []


def test_active_must_be_a_boolean_not_a_number(
    client: FlaskClient, everything: Headers, db: Session
) -> None:
    response = client.put("/api/v1/learners/E1", json={**ANNA, "active": 0}, headers=everything)
    assert response.status_code == 422
    assert [d["field"] for d in response.json["error"]["details"]] == ["active"]
    assert db.exec(select(Learner)).all() == []
    ok = client.put("/api/v1/learners/E1", json={**ANNA, "active": False}, headers=everything)
    assert ok.status_code == 201 and ok.json["active"] is False


def test_every_address_format_email_allows_is_accepted(
    client: FlaskClient, everything: Headers
) -> None:
    for n, email in enumerate(['"a b"@example.com', "u%@host.example", "x@b.test", "y@[10.0.0.1]"]):
        response = client.put(
            f"/api/v1/learners/E{n}", json={**ANNA, "email": email}, headers=everything
        )
        assert response.status_code == 201, (email, response.json)
    for email in ("anna", "a.@b.com", "@b.com", "a b@c.com"):
        response = client.put(
            "/api/v1/learners/X", json={**ANNA, "email": email}, headers=everything
        )
        assert response.status_code == 422, email


def test_a_due_date_must_be_an_rfc_3339_string(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    (learner,) = learners(catalog, 1)
    body = {"learner_external_id": learner.external_id, "program_id": f"prg_{program(catalog).id}"}
    response = client.post("/api/v1/enrollments", json={**body, "due_at": 0}, headers=everything)
    assert response.status_code == 422
    assert [d["field"] for d in response.json["error"]["details"]] == ["due_at"]


def test_a_program_filter_naming_no_possible_row_is_an_empty_page(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    (learner,) = learners(catalog, 1)
    enroll(catalog, learner, program(catalog))
    response = client.get("/api/v1/enrollments?program_id=prg_9999999999", headers=everything)
    assert response.status_code == 200 and response.json["data"] == []
    assert client.get("/api/v1/enrollments?program_id=12", headers=everything).status_code == 422


def test_statement_id_with_other_filters_answers_the_statement(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    (learner,) = learners(catalog, 1)
    enrollment = enroll(catalog, learner, program(catalog))
    done = catalog.exec(select(Module).order_by(col(Module.id))).first()
    assert done is not None
    events.record(
        catalog,
        "completed",
        pk(learner),
        key=("module", pk(enrollment), pk(done)),
        enrollment_id=pk(enrollment),
        module_id=pk(done),
    )
    catalog.commit()
    page = client.get("/xapi/statements", headers={**everything, **XAPI}).json
    statement_id = page["statements"][0]["id"]
    response = client.get(
        f"/xapi/statements?statementId={statement_id}&verb=urn:other&limit=3&ascending=true",
        headers={**everything, **XAPI},
    )
    assert response.status_code == 200
    assert response.json["id"] == statement_id
    bad = client.get("/xapi/statements?statementId=nope", headers={**everything, **XAPI})
    assert bad.status_code == 400


def test_a_forged_xapi_cursor_is_400_naming_it(client: FlaskClient, everything: Headers) -> None:
    response = client.get("/xapi/statements?cursor=forged", headers={**everything, **XAPI})
    assert response.status_code == 400
    assert [d["field"] for d in response.json["error"]["details"]] == ["cursor"]


def test_a_malformed_authorization_header_at_the_token_endpoint_is_401(
    client: FlaskClient,
) -> None:
    response = client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, headers={"Authorization": "x"}
    )
    assert response.status_code == 401
    assert response.json["error"] == "invalid_client"


def test_a_nul_in_an_xapi_agent_is_400_naming_it(client: FlaskClient, everything: Headers) -> None:
    agent = '{"account": {"homePage": "https://learnpath.invalid/", "name": "E\\u0000"}}'
    response = client.get(
        "/xapi/statements", query_string={"agent": agent}, headers={**everything, **XAPI}
    )
    assert response.status_code == 400
    assert [d["field"] for d in response.json["error"]["details"]] == ["agent"]
