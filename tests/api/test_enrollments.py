"""Assigning programs (idempotently) and the programs catalog, over HTTP."""

import json

from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Enrollment, Learner
from tests import factories
from tests.api.conftest import Headers, enroll, program


def test_the_catalog_lists_program_versions_with_competencies_and_minutes(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    response = client.get("/api/v1/programs?limit=1000", headers=everything)
    assert response.status_code == 200
    by_slug = {p["slug"]: p for p in response.json["data"]}
    essentials = by_slug["data-literacy-essentials"]
    assert essentials["id"] == f"prg_{program(catalog).id}"
    assert essentials["depth"] == 1 and essentials["estimated_minutes"] > 0
    assert [c["slug"] for c in essentials["competencies"]] == ["data-literacy"]
    derived = by_slug["data-literacy-for-northwind"]
    assert derived["parent_id"] is not None and derived["parent_id"].startswith("prg_")


def test_assigning_a_program_creates_one_enrollment(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    factories.learner(catalog, external_id="E1")
    catalog.commit()
    body = {"learner_external_id": "E1", "program_id": f"prg_{program(catalog).id}"}
    response = client.post("/api/v1/enrollments", json=body, headers=everything)
    assert response.status_code == 201
    assert response.json["status"] == "assigned" and response.json["id"].startswith("enr_")
    assert response.headers["Location"].endswith(response.json["id"])


def test_assigning_twice_answers_the_same_record_and_creates_nothing(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    factories.learner(catalog, external_id="E1")
    catalog.commit()
    body = {"learner_external_id": "E1", "program_id": f"prg_{program(catalog).id}"}
    first = client.post("/api/v1/enrollments", json=body, headers=everything)
    before = factories.snapshot(catalog)
    again = client.post("/api/v1/enrollments", json=body, headers=everything)
    assert again.status_code == 200 and again.json["id"] == first.json["id"]
    assert factories.snapshot(catalog) == before
    assert len(catalog.exec(select(Enrollment)).all()) == 1


def test_assigning_to_unknown_learner_or_program_gets_404_and_writes_nothing(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    before = factories.snapshot(catalog)
    body = {"learner_external_id": "NOBODY", "program_id": "prg_999999"}
    response = client.post("/api/v1/enrollments", json=body, headers=everything)
    assert response.status_code == 404
    assert response.json["error"]["details"][0]["field"] == "learner_external_id"
    factories.learner(catalog, external_id="E1")
    catalog.commit()
    before = factories.snapshot(catalog)
    body = {"learner_external_id": "E1", "program_id": "prg_999999"}
    response = client.post("/api/v1/enrollments", json=body, headers=everything)
    assert response.status_code == 404
    assert response.json["error"]["details"][0]["field"] == "program_id"
    bad = client.post(
        "/api/v1/enrollments",
        json={"learner_external_id": "E1", "program_id": "12"},
        headers=everything,
    )
    assert bad.status_code == 422 and bad.json["error"]["details"][0]["field"] == "program_id"
    assert factories.snapshot(catalog) == before


def test_a_deactivated_learner_cannot_be_assigned_a_new_program(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    factories.learner(catalog, external_id="E1", active=False)
    catalog.commit()
    body = {"learner_external_id": "E1", "program_id": f"prg_{program(catalog).id}"}
    response = client.post("/api/v1/enrollments", json=body, headers=everything)
    assert response.status_code == 409


def test_listing_filters_by_status_program_and_learner(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    one, two = factories.learner(catalog, "E1"), factories.learner(catalog, "E2")
    essentials, security = program(catalog), program(catalog, "information-security-basics")
    enroll(catalog, one, essentials)
    enroll(catalog, two, essentials, status="completed")
    enroll(catalog, one, security)

    def ids(query: str) -> list[tuple[str, str]]:
        data = client.get(f"/api/v1/enrollments?{query}", headers=everything).json["data"]
        return sorted((r["learner"]["external_id"], r["program"]["slug"]) for r in data)

    assert ids("status=completed") == [("E2", "data-literacy-essentials")]
    assert ids(f"program_id=prg_{security.id}") == [("E1", "information-security-basics")]
    assert len(ids("learner_external_id=E1")) == 2
    bad = client.get("/api/v1/enrollments?status=lost", headers=everything)
    assert bad.status_code == 422 and bad.json["error"]["details"][0]["field"] == "status"


def test_a_learners_progress_holds_their_records_and_levels(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    learner: Learner = factories.learner(catalog, "E1")
    enroll(catalog, learner, program(catalog))
    body = client.get("/api/v1/learners/E1/progress", headers=everything).json
    assert body["learner"]["external_id"] == "E1"
    assert [r["program"]["slug"] for r in body["enrollments"]] == ["data-literacy-essentials"]
    assert body["levels"] == []


def test_a_page_of_records_is_written_as_json_dumps_writes_it(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    """Records are encoded one by one (speed); the page is still one compact JSON document."""
    learner = factories.learner(catalog, external_id="E1", role="analyst")
    enroll(catalog, learner, program(catalog))
    enroll(catalog, learner, program(catalog, "team-lead-path"))
    catalog.commit()
    for query in ("limit=1", "limit=2"):
        response = client.get(f"/api/v1/enrollments?{query}", headers=everything)
        compact = json.dumps(response.json, separators=(",", ":"), ensure_ascii=False)
        assert response.get_data(as_text=True) == compact
        assert len(response.json["data"]) == int(query[-1])
