"""Job records: queued once per kind and subject, run in one transaction, failed when stalled."""

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath import jobs as worker
from learnpath.models import Job, Learner
from learnpath.models.base import pk
from learnpath.services import jobs
from learnpath.services.audit import Actor
from learnpath.vocabulary import utcnow
from tests import factories

ANA = Actor(None, "Ana")


def note(session: Session, job: Job, progress: Any) -> dict[str, Any]:
    """A test handler: reports progress and returns its arguments."""
    progress(0.5, "half way")
    return {"echo": job.args.get("word", "")}


def explode(session: Session, job: Job, progress: Any) -> dict[str, Any]:
    """A test handler: writes a learner, then fails."""
    factories.learner(session, "HALF")
    session.flush()
    raise RuntimeError("the disk is full")


@pytest.fixture(autouse=True)
def test_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    kinds = {**jobs.KINDS, "note": f"{__name__}:note", "explode": f"{__name__}:explode"}
    monkeypatch.setattr(jobs, "KINDS", kinds)


def test_a_job_runs_after_the_commit_and_keeps_its_result(db: Session) -> None:
    job = jobs.enqueue(db, "note", "s1", ANA, word="hello")
    assert job.status == "queued" and job.lock == "note:s1"
    db.commit()  # immediate mode: the worker runs it now
    db.refresh(job)
    assert (job.status, job.result, job.lock, job.actor) == ("done", {"echo": "hello"}, None, "Ana")
    assert job.progress == 1.0 and job.finished_at is not None


def test_nothing_is_sent_when_the_transaction_rolls_back(db: Session) -> None:
    job_id = pk(jobs.enqueue(db, "note", "s1", ANA))
    db.rollback()
    db.commit()
    assert db.get(Job, job_id) is None


def test_a_second_job_on_the_same_subject_is_refused_with_the_running_ones_id(
    db: Session,
) -> None:
    first = jobs.enqueue(db, "note", "s1", ANA)
    with pytest.raises(jobs.JobRunning) as refused:
        jobs.enqueue(db, "note", "s1", ANA)
    assert refused.value.job_id == pk(first)
    other = jobs.enqueue(db, "note", "s2", ANA)  # another subject is fine
    db.commit()
    db.refresh(first)
    db.refresh(other)
    assert first.status == other.status == "done"
    assert jobs.enqueue(db, "note", "s1", ANA).id != first.id  # once done, it may run again


def test_a_failing_job_keeps_none_of_its_work(db: Session) -> None:
    job = jobs.enqueue(db, "explode", "s1", ANA)
    db.commit()
    db.refresh(job)
    assert job.status == "failed" and "RuntimeError: the disk is full" in job.error
    assert job.lock is None
    assert db.exec(select(Learner).where(Learner.external_id == "HALF")).first() is None


def test_an_unknown_kind_is_refused(db: Session) -> None:
    with pytest.raises(ValueError, match="unknown job kind"):
        jobs.enqueue(db, "no-such-kind", "s1", ANA)


def running(db: Session, minutes_silent: int) -> Job:
    start = utcnow() - timedelta(minutes=minutes_silent)
    job = Job(kind="note", subject="s1", status="running", lock="note:s1", actor="Ana")
    job.started_at = job.heartbeat_at = start
    db.add(job)
    db.commit()
    return job


def test_a_silent_running_job_shows_failed_and_frees_its_subject(db: Session) -> None:
    alive, quiet = jobs.STALLED_AFTER - timedelta(minutes=1), jobs.STALLED_AFTER
    job = running(db, int(alive.total_seconds() // 60))
    assert jobs.shown_status(job) == "running"
    assert jobs.shown_status(job, utcnow() + quiet) == "failed"
    job.heartbeat_at = utcnow() - quiet - timedelta(minutes=1)
    db.add(job)
    db.commit()
    again = jobs.enqueue(db, "note", "s1", ANA)
    db.commit()
    db.refresh(job)
    assert job.status == "failed" and job.error.startswith("abandoned")
    db.refresh(again)
    assert again.status == "done"


def test_progress_is_written_for_a_running_job_only(app: Flask, db: Session) -> None:
    job = running(db, 0)
    with app.app_context():
        worker.report_progress(pk(job), 1.7, "nearly")
    db.refresh(job)
    assert (job.progress, job.message) == (1.0, "nearly")
    job.status = "done"
    db.add(job)
    db.commit()
    with app.app_context():
        worker.report_progress(pk(job), 0.2, "late")
    db.refresh(job)
    assert job.message == "nearly"


def test_the_page_of_a_stalled_job_offers_a_retry_that_runs_it_again(
    db: Session, client: FlaskClient, login: Any
) -> None:
    login("author")
    job = running(db, 60)
    page = client.get(f"/studio/jobs/{job.id}").get_data(as_text=True)
    assert "Failed" in page and "Retry" in page and 'http-equiv="refresh"' not in page
    response = client.post(f"/studio/jobs/{job.id}/retry")
    again = db.exec(select(Job).where(Job.retry_of == job.id)).one()
    assert response.headers["Location"] == f"/studio/jobs/{again.id}"
    assert (again.status, again.actor, again.result) == ("done", "Pat", {"echo": ""})
    db.refresh(job)
    assert job.status == "failed"


def test_a_running_job_page_reloads_itself_and_shows_progress(
    db: Session, client: FlaskClient, login: Any
) -> None:
    login("facilitator")
    job = running(db, 0)
    job.progress, job.message = 0.25, "moved 50 learners"
    db.add(job)
    db.commit()
    page = client.get(f"/studio/jobs/{job.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="2">' in page
    assert 'value="0.25"' in page and "25% · moved 50 learners" in page
    assert "Retry" not in page
    assert client.post(f"/studio/jobs/{job.id}/retry").status_code == 403


def test_admins_list_every_job(db: Session, client: FlaskClient, login: Any) -> None:
    login("admin")
    running(db, 0)
    page = client.get("/studio/jobs").get_data(as_text=True)
    assert "note s1" not in page  # no title given: made by hand
    assert "<td>running</td>" in page and "<td>Ana</td>" in page
