"""Learner trajectories: plan an enrollment, store its steps, adjust it, finish the program.

The plan is `learnpath.planning.plan` over what the database holds (see planinputs). Every
re-plan rewrites the enrollment's TrajectoryStep rows and keeps their progress (time spent,
start and completion): a row with progress is never deleted. Every re-plan also settles the
enrollment (`settle`). Learner adjustments are rows too, re-applied on every re-plan; with the
profile changes they are the learner's audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from learnpath import planning
from learnpath.models import (
    Adjustment,
    Competency,
    CompetencyLevel,
    Enrollment,
    Learner,
    Module,
    Program,
    TrajectoryStep,
)
from learnpath.models.base import pk
from learnpath.models.progress import ProfileChange
from learnpath.services.learning import events
from learnpath.services.learning.planinputs import plan_input
from learnpath.vocabulary import aware, utcnow

OPEN = ("assigned", "in_progress")
LISTED_SETTINGS = {  # profile setting → the learner's attribute, and how the log names it
    "interests": ("interests", "the topics that interest you"),
    "formats": ("preferred_formats", "your preferred formats"),
}
STEP_FIELDS = (
    "position",
    "status",
    "mandatory",
    "reason_code",
    "reason_text",
    "planned_week",
    "planned_date",
    "planned_minutes",
)
OFF_PATH = {  # a started module that left the pool: its row and progress stay
    "status": "excluded",
    "mandatory": False,
    "reason_code": "not_in_pool",
    "reason_text": "no longer on your path; what you did in it is kept",
    "planned_week": None,
    "planned_date": None,
    "planned_minutes": 0,
}


class TrajectoryError(ValueError):
    """A request on a trajectory that cannot be done (the message says why)."""


@dataclass(frozen=True)
class Trajectory:
    """A computed plan with the stored steps and the modules they refer to."""

    enrollment: Enrollment
    plan: planning.Plan
    steps: list[TrajectoryStep]
    modules: dict[int, Module]

    def module(self, step: TrajectoryStep) -> Module:
        """The module of a step."""
        return self.modules[step.module_id]

    def step_of(self, module: Module) -> TrajectoryStep | None:
        """The stored step of a module, if the module is in this trajectory."""
        return next((s for s in self.steps if s.module_id == module.id), None)

    def blockers(self, step: TrajectoryStep) -> list[Module]:
        """What a planned step waits for: per prerequisite, the format taken, while planned."""
        if step.status != "planned":
            return []
        by_slug = {m.slug: m for m in self.modules.values()}
        return [by_slug[m] for m in self.plan.blocked_by.get(self.module(step).slug, ())]


def replan(session: Session, enrollment: Enrollment, today: date | None = None) -> Trajectory:
    """Plan the enrollment from what is stored now, write its steps (progress is kept), settle."""
    today = today or utcnow().date()
    inp, modules = plan_input(session, enrollment, today)
    result = planning.plan(inp)
    steps = _store(session, enrollment, result, modules)
    settle(session, enrollment, inp, result)
    return Trajectory(enrollment, result, steps, modules)


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
    for enrollment in session.exec(
        select(Enrollment).where(
            Enrollment.learner_id == learner_id,
            col(Enrollment.status).in_((*OPEN, "completed")),
        )
    ).all():
        replan(session, enrollment)


def settle(
    session: Session, enrollment: Enrollment, inp: planning.PlanInput, result: planning.Plan
) -> None:
    """The one rule every re-plan applies to the enrollment's status and verdict.

    An open enrollment with nothing left planned (and something completed or waived) is
    finished (`finish_program`); a completed one that now meets its targets is passed, once.
    """
    if enrollment.status in OPEN:
        progressed = any(s.status in ("completed", "waived") for s in result.steps)
        if progressed and not result.planned:
            finish_program(session, enrollment, inp, utcnow())
    elif (
        enrollment.status == "completed"
        and planning.verdict(inp, inp.learner.level_names) == "passed"
    ):
        _program_event(session, enrollment, "passed", utcnow())


def finish_program(
    session: Session, enrollment: Enrollment, inp: planning.PlanInput, now: datetime
) -> None:
    """Nothing left to study: the enrollment is completed, and passed or failed on its targets.

    Passed when every target competency is measured at or above its target level, failed when
    every one is measured and one is below it, neither while one is not measured. A later quiz
    that brings a completed enrollment to its targets passes it then (`settle`): the events'
    stable keys record each verb once, so a program failed at the end may be passed later.
    """
    enrollment.status, enrollment.completed_at = "completed", now
    enrollment.started_at = enrollment.started_at or now
    enrollment.updated_at = now
    session.add(enrollment)
    _program_event(session, enrollment, "completed", now)
    outcome = planning.verdict(inp, inp.learner.level_names)
    if outcome is not None:
        _program_event(session, enrollment, outcome, now)


def _program_event(session: Session, enrollment: Enrollment, verb: str, now: datetime) -> None:
    """A program-level learning event of the enrollment, recorded once per verb."""
    key = ("program", pk(enrollment))
    events.record(
        session, verb, enrollment.learner_id, key=key, enrollment_id=pk(enrollment), occurred_at=now
    )


def _store(
    session: Session, enrollment: Enrollment, result: planning.Plan, modules: dict[int, Module]
) -> list[TrajectoryStep]:
    """Write the plan's steps over the stored ones; changed records touch the enrollment."""
    ids = {m.slug: i for i, m in modules.items()}
    stored = {
        s.module_id: s
        for s in session.exec(
            select(TrajectoryStep).where(TrajectoryStep.enrollment_id == enrollment.id)
        ).all()
    }
    now, changed, kept = utcnow(), False, []
    for step in result.steps:
        row = stored.pop(ids[step.module], None) or TrajectoryStep(
            enrollment_id=pk(enrollment), module_id=ids[step.module], position=0
        )
        values = {name: getattr(step, name) for name in STEP_FIELDS}
        if any(getattr(row, k) != v for k, v in values.items()) or row.id is None:
            if step.status == "waived" and row.status != "waived":
                _waived(session, enrollment, row.module_id, step.reason_text)
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at, changed = now, True
            session.add(row)
        kept.append(row)
    for gone in stored.values():  # modules no longer in the learner's pool
        if gone.started_at is None and gone.completed_at is None and not gone.time_spent_s:
            session.delete(gone)
            changed = True
            continue
        values = {**(OFF_PATH if gone.status != "completed" else {}), "position": len(kept)}
        if any(getattr(gone, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(gone, name, value)
            gone.updated_at, changed = now, True
            session.add(gone)
        kept.append(gone)
    if changed:
        enrollment.updated_at = now
        session.add(enrollment)
    session.flush()
    return kept


def _waived(session: Session, enrollment: Enrollment, module_id: int, reason: str) -> None:
    """The learning event of a module waived for this learner (e.g. Tested Out)."""
    events.record(
        session,
        "waived",
        enrollment.learner_id,
        key=("module", pk(enrollment), module_id),
        enrollment_id=pk(enrollment),
        module_id=module_id,
        result={"reason": reason},
    )


def adjust(
    session: Session, enrollment: Enrollment, user_id: int | None, change: planning.Adjustment
) -> planning.Refusal | Trajectory:
    """Apply a learner's change if the rules allow it; a refusal changes nothing."""
    inp, modules = plan_input(session, enrollment, utcnow().date())
    refusal = planning.validate_adjustment(inp, change)
    if refusal is not None:
        return refusal
    ids = {m.slug: i for i, m in modules.items()}
    payload = {
        "before": change.before,
        "after": change.after,
        "position": change.position,
        "pace_minutes_per_week": change.pace_minutes_per_week,
        "due_date": change.due_date.isoformat() if change.due_date else None,
    }
    if inp.adjustments and inp.adjustments[-1] == change:
        return replan(session, enrollment)  # the same change twice (double submit): once
    session.add(
        Adjustment(
            enrollment_id=pk(enrollment),
            user_id=user_id,
            kind=change.kind,
            module_id=ids.get(change.module or ""),
            payload={k: v for k, v in payload.items() if v is not None},
            message=describe(change, {m.slug: m.title for m in modules.values()}),
        )
    )
    session.flush()
    return replan(session, enrollment)


def undo(session: Session, enrollment: Enrollment, adjustment_id: int) -> Trajectory:
    """Withdraw one of the learner's adjustments; the log keeps it, marked withdrawn."""
    row = session.get(Adjustment, adjustment_id)
    if row is None or row.enrollment_id != enrollment.id or not row.active:
        raise TrajectoryError("no such active change in this trajectory")
    row.active, row.withdrawn_at = False, utcnow()
    session.add(row)
    session.flush()
    return replan(session, enrollment)


@dataclass(frozen=True)
class LogEntry:
    """One line of the learner's log: a change to this trajectory, or to their profile."""

    at: datetime
    message: str
    adjustment_id: int | None = None  # None for a profile change
    active: bool = False
    withdrawn_at: datetime | None = None

    @property
    def undoable(self) -> bool:
        """A trajectory change still in force can be withdrawn."""
        return self.adjustment_id is not None and self.active

    @property
    def withdrawn(self) -> bool:
        """A trajectory change that was undone or replaced."""
        return self.adjustment_id is not None and not self.active


def log(session: Session, enrollment: Enrollment) -> list[LogEntry]:
    """The learner's changes to this trajectory and, since it was assigned, to their profile."""
    adjustments = session.exec(
        select(Adjustment).where(Adjustment.enrollment_id == enrollment.id)
    ).all()
    profile = session.exec(
        select(ProfileChange).where(
            ProfileChange.learner_id == enrollment.learner_id,
            ProfileChange.created_at >= enrollment.assigned_at,
        )
    ).all()
    ranked = [
        ((aware(p.created_at), 0, pk(p)), LogEntry(aware(p.created_at), p.message)) for p in profile
    ]
    for a in adjustments:
        withdrawn = aware(a.withdrawn_at) if a.withdrawn_at else None
        entry = LogEntry(aware(a.created_at), a.message, pk(a), a.active, withdrawn)
        ranked.append(((entry.at, 1, pk(a)), entry))
    return [entry for _, entry in sorted(ranked, key=lambda r: r[0], reverse=True)]


def describe(change: planning.Adjustment, titles: dict[str, str]) -> str:
    """A change in words, e.g. 'Moved “Dashboards” before “Charts”'."""

    def t(slug: str | None) -> str:
        return f"“{titles.get(slug or '', slug)}”"

    if change.kind == "move":
        if change.before:
            return f"Moved {t(change.module)} before {t(change.before)}"
        if change.after:
            return f"Moved {t(change.module)} after {t(change.after)}"
        return f"Moved {t(change.module)} to position {(change.position or 0) + 1}"
    if change.kind == "pace":
        return f"Set the weekly time to {change.pace_minutes_per_week} minutes"
    if change.kind == "due_date":
        when = change.due_date.isoformat() if change.due_date else "none"
        return f"Set the target date to {when}"
    verbs = {
        "add": "Added the elective",
        "take_waived": "Took anyway the Tested-Out module",
        "drop": "Dropped the optional module",
        "alternative": "Chose the format",
    }
    return f"{verbs[change.kind]} {t(change.module)}"


def enrollment_of(session: Session, learner_id: int, enrollment_id: int) -> Enrollment:
    """The learner's own enrollment, or TrajectoryError (views answer 404)."""
    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None or enrollment.learner_id != learner_id:
        raise TrajectoryError("no such enrollment")
    return enrollment


def mark_started(session: Session, step: TrajectoryStep, now: datetime) -> None:
    """The learner opened a module: its start time is kept once."""
    if step.started_at is None:
        step.started_at = now
        session.add(step)


def change_profile(
    session: Session,
    learner: Learner,
    user_id: int | None,
    now: datetime,
    *,
    interests: list[str] | None = None,
    pace: int | None = None,
    formats: list[str] | None = None,
) -> list[ProfileChange]:
    """Save and log the profile settings that changed (None: unchanged), then re-plan.

    The newest weekly time wins: a new one here withdraws the weekly times the learner set on
    their open plans, and a time set on a plan afterwards overrides this one for that plan.
    """
    changes: list[ProfileChange] = []
    for setting, values in (("interests", interests), ("formats", formats)):
        attribute, name = LISTED_SETTINGS[setting]
        before = list(getattr(learner, attribute))
        if values is None or set(values) == set(before):
            continue
        setattr(learner, attribute, list(values))
        words = f"Set {name} to {_listed(values)} (were {_listed(before)})"
        changes.append(_logged(learner, user_id, setting, before, values, words))
    if pace is not None and pace != learner.pace_minutes_per_week:
        was, learner.pace_minutes_per_week = learner.pace_minutes_per_week, pace
        words = f"Set the weekly time in your profile to {pace} minutes (was {was})"
        if _withdraw_paces(session, pk(learner), now):
            words += "; it replaces the weekly time set on a plan"
        changes.append(_logged(learner, user_id, "pace", was, pace, words))
    if changes:
        learner.updated_at = now
        for change in changes:
            change.created_at = now
        session.add_all([learner, *changes])
        replan_learner(session, pk(learner))
    return changes


def _listed(values: list[str]) -> str:
    """Profile values in words: 'charts, data quality', or 'none'."""
    return ", ".join(v.replace("-", " ") for v in values) or "none"


def _logged(
    learner: Learner, user_id: int | None, setting: str, before: object, after: object, words: str
) -> ProfileChange:
    """The log row of one changed profile setting."""
    payload = {"before": before, "after": after}
    return ProfileChange(
        learner_id=pk(learner), user_id=user_id, setting=setting, payload=payload, message=words
    )


def _withdraw_paces(session: Session, learner_id: int, now: datetime) -> int:
    """Withdraw the active weekly-time changes on the learner's open plans; how many there were."""
    rows = session.exec(
        select(Adjustment)
        .join(Enrollment, col(Enrollment.id) == Adjustment.enrollment_id)
        .where(
            Enrollment.learner_id == learner_id,
            col(Enrollment.status).in_(OPEN),
            Adjustment.kind == "pace",
            col(Adjustment.active).is_(True),
        )
    ).all()
    for row in rows:
        row.active, row.withdrawn_at = False, now
        session.add(row)
    return len(rows)
