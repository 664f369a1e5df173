"""Learner trajectories: plan an enrollment, store its steps, adjust it, finish the program.

The plan is `learnpath.planning.plan` over what the database holds (see planinputs). Every
re-plan rewrites the enrollment's TrajectoryStep rows and keeps their progress (time spent,
start and completion): a row with progress is never deleted. Every re-plan also settles the
enrollment (`settle`). Learner adjustments are rows too, re-applied on every re-plan; with the
profile changes they are the learner's audit log.

Modules: `plans` (plan and store), `steps` (writing steps), `outcome` (finished, passed,
failed), `adjustments` (the learner's changes), `changelog` (their log), `profile` (settings).
"""

from learnpath.services.learning.trajectory.adjustments import adjust, describe, undo
from learnpath.services.learning.trajectory.changelog import LogEntry, log
from learnpath.services.learning.trajectory.outcome import OPEN, finish_program, settle
from learnpath.services.learning.trajectory.plans import (
    Trajectory,
    TrajectoryError,
    checkpoints_due,
    enrollment_of,
    mark_started,
    replan,
    replan_learner,
)
from learnpath.services.learning.trajectory.profile import change_profile

__all__ = [
    "OPEN",
    "LogEntry",
    "Trajectory",
    "TrajectoryError",
    "adjust",
    "change_profile",
    "checkpoints_due",
    "describe",
    "enrollment_of",
    "finish_program",
    "log",
    "mark_started",
    "replan",
    "replan_learner",
    "settle",
    "undo",
]
