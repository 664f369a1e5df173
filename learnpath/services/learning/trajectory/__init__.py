"""Learner trajectories: plan an enrollment, store its steps, adjust it, finish the program.

The plan is `learnpath.planning.plan` over what the database holds (see planinputs). Pages
compute it on read (`view`) and write nothing. It is stored by `replan` on every event that
changes what it reads: a quiz finished or closed idle, an adjustment or its undo, a module
started or completed, a profile saved (by the learner or the HR API), an enrollment created, a
catalog import (`replan_all`). Stored steps are what the HR API counts; their planned dates are
those of the last event, while pages date the plan from today. Every re-plan rewrites the
enrollment's TrajectoryStep rows and keeps their progress (time spent, start and completion): a
row with progress is never deleted; and settles the enrollment (`settle`): finishing a program
is a write, so it happens at the event, never on a page. Learner adjustments are rows too,
re-applied on every re-plan; with the profile changes they are the learner's audit log.

Modules: `plans` (plan and store), `steps` (writing steps), `outcome` (finished, passed,
failed), `adjustments` (the learner's changes), `changelog` (their log), `profile` (settings).
"""

from learnpath.services.learning.trajectory.adjustments import adjust, describe, undo
from learnpath.services.learning.trajectory.changelog import LogEntry, log
from learnpath.services.learning.trajectory.outcome import OPEN, finish_program, settle
from learnpath.services.learning.trajectory.plans import (
    LearnerChange,
    Trajectory,
    TrajectoryError,
    checkpoints_due,
    enrollment_of,
    mark_started,
    replan,
    replan_all,
    replan_learner,
    replan_learners_in,
    replan_using_module,
    view,
)
from learnpath.services.learning.trajectory.profile import change_profile
from learnpath.services.learning.trajectory.steps import ShownStep

__all__ = [
    "OPEN",
    "LearnerChange",
    "LogEntry",
    "ShownStep",
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
    "replan_all",
    "replan_learner",
    "replan_learners_in",
    "replan_using_module",
    "settle",
    "undo",
    "view",
]
