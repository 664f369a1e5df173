"""The huey queue jobs travel on: SQLite in the instance folder by default, Redis if configured.

The web process sends messages by task name (`RUN_JOB`); it registers only the light runner
task, and the worker imports each job's handler when the job runs.
"""

from __future__ import annotations

from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey

from learnpath.files import private_sqlite

RUN_JOB = "learnpath.jobs.tasks.run_job"
"""The one huey task: run the `Job` row of this id (learnpath/jobs/tasks.py defines it)."""

_installed: dict[str, Huey] = {}


def make_huey(url: str | None, instance: Path, immediate: bool = False) -> Huey:
    """A huey for `url` (redis://… or sqlite:///path), else SQLite at instance/queue.sqlite."""
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("learnpath", url=url, immediate=immediate, results=False)
    path = url.removeprefix("sqlite:///") if url else str(instance / "queue.sqlite")
    private_sqlite(f"sqlite:///{path}")
    return SqliteHuey("learnpath", filename=path, immediate=immediate, results=False)


def install(huey: Huey) -> None:
    """Make `huey` the queue that `dispatch` sends to (the app factory calls this)."""
    _installed["huey"] = huey


def current() -> Huey:
    """The installed queue."""
    if "huey" not in _installed:
        raise RuntimeError("no job queue installed: create the app first")
    return _installed["huey"]


def dispatch(job_id: int) -> None:
    """Send job `job_id` to the worker (in immediate mode: run it now)."""
    huey = current()
    task_class = huey._registry.string_to_task(RUN_JOB)
    huey.enqueue(task_class(args=(job_id,)))
