"""Putting a learner unchanged writes nothing; learners are found by e-mail in any case."""

from flask.testing import FlaskClient
from sqlmodel import Session

from learnpath.services.integration import learners
from tests import factories
from tests.api.conftest import Headers, enroll, program

ANNA = {"email": "Anna@Example.com", "name": "Anna Berg", "role": "analyst"}


def test_putting_a_learner_unchanged_answers_200_and_writes_nothing(
    client: FlaskClient, everything: Headers, catalog: Session
) -> None:
    assert client.put("/api/v1/learners/E1", json=ANNA, headers=everything).status_code == 201
    learner = learners.by_external_id(catalog, "E1")
    assert learner is not None
    enroll(catalog, learner, program(catalog))
    before = factories.snapshot(catalog)

    again = client.put("/api/v1/learners/E1", json=ANNA, headers=everything)

    assert again.status_code == 200
    assert factories.snapshot(catalog) == before  # no new stamp on the learner or enrollments


def test_a_learner_is_found_by_email_in_any_case(db: Session) -> None:
    factories.learner(db, "E1", email="anna@example.com")
    factories.learner(db, "E2", email="bo@example.com")
    db.commit()
    assert learners.external_id_by_email(db, "Anna@Example.COM") == "E1"
    assert learners.external_id_by_email(db, "bo@example.com") == "E2"
    assert learners.external_id_by_email(db, "nobody@example.com") is None
