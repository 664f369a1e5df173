"""A real huey consumer (`flask --app learnpath worker`) runs a queued job from SQLite storage."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask
from sqlmodel import Session, select

from learnpath.models import Job
from learnpath.models.base import pk
from learnpath.services import jobs
from learnpath.services.audit import Actor
from tests.conftest import ROOT, build_app
from tests.test_version_moves import enroll_v1, version


def worker(database_url: str, queue: Path) -> subprocess.Popen[str]:
    """Start the worker command as `make run` does, in its own process group."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "LEARNPATH_QUEUE_URL": f"sqlite:///{queue}",
        "LEARNPATH_SECRET_KEY": "test",
    }
    command = [sys.executable, "-m", "flask", "--app", "learnpath", "worker"]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def wait_for(db: Session, job: Job, process: subprocess.Popen[str]) -> None:
    """Poll the job until the worker finished it (or the worker died)."""
    for _ in range(600):
        db.refresh(job)
        if job.status in ("done", "failed") or process.poll() is not None:
            return
        time.sleep(0.1)


def test_the_worker_runs_a_queued_move_and_stops_on_ctrl_c(
    database_url: str, catalog: Session, tmp_path: Path
) -> None:
    queue = tmp_path / "queue.sqlite"
    app: Flask = build_app(database_url, QUEUE_IMMEDIATE=False, QUEUE_URL=f"sqlite:///{queue}")
    enrollment = enroll_v1(catalog)
    catalog.commit()
    with app.app_context():
        from learnpath.services.learning import versions

        target = version(catalog, 2)
        seen = versions.preview_move(catalog, target).fingerprint
        job = jobs.enqueue(
            catalog,
            "move-learners",
            "pmf v2",
            Actor(None, "Ana"),
            slug=target.slug,
            version=2,
            fingerprint=seen,
        )
        catalog.commit()
    assert queue.exists()  # the message waits in the SQLite storage
    catalog.refresh(job)
    assert job.status == "queued"
    process = worker(database_url, queue)
    try:
        wait_for(catalog, job, process)
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert (job.status, job.result) == (
        "done",
        {"moved": 1, "program": "project-management-foundations", "version": 2},
    ), output
    catalog.refresh(enrollment)
    assert enrollment.program_id == pk(version(catalog, 2))
    assert catalog.exec(select(Job)).all() == [job]
    app.extensions["learnpath.engine"].dispose()
