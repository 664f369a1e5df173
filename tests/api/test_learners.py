"""Learners by external id: upsert, deactivation that keeps records, 422 that writes nothing."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Learner, LoginToken, User
from learnpath.services.accounts import logins
from learnpath.services.integration import learners as api_learners
from learnpath.vocabulary import utcnow
from tests import factories
from tests.api.conftest import Headers, enrolled_user

ANNA = {
    "email": "Anna@Example.com",
    "name": "Anna Berg",
    "role": "analyst",
    "department": "Finance",
}


def test_putting_a_new_learner_creates_it(
    client: FlaskClient, everything: Headers, db: Session
) -> None:
    response = client.put("/api/v1/learners/E1001", json=ANNA, headers=everything)
    assert response.status_code == 201
    assert response.json["external_id"] == "E1001"
    assert response.json["email"] == "anna@example.com"
    assert db.exec(select(Learner).where(Learner.external_id == "E1001")).one().role == "analyst"


def test_putting_it_again_updates_the_same_learner(
    client: FlaskClient, everything: Headers, db: Session
) -> None:
    client.put("/api/v1/learners/E1001", json=ANNA, headers=everything)
    response = client.put(
        "/api/v1/learners/E1001", json={**ANNA, "role": "team-lead"}, headers=everything
    )
    assert response.status_code == 200
    assert [lr.role for lr in db.exec(select(Learner)).all()] == ["team-lead"]


def test_a_manager_is_named_by_external_id(client: FlaskClient, everything: Headers) -> None:
    client.put(
        "/api/v1/learners/M1", json={"email": "m@example.com", "name": "M"}, headers=everything
    )
    response = client.put(
        "/api/v1/learners/E1", json={**ANNA, "manager_external_id": "M1"}, headers=everything
    )
    assert response.json["manager_external_id"] == "M1"


def test_deactivating_keeps_the_learner_and_their_records_and_disables_login(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    user, learner = enrolled_user(catalog)
    logins.issue(catalog, user, utcnow() + timedelta(days=1))  # a remembered login
    catalog.commit()
    body = {"email": learner.email, "name": learner.name, "active": False}
    response = client.put(f"/api/v1/learners/{learner.external_id}", json=body, headers=everything)
    assert response.status_code == 200 and response.json["active"] is False
    records = client.get("/api/v1/enrollments", headers=everything).json["data"]
    assert [r["status"] for r in records] == ["withdrawn"]
    catalog.expire_all()
    row = catalog.get(User, user.id)
    assert row is not None and row.active is False
    assert row.session_version == 1  # its session cookies stop working
    assert catalog.exec(select(LoginToken.revoked_at)).one() is not None


def test_bad_fields_get_422_with_details_and_nothing_is_written(
    client: FlaskClient, everything: Headers, db: Session
) -> None:
    before = factories.snapshot(db)
    body = {"email": "not-an-email", "name": "", "interests": "data", "shoe_size": 44}
    response = client.put("/api/v1/learners/E1", json=body, headers=everything)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "validation_error"
    assert {d["field"] for d in error["details"]} == {"email", "name", "interests", "shoe_size"}
    assert factories.snapshot(db) == before


def test_an_unknown_manager_is_pending_until_they_arrive(
    client: FlaskClient, everything: Headers, db: Session
) -> None:
    body = {**ANNA, "manager_external_id": "BOSS"}
    response = client.put("/api/v1/learners/E1", json=body, headers=everything)
    assert response.status_code == 201
    assert response.json["manager_external_id"] == "BOSS"
    assert response.json["manager_pending"] is True
    anna = db.exec(select(Learner).where(Learner.external_id == "E1")).one()
    assert (anna.manager_id, anna.pending_manager_external_id) == (None, "BOSS")
    boss = {**ANNA, "email": "boss@example.com"}
    assert client.put("/api/v1/learners/BOSS", json=boss, headers=everything).status_code == 201
    record = client.get("/api/v1/learners/E1", headers=everything).json
    assert (record["manager_external_id"], record["manager_pending"]) == ("BOSS", False)
    db.expire_all()
    anna = db.exec(select(Learner).where(Learner.external_id == "E1")).one()
    boss_row = db.exec(select(Learner).where(Learner.external_id == "BOSS")).one()
    assert (anna.manager_id, anna.pending_manager_external_id) == (boss_row.id, None)


def test_a_pending_manager_that_would_close_a_loop_is_409(
    client: FlaskClient, everything: Headers, db: Session
) -> None:
    assert _put(client, everything, "A", "B").status_code == 201  # B pending
    before = factories.snapshot(db)
    response = _put(client, everything, "B", "A")  # B arrives reporting to A: A -> B -> A
    assert response.status_code == 409
    assert [d["field"] for d in response.json["error"]["details"]] == ["manager_external_id"]
    assert factories.snapshot(db) == before


def test_a_body_that_is_not_json_gets_400(client: FlaskClient, everything: Headers) -> None:
    response = client.put(
        "/api/v1/learners/E1",
        data="{nope",
        headers={**everything, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"


def test_an_unknown_learner_is_a_json_404(client: FlaskClient, everything: Headers) -> None:
    response = client.get("/api/v1/learners/NOBODY", headers=everything)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_a_learner_reads_back_as_written(client: FlaskClient, everything: Headers) -> None:
    client.put("/api/v1/learners/E1", json={**ANNA, "interests": ["excel"]}, headers=everything)
    body = client.get("/api/v1/learners/E1", headers=everything).json
    assert body["interests"] == ["excel"] and body["department"] == "Finance"
    assert body["updated_at"].endswith("Z")


def test_progress_names_only_who_the_learner_is_without_learners_read(
    client: FlaskClient, everything: Headers, bearer: Callable[..., Headers]
) -> None:
    client.put("/api/v1/learners/E1", json={**ANNA, "interests": ["excel"]}, headers=everything)
    narrow = client.get("/api/v1/learners/E1/progress", headers=bearer("enrollments:read"))
    assert narrow.status_code == 200
    assert narrow.json["learner"] == {"external_id": "E1", "email": "anna@example.com"}
    both = bearer("enrollments:read", "learners:read")
    full = client.get("/api/v1/learners/E1/progress", headers=both).json["learner"]
    assert full["department"] == "Finance" and full["interests"] == ["excel"]
    assert full["name"] == "Anna Berg" and full["role"] == "analyst"


def test_a_learner_created_by_a_concurrent_put_is_updated_not_a_500(
    client: FlaskClient, everything: Headers, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.learner(db, external_id="E1", name="First Writer")
    db.commit()
    real, calls = api_learners.by_external_id, []

    def not_yet_seen(session: Session, external_id: str) -> Learner | None:
        calls.append(external_id)  # the first look-up ran before the other request committed
        return None if len(calls) == 1 else real(session, external_id)

    monkeypatch.setattr(api_learners, "by_external_id", not_yet_seen)
    response = client.put("/api/v1/learners/E1", json=ANNA, headers=everything)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["name"] == "Anna Berg"
    db.expire_all()
    rows = db.exec(select(Learner).where(Learner.external_id == "E1")).all()
    assert [(lr.name, lr.department) for lr in rows] == [("Anna Berg", "Finance")]


def _put(client: FlaskClient, headers: Headers, who: str, manager: str | None):  # type: ignore[no-untyped-def]
    body = {"email": f"{who.lower()}@example.com", "name": who, "manager_external_id": manager}
    return client.put(f"/api/v1/learners/{who}", json=body, headers=headers)


def test_a_manager_chain_that_loops_back_gets_409_and_nothing_is_written(
    client: FlaskClient, everything: Headers, db: Session
) -> None:
    assert _put(client, everything, "A", None).status_code == 201
    assert _put(client, everything, "B", "A").status_code == 201
    assert _put(client, everything, "C", "B").status_code == 201
    before = factories.snapshot(db)
    for who, manager in (("A", "B"), ("A", "C"), ("A", "A"), ("B", "C")):
        response = _put(client, everything, who, manager)
        assert response.status_code == 409, (who, manager)
        assert [d["field"] for d in response.json["error"]["details"]] == ["manager_external_id"]
    assert factories.snapshot(db) == before
    assert _put(client, everything, "C", "A").json["manager_external_id"] == "A"
