"""Running one job: mark it running, do its work in one transaction, record done or failed."""

import importlib
import logging
from collections.abc import Callable
from typing import Any

from learnpath import db
from learnpath.models import Job
from learnpath.services import jobs
from learnpath.services.audit import Actor

log = logging.getLogger(__name__)

Handler = Callable[..., dict[str, Any]]


def load(kind: str) -> Handler:
    """Import the handler of `kind` (heavy modules load here, in the worker only)."""
    module, _, name = jobs.KINDS[kind].partition(":")
    handler: Handler = getattr(importlib.import_module(module), name)
    return handler


def report_progress(job_id: int, fraction: float, message: str) -> None:
    """Record progress in a short transaction of its own; skipped if the database is busy.

    On SQLite the job's own transaction may hold the write lock: progress then waits for a
    later report rather than for the lock (it is advice, not the job's result).
    """
    try:
        with db.quick_transaction() as session:
            job = session.get(Job, job_id)
            if job is not None and job.status == "running":
                jobs.note_progress(session, job, fraction, message)
    except db.Busy:
        log.info("job %s: progress skipped, database busy", job_id)


def run_job(job_id: int) -> None:
    """Run the queued job `job_id` (a job already taken, done or failed is left alone)."""
    with db.transaction() as session:
        job = session.get(Job, job_id)
        if job is None or job.status != "queued":
            return
        jobs.start(session, job)
        actor = Actor(job.actor_id, job.actor or "job", origin=f"job {job_id}")
        kind = job.kind
    try:
        handler = load(kind)
        with db.transaction(actor) as session:
            job = session.get(Job, job_id)
            assert job is not None
            result = handler(session, job, lambda f, m: report_progress(job_id, f, m))
            job = session.get(Job, job_id)  # progress was written meanwhile
            assert job is not None
            session.refresh(job)
            jobs.finish(session, job, result)
    except Exception as error:
        log.exception("job %s failed", job_id)
        with db.transaction() as session:
            job = session.get(Job, job_id)
            if job is not None:
                jobs.fail(session, job, f"{type(error).__name__}: {error}"[:2000])
