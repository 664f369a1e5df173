"""Moving learners to a new version: in the request up to a threshold, as a job above it."""

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Enrollment, Job
from learnpath.models.base import pk
from learnpath.services.learning import versions
from tests.test_version_moves import enroll_v1, version

URL = "/studio/programs/project-management-foundations/v2/move-learners"


def fingerprint(client: FlaskClient) -> str:
    page = client.get(URL).get_data(as_text=True)
    return page.split('name="fingerprint" type="hidden" value="', 1)[1].split('"', 1)[0]


def test_a_small_move_runs_in_the_request(
    catalog: Session, client: FlaskClient, login: Any
) -> None:
    login("author")
    enrollment = enroll_v1(catalog)
    catalog.commit()
    response = client.post(URL, data={"fingerprint": fingerprint(client)})
    assert response.headers["Location"] == "/studio/programs/project-management-foundations/v2"
    catalog.refresh(enrollment)
    assert enrollment.program_id == pk(version(catalog, 2))
    assert catalog.exec(select(Job)).all() == []


def test_a_large_move_runs_as_a_job_with_its_page(
    catalog: Session, client: FlaskClient, login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(versions, "IN_REQUEST_UP_TO", 1)
    login("author")
    enrollments = [enroll_v1(catalog, "E1"), enroll_v1(catalog, "E2")]
    catalog.commit()
    response = client.post(URL, data={"fingerprint": fingerprint(client)})
    job = catalog.exec(select(Job)).one()
    assert response.headers["Location"] == f"/studio/jobs/{job.id}"
    assert (job.kind, job.subject, job.status) == (
        "move-learners",
        "project-management-foundations v2",
        "done",
    )
    assert job.result == {"moved": 2, "program": "project-management-foundations", "version": 2}
    for enrollment in enrollments:
        catalog.refresh(enrollment)
        assert enrollment.program_id == pk(version(catalog, 2))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Move learners to project-management-foundations v2" in page and "moved" in page


def test_a_stale_preview_fails_the_job_and_moves_nobody(
    catalog: Session, client: FlaskClient, login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(versions, "IN_REQUEST_UP_TO", 0)
    login("author")
    enrollment = enroll_v1(catalog)
    catalog.commit()
    client.post(URL, data={"fingerprint": "0000"})
    job = catalog.exec(select(Job)).one()
    assert job.status == "failed" and "review it again" in job.error
    catalog.refresh(enrollment)
    assert enrollment.program_id == pk(version(catalog, 1))


def test_a_second_move_while_one_runs_is_refused_with_its_id(
    catalog: Session, client: FlaskClient, login: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(versions, "IN_REQUEST_UP_TO", 0)
    login("author")
    enrollment = enroll_v1(catalog)
    running = Job(
        kind="move-learners",
        subject="project-management-foundations v2",
        status="running",
        lock="move-learners:project-management-foundations v2",
    )
    catalog.add(running)
    catalog.commit()
    response = client.post(URL, data={"fingerprint": fingerprint(client)})
    assert response.headers["Location"] == f"/studio/jobs/{running.id}"
    assert len(catalog.exec(select(Job)).all()) == 1
    catalog.refresh(enrollment)
    assert isinstance(enrollment, Enrollment) and enrollment.program_id == pk(version(catalog, 1))
