"""A withdrawn enrollment in the HR API: its record says so, and assigning again continues it."""

from flask.testing import FlaskClient
from sqlmodel import Session

from learnpath.models import Learner
from learnpath.services.learning import enrolment
from tests.api.conftest import Headers
from tests.assignment.test_enrolment_service import started, steps_of


def test_the_hr_record_shows_withdrawn_and_assigning_again_continues(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    enrollment, progress = started(catalog)
    enrolment.withdraw(catalog, enrollment)
    catalog.commit()
    learner = catalog.get(Learner, enrollment.learner_id)
    assert learner is not None
    record = client.get(
        f"/api/v1/enrollments?learner_external_id={learner.external_id}", headers=everything
    ).json["data"][0]
    assert record["status"] == "withdrawn" and record["modules"]["completed"] == 1
    assert client.get("/api/v1/enrollments?status=withdrawn", headers=everything).json["data"]
    body = {"learner_external_id": learner.external_id, "program_id": record["program"]["id"]}
    again = client.post("/api/v1/enrollments", json=body, headers=everything)
    assert again.status_code == 200 and again.json["id"] == record["id"]
    assert again.json["status"] == "in_progress" and again.json["modules"]["completed"] == 1
    catalog.expire_all()
    assert steps_of(catalog, enrollment) == progress
