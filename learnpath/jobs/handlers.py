"""Handlers of the light job kinds: moving learners to a version, re-planning learners."""

from collections.abc import Callable
from typing import Any

from learnpath.models import Job
from learnpath.services.catalog import drafts
from learnpath.services.learning import trajectory, versions

Progress = Callable[[float, str], None]
Session = Any  # a sqlmodel Session (this layer may not import the database libraries)


def move_learners(session: Session, job: Job, progress: Progress) -> dict[str, Any]:
    """Move the learners of the preview the author saw to the job's program version."""
    program = drafts.find(session, job.args["slug"], int(job.args["version"]))
    if program is None:
        raise versions.MoveError(f"{job.args['slug']} v{job.args['version']} no longer exists")
    moved = versions.move_learners(session, program, job.args["fingerprint"], progress=progress)
    return {"moved": len(moved), "program": program.slug, "version": program.version}


def replan_learners(session: Session, job: Job, progress: Progress) -> dict[str, Any]:
    """Re-plan these learners' enrollments in these programs (after a department changed)."""
    learners = [int(i) for i in job.args["learners"]]
    programs = [int(i) for i in job.args["programs"]]
    replanned = trajectory.replan_learners_in(session, learners, programs, progress=progress)
    return {"replanned": replanned, "learners": len(learners)}
