"""Listing enrollments by status, and looking one up by an id that names none."""

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.api.conftest import Headers, enroll, learners, program

STATUSES = ["assigned", "in_progress", "completed", "withdrawn"]


@pytest.fixture
def one_of_each(catalog: Session) -> dict[str, str]:
    """An enrollment in each status, by status: their public ids."""
    people = learners(catalog, len(STATUSES))
    return {
        status: f"enr_{enroll(catalog, person, program(catalog), status=status).id}"
        for status, person in zip(STATUSES, people, strict=True)
    }


@pytest.mark.parametrize("status", STATUSES)
def test_every_documented_status_filters_the_records(
    client: FlaskClient, everything: Headers, one_of_each: dict[str, str], status: str
) -> None:
    response = client.get(f"/api/v1/enrollments?status={status}", headers=everything)
    assert response.status_code == 200
    assert [r["id"] for r in response.json["data"]] == [one_of_each[status]]


def test_an_unknown_status_is_a_422_naming_the_field(
    client: FlaskClient, everything: Headers
) -> None:
    response = client.get("/api/v1/enrollments?status=paused", headers=everything)
    assert response.status_code == 422
    assert response.json["error"]["details"][0]["field"] == "status"


@pytest.mark.parametrize("enrollment_id", ["enr_999999", "prg_1", "999"])
def test_an_id_that_names_no_enrollment_is_a_404(
    client: FlaskClient, everything: Headers, catalog: Session, enrollment_id: str
) -> None:
    response = client.get(f"/api/v1/enrollments/{enrollment_id}", headers=everything)
    assert response.status_code == 404
    assert enrollment_id in response.json["error"]["message"]
