"""Background jobs: queue work by kind and subject, follow its progress, keep its result.

The API (no flask here; the caller owns the transaction and commits once):

- ``enqueue(session, kind, subject, actor, title="", **args) -> Job`` records a queued job and
  sends it to the worker once the session commits (nothing is sent if it rolls back). A second
  job of the same kind on the same subject while one is queued or running raises
  ``JobRunning`` (its ``job_id`` names the running one). ``kind`` must be in ``KINDS``.
- ``KINDS`` maps a kind to its handler, "module:function", imported by the worker only when a
  job of that kind runs (so heavy libraries never load in the web process). A handler is
  ``handler(session, job, progress) -> dict``: it does the job's whole work in `session` (one
  transaction, committed with status "done"), calls ``progress(fraction, message)`` as it goes,
  and returns a JSON summary kept as the job's result. Raising marks the job failed.
- ``learnpath.jobs.report_progress(job_id, fraction, message)`` writes progress from a worker.
- ``shown_status(job)`` is "failed" for a running job silent longer than ``STALLED_AFTER``;
  ``retry(session, job, actor)`` queues a failed or stalled job again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event
from sqlmodel import Session, col, select

from learnpath.models import Job
from learnpath.models.base import pk
from learnpath.services.audit import Actor
from learnpath.services.jobs import queue
from learnpath.vocabulary import utcnow

KINDS: dict[str, str] = {
    "move-learners": "learnpath.jobs.handlers:move_learners",
    "replan-learners": "learnpath.jobs.handlers:replan_learners",
    "calibrate": "learnpath.jobs.calibration:calibrate_competency",
}
STALLED_AFTER = timedelta(minutes=10)
"""A running job that reported nothing for this long is shown failed (its worker stopped)."""
ABANDONED = "abandoned: no progress for {minutes} minutes (the worker stopped?); retry it"
_PENDING = "learnpath.jobs.pending"


class JobRunning(RuntimeError):
    """A job of this kind on this subject is already queued or running."""

    def __init__(self, job_id: int) -> None:
        super().__init__(f"job {job_id} is already running on this; wait for it or follow it")
        self.job_id = job_id


def lock_of(kind: str, subject: str) -> str:
    """The lock an active job of `kind` on `subject` holds."""
    return f"{kind}:{subject}"


def stalled(job: Job, now: datetime | None = None) -> bool:
    """Whether a running job has been silent longer than STALLED_AFTER."""
    last = job.heartbeat_at or job.started_at
    return job.status == "running" and last is not None and (now or utcnow()) - last > STALLED_AFTER


def shown_status(job: Job, now: datetime | None = None) -> str:
    """The status users see: a stalled running job is failed."""
    return "failed" if stalled(job, now) else job.status


def enqueue(
    session: Session, kind: str, subject: str, actor: Actor, title: str = "", **args: Any
) -> Job:
    """Record a queued job and send it to the worker when `session` commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    active = running(session, kind, subject)
    if active is not None:
        if not stalled(active):
            raise JobRunning(pk(active))
        fail(session, active, ABANDONED.format(minutes=int(STALLED_AFTER.total_seconds() // 60)))
        session.flush()
    job = Job(
        kind=kind,
        subject=subject,
        title=title or f"{kind} {subject}",
        args=args,
        actor_id=actor.user_id,
        actor=actor.name,
        lock=lock_of(kind, subject),
    )
    session.add(job)
    session.flush()
    session.info.setdefault(_PENDING, []).append(pk(job))
    return job


def retry(session: Session, job: Job, actor: Actor) -> Job:
    """Queue a failed (or stalled) job again with the same kind, subject and arguments."""
    if shown_status(job) != "failed":
        raise ValueError(f"job {pk(job)} is {job.status}: only a failed job can be retried")
    if job.status == "running":
        fail(session, job, ABANDONED.format(minutes=int(STALLED_AFTER.total_seconds() // 60)))
        session.flush()
    again = enqueue(session, job.kind, job.subject, actor, job.title, **job.args)
    again.retry_of = pk(job)
    session.add(again)
    return again


def start(session: Session, job: Job) -> None:
    """The worker took the job."""
    job.status, job.started_at = "running", utcnow()
    job.heartbeat_at, job.message = job.started_at, "started"
    session.add(job)


def note_progress(session: Session, job: Job, fraction: float, message: str) -> None:
    """Record how far the job is (0–1) and what it is doing."""
    job.progress = min(1.0, max(0.0, fraction))
    job.message, job.heartbeat_at = message[:300], utcnow()
    session.add(job)


def finish(session: Session, job: Job, result: dict[str, Any]) -> None:
    """The job's work is done (committed in the same transaction as this)."""
    job.status, job.progress, job.result = "done", 1.0, result
    job.lock, job.finished_at, job.message = None, utcnow(), "done"
    session.add(job)


def fail(session: Session, job: Job, error: str) -> None:
    """The job failed; nothing of its work was kept."""
    job.status, job.error, job.lock, job.finished_at = "failed", error, None, utcnow()
    session.add(job)


def running(session: Session, kind: str, subject: str) -> Job | None:
    """The queued or running job of `kind` on `subject`, if any (it holds the lock)."""
    return session.exec(select(Job).where(Job.lock == lock_of(kind, subject))).first()


def get(session: Session, job_id: int) -> Job | None:
    """The job of this id."""
    return session.get(Job, job_id)


def recent(session: Session, limit: int = 200) -> list[Job]:
    """The newest jobs first."""
    return list(session.exec(select(Job).order_by(col(Job.id).desc()).limit(limit)).all())


def _send_pending(session: Session) -> None:
    for job_id in session.info.pop(_PENDING, []):
        queue.dispatch(job_id)


def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def install() -> None:
    """Send queued jobs after their session commits; forget them on rollback (once)."""
    if not event.contains(Session, "after_commit", _send_pending):
        event.listen(Session, "after_commit", _send_pending)
        event.listen(Session, "after_rollback", _drop_pending)
