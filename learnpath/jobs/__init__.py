"""Background jobs' worker side: the huey queue, the runner task, progress, the worker command.

The web process and the worker both build the queue in `init_app` (huey 3.5: SQLite at
instance/queue.sqlite by default, Redis when LEARNPATH_QUEUE_URL is redis://…; tests set
QUEUE_IMMEDIATE to run jobs in the request). Only the light runner task is registered here;
a job's handler module is imported when the job runs (see learnpath.services.jobs for the API:
``enqueue(session, kind, subject, actor, title="", **args) -> Job``, ``KINDS``, ``JobRunning``).
Handlers report progress through the callable they are given, or with
``report_progress(job_id, fraction, message)`` from here.
"""

from flask import Flask

from learnpath.jobs.runner import report_progress, run_job
from learnpath.services import jobs as records
from learnpath.services.jobs import queue

__all__ = ["init_app", "report_progress", "run_job"]


def init_app(app: Flask) -> None:
    """Build the app's queue, register the runner task and the `worker` command."""
    from pathlib import Path

    from learnpath.jobs.worker import worker_command

    huey = queue.make_huey(
        app.config.get("QUEUE_URL"),
        Path(app.instance_path),
        immediate=bool(app.config.get("QUEUE_IMMEDIATE")),
    )

    def run_in_app(job_id: int) -> None:
        with app.app_context():
            run_job(job_id)

    run_in_app.__name__ = "run_job"
    run_in_app.__module__ = "learnpath.jobs.tasks"
    huey.task()(run_in_app)
    app.extensions["learnpath.huey"] = huey
    queue.install(huey)
    records.install()
    app.cli.add_command(worker_command)
