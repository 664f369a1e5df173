"""Planning an enrollment: the plan over what is stored, its steps written, progress kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cached_property
from typing import Generic, TypeVar

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from learnpath import planning
from learnpath.models import (
    Competency,
    CompetencyLevel,
    Enrollment,
    Module,
    Program,
    ProgramModule,
    TrajectoryStep,
)
from learnpath.services.learning.planinputs import plan_input
from learnpath.services.learning.trajectory.outcome import OPEN, settle
from learnpath.services.learning.trajectory.steps import (
    ShownStep,
    lay_out,
    shown,
    store,
    stored_steps,
)
from learnpath.vocabulary import aware, utcnow


class TrajectoryError(ValueError):
    """A request on a trajectory that cannot be done (the message says why)."""


S = TypeVar("S", TrajectoryStep, ShownStep)


@dataclass(frozen=True)
class Trajectory(Generic[S]):
    """A computed plan with its steps and the modules they refer to.

    Steps are the stored rows after `replan` (a write may change them), light unsaved copies
    after `view` (for pages).
    """

    enrollment: Enrollment
    plan: planning.Plan
    steps: list[S]
    modules: dict[int, Module]

    def module(self, step: S) -> Module:
        """The module of a step."""
        return self.modules[step.module_id]

    def step_of(self, module: Module) -> S | None:
        """The step of a module, if the module is in this trajectory."""
        return next((s for s in self.steps if s.module_id == module.id), None)

    def blockers(self, step: S) -> list[Module]:
        """What a planned step waits for: per prerequisite, the format taken, while planned."""
        if step.status != "planned":
            return []
        return [self._by_slug[m] for m in self.plan.blocked_by.get(self.module(step).slug, ())]

    @cached_property
    def _by_slug(self) -> dict[str, Module]:
        return {m.slug: m for m in self.modules.values()}


def replan(
    session: Session, enrollment: Enrollment, today: date | None = None
) -> Trajectory[TrajectoryStep]:
    """Plan the enrollment from what is stored now, write its steps (progress is kept), settle.

    For requests that write (POST, CLI), on every event that changes what the plan reads.
    """
    inp, result, modules = _plan(session, enrollment, today)
    steps = store(session, enrollment, result, modules)
    settle(session, enrollment, inp, result)
    return Trajectory(enrollment, result, steps, modules)


LearnerChange = Callable[[planning.Learner], planning.Learner]
"""What a pending write would change in the planner's learner (idle.as_closed)."""


def view(
    session: Session,
    enrollment: Enrollment,
    today: date | None = None,
    pending: LearnerChange | None = None,
) -> Trajectory[ShownStep]:
    """The plan as of today over the stored progress, computed for a page: nothing is written.

    The same plan `replan` would store today; its steps are light copies (`ShownStep`). With
    `pending`, the plan a write not made yet would store (a page showing an idle quiz closed).
    """
    _, result, modules = _plan(session, enrollment, today, pending)
    placed, _ = lay_out(result, modules, stored_steps(session, enrollment))
    return Trajectory(enrollment, result, shown(placed), modules)


def _plan(
    session: Session,
    enrollment: Enrollment,
    today: date | None,
    pending: LearnerChange | None = None,
) -> tuple[planning.PlanInput, planning.Plan, dict[int, Module]]:
    """The enrollment's plan inputs as stored now, its plan from `today`, and the modules by id."""
    inp, modules = plan_input(session, enrollment, today or utcnow().date())
    if pending is not None:
        inp = replace(inp, learner=pending(inp.learner))
    return inp, planning.plan(inp), modules


def checkpoints_due(session: Session, current: Trajectory) -> list[Competency]:
    """Competencies studied since they were last measured: a checkpoint would update them.

    None when the program's checkpoint policy is 'none' (set by its authors).
    """
    program = session.get(Program, current.enrollment.program_id)
    if program is not None and program.checkpoints == "none":
        return []
    levels = {
        level.competency_id: aware(level.updated_at)
        for level in session.exec(
            select(CompetencyLevel).where(
                CompetencyLevel.learner_id == current.enrollment.learner_id
            )
        ).all()
    }
    due: dict[int, Competency] = {}
    for step in current.steps:
        module = current.module(step)
        measured = levels.get(module.competency_id)
        if step.completed_at and (measured is None or aware(step.completed_at) > measured):
            competency = session.get(Competency, module.competency_id)
            if competency is not None:
                due[module.competency_id] = competency
    return [due[k] for k in sorted(due)]


def replan_learner(session: Session, learner_id: int) -> None:
    """Levels or profile changed: re-plan the learner's open and completed enrollments."""
    for enrollment in session.exec(_replannable().where(Enrollment.learner_id == learner_id)):
        replan(session, enrollment)


def replan_learners_in(
    session: Session,
    learner_ids: Sequence[int],
    program_ids: Iterable[int],
    progress: Callable[[float, str], None] | None = None,
) -> int:
    """These learners' enrollments in these programs changed inputs: re-plan them; how many."""
    enrollments = session.exec(
        _replannable()
        .where(col(Enrollment.learner_id).in_(learner_ids))
        .where(col(Enrollment.program_id).in_(list(program_ids)))
        .order_by(col(Enrollment.id))
    ).all()
    for done, enrollment in enumerate(enrollments):
        replan(session, enrollment)
        if progress is not None and done % 20 == 19:
            progress((done + 1) / len(enrollments), f"re-planned {done + 1} of {len(enrollments)}")
    return len(enrollments)


def replan_all(session: Session) -> int:
    """The catalog changed: re-plan every open and completed enrollment; how many there were."""
    enrollments = session.exec(_replannable().order_by(col(Enrollment.id))).all()
    for enrollment in enrollments:
        replan(session, enrollment)
    return len(enrollments)


def replan_using_module(session: Session, module_id: int) -> int:
    """A module was edited in the studio: re-plan the enrollments whose program lists it."""
    programs = select(ProgramModule.program_id).where(ProgramModule.module_id == module_id)
    query = _replannable().where(col(Enrollment.program_id).in_(programs))
    enrollments = session.exec(query.order_by(col(Enrollment.id))).all()
    for enrollment in enrollments:
        replan(session, enrollment)
    return len(enrollments)


def _replannable() -> SelectOfScalar[Enrollment]:
    """Enrollments whose plan still counts: open ones, and completed ones (a later pass)."""
    return select(Enrollment).where(col(Enrollment.status).in_((*OPEN, "completed")))


def enrollment_of(session: Session, learner_id: int, enrollment_id: int) -> Enrollment:
    """The learner's own enrollment, not withdrawn, or TrajectoryError (views answer 404)."""
    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.learner_id != learner_id:
        raise TrajectoryError("no such enrollment")
    if enrollment.status == "withdrawn":  # unenrolled: kept for the record, not for learning
        raise TrajectoryError("no such enrollment")
    return enrollment


def mark_started(session: Session, step: TrajectoryStep, now: datetime) -> None:
    """The learner started a module (a POST): its start time is kept once."""
    if step.started_at is None:
        step.started_at = now
        session.add(step)
