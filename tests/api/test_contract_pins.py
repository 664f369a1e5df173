"""Promises made to integrators, pinned by literal values: they hold across refactors or break.

- Statement ids: an LRS keys what it stored on them, so the id of a given event never changes.
- `updated_since` (and xAPI `since`) is exclusive: a poller passing the last stamp it saw gets
  only later changes, never that record again.
- Reactivating a learner gives back their login and their enrollments as they were.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Competency, Module
from learnpath.services.accounts.users import create_user
from tests import factories
from tests.api.conftest import Headers, enroll, enrolled_user, learners, program

XAPI = {"X-Experience-API-Version": "1.0.3"}
# Learner 7 completed the program of enrollment 3: the xAPI statement id sent for it, forever.
PROGRAM_COMPLETED = "419dfe9c-f0a4-545c-9e4b-5f47a5715362"
# Ids of events are UUIDv5 in this namespace of "verb:learner:what" (API.md, xAPI).
NAMESPACE = uuid.UUID("5b0c1f6e-2f7d-4c53-9a55-6c1f1f0d7a11")


def sign_in(client: FlaskClient, email: str) -> int:
    """Log in; the status (302 when the login worked)."""
    data = {"email": email, "password": factories.PASSWORD}
    return client.post("/auth/login", data=data).status_code


def test_a_completed_program_has_the_statement_id_it_always_had(
    client: FlaskClient, catalog: Session, everything: Headers
) -> None:
    learner = factories.learner(catalog, external_id="E7", id=7)
    create_user(catalog, learner.email, learner.name, factories.PASSWORD, ["learner"], learner)
    enrollment = enroll(catalog, learner, program(catalog), id=3)
    assert sign_in(client, learner.email) == 302
    page = client.get("/path/3").get_data(as_text=True)
    slugs = re.findall(r'/modules/([\w-]+)"><strong>', page)
    for slug in slugs:  # in the order of the trajectory, so none is locked
        client.post(f"/path/3/modules/{slug}/complete", data={"minutes": "20"})
    catalog.refresh(enrollment)
    assert enrollment.status == "completed"
    found = client.get(
        f"/xapi/statements?statementId={PROGRAM_COMPLETED}", headers={**everything, **XAPI}
    )
    assert found.status_code == 200, found.json
    assert found.json["verb"]["id"].endswith("/completed")
    assert found.json["object"]["id"] == "urn:learnpath:program:data-literacy-essentials:v1"
    # Each module's completion too: the id is the UUIDv5 of its facts, in the same namespace.
    module = catalog.exec(select(Module).where(Module.slug == slugs[0])).one()
    name = f"completed:7:module:3:{module.id}"
    one = client.get(
        f"/xapi/statements?statementId={uuid.uuid5(NAMESPACE, name)}",
        headers={**everything, **XAPI},
    )
    assert one.status_code == 200 and one.json["object"]["id"].endswith(f":module:{slugs[0]}")


def minus_a_microsecond(stamp: str) -> str:
    """An API time one microsecond earlier, written the same way."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")) - timedelta(microseconds=1)
    return moment.isoformat().replace("+00:00", "Z")


def test_updated_since_is_exclusive_at_the_exact_stamp(
    client: FlaskClient, catalog: Session, everything: Headers
) -> None:
    [learner] = learners(catalog, 1)
    enroll(catalog, learner, program(catalog))
    for listing in ("/api/v1/enrollments", "/api/v1/learners"):
        [record] = client.get(listing, headers=everything).json["data"]
        stamp = record["updated_at"]
        at = client.get(listing, query_string={"updated_since": stamp}, headers=everything)
        assert at.status_code == 200 and at.json["data"] == [], f"{listing} at {stamp}"
        earlier = {"updated_since": minus_a_microsecond(stamp)}
        before = client.get(listing, query_string=earlier, headers=everything).json["data"]
        assert before == [record], f"{listing} just before {stamp}"


def test_xapi_since_is_exclusive_at_the_exact_stored_time(
    client: FlaskClient, catalog: Session, everything: Headers
) -> None:
    factories.user(catalog, email="e1@example.com")
    catalog.commit()
    assert sign_in(client, "e1@example.com") == 302
    slug = catalog.exec(select(Competency.slug)).first()
    assert client.post("/quizzes", data={"kind": "check", "competency": slug}).status_code == 302
    headers = {**everything, **XAPI}
    [statement] = client.get("/xapi/statements", headers=headers).json["statements"]
    stamp = statement["stored"]
    at = client.get("/xapi/statements", query_string={"since": stamp}, headers=headers)
    assert at.status_code == 200 and at.json["statements"] == [], stamp
    earlier = {"since": minus_a_microsecond(stamp)}
    before = client.get("/xapi/statements", query_string=earlier, headers=headers)
    assert [s["id"] for s in before.json["statements"]] == [statement["id"]]


def enrollment_records(client: FlaskClient, headers: Headers) -> list[tuple[str, str, str]]:
    """Every enrollment record as (id, program, status)."""
    data = client.get("/api/v1/enrollments", headers=headers).json["data"]
    return [(r["id"], r["program"]["slug"], r["status"]) for r in data]


def test_reactivating_a_learner_gives_back_their_login_and_enrollments(
    client: FlaskClient, catalog: Session, everything: Headers
) -> None:
    _, learner = enrolled_user(catalog)
    assert sign_in(client, learner.email) == 302
    assert client.get("/path").status_code == 200
    kept = enrollment_records(client, everything)
    assert [status for _, _, status in kept] == ["assigned"]
    url, body = f"/api/v1/learners/{learner.external_id}", {"email": learner.email, "name": "E"}
    off = client.put(url, json={**body, "active": False}, headers=everything)
    assert off.status_code == 200 and off.json["active"] is False
    assert client.get("/path").status_code == 302, "a deactivated learner's session still works"
    assert sign_in(client, learner.email) == 200, "a deactivated learner could log in"
    assert [status for _, _, status in enrollment_records(client, everything)] == ["withdrawn"]
    on = client.put(url, json={**body, "active": True}, headers=everything)
    assert on.status_code == 200 and on.json["active"] is True
    assert sign_in(client, learner.email) == 302, "the reactivated learner cannot log in"
    assert "Data Literacy Essentials" in client.get("/path").get_data(as_text=True)
    assert enrollment_records(client, everything) == kept
