"""Moving learners to a newer published version of their program, previewed per learner first.

The preview plans each open enrollment twice with the real planner, on its current version and
on the new one, and says what changes for that learner: modules added, modules leaving (those
with progress stay on record, off the path), completed modules and Tested Out kept, own changes
that no longer apply. Nothing is written. The move then points the enrollments at the new
version and re-plans them in the caller's one transaction; trajectory steps keep their progress.
Completed and withdrawn enrollments stay where they are, as does a learner already enrolled in
the new version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session, col, func, select

from learnpath import planning
from learnpath.models import Enrollment, Learner, Module, Program, TrajectoryStep
from learnpath.models.base import pk
from learnpath.services.learning import plancatalog, planinputs
from learnpath.services.learning.trajectory import OPEN, replan
from learnpath.vocabulary import utcnow

ON_PATH = ("planned", "completed", "waived")
IN_REQUEST_UP_TO = 200
"""Moves of more learners than this run as a background job (the studio shows its progress)."""

Progress = Callable[[float, str], None]


class MoveError(ValueError):
    """The move cannot run (the message says why); nothing was changed."""


@dataclass(frozen=True)
class LearnerChange:
    """What moving one enrollment to the new version changes for its learner."""

    enrollment: Enrollment
    learner: Learner
    from_version: int
    added: tuple[Module, ...] = ()
    removed: tuple[Module, ...] = ()  # leave the path; nothing was done in them
    kept_off_path: tuple[Module, ...] = ()  # leave the path; what was done in them is kept
    completed: tuple[Module, ...] = ()  # stay completed
    tested_out: tuple[Module, ...] = ()  # waived as Tested Out under the new version
    no_longer_applies: tuple[str, ...] = ()  # the learner's own changes the new version refuses
    minutes_before: int = 0
    minutes_after: int = 0
    stays: str = ""  # why this enrollment does not move ('' = it moves)


@dataclass(frozen=True)
class MovePreview:
    """Every enrollment on an older version of the target's program, and what a move does."""

    target: Program
    changes: list[LearnerChange]
    fingerprint: str

    @property
    def moving(self) -> list[LearnerChange]:
        """The enrollments that move."""
        return [c for c in self.changes if not c.stays]


class _Plans:
    """Planner inputs shared by every learner of one preview (modules are read once)."""

    def __init__(self, session: Session, today: date) -> None:
        self.session, self.today = session, today
        self.competencies = plancatalog.all_competency_slugs(session)
        self.modules, self.infos = plancatalog.plan_modules(session, None, self.competencies)
        self.slugs = {i: m.slug for i, m in self.modules.items()}
        self.by_slug = {m.slug: m for m in self.modules.values()}
        self.programs: dict[int, planning.Program] = {}

    def plan(self, enrollment: Enrollment, learner: Learner, program: Program) -> planning.Plan:
        """The learner's plan on `program`, from what is stored now."""
        if pk(program) not in self.programs:
            self.programs[pk(program)] = planinputs.program_input(
                self.session, program, self.slugs, self.competencies
            )
        inp = planning.PlanInput(
            program=self.programs[pk(program)],
            modules=self.infos,
            learner=planinputs.learner_input(
                self.session, learner, enrollment, self.slugs, self.competencies
            ),
            start=self.today,
            due=enrollment.due_at.date() if enrollment.due_at else None,
            adjustments=planinputs.adjustments_input(self.session, enrollment, self.slugs),
        )
        return planning.plan(inp)

    def named(self, slugs: list[str]) -> tuple[Module, ...]:
        """Modules by slug, in the given order."""
        return tuple(self.by_slug[s] for s in slugs)


def _older(query: Any, target: Program) -> Any:
    """Restrict a query on Enrollment to open ones on older versions of the target's program."""
    return (
        query.join(Program, col(Program.id) == Enrollment.program_id)
        .where(Program.slug == target.slug, Program.version < target.version)
        .where(col(Enrollment.status).in_(OPEN))
    )


def candidates(session: Session, target: Program) -> list[tuple[Enrollment, Program]]:
    """Open enrollments on older versions of the target's program, oldest version first."""
    query = _older(select(Enrollment, Program), target)
    return list(session.exec(query.order_by(col(Program.version), col(Enrollment.id))).all())


def waiting(session: Session, target: Program) -> int:
    """How many open enrollments are on older versions of the target's program."""
    return int(session.exec(_older(select(func.count(col(Enrollment.id))), target)).one())


def preview_move(
    session: Session, target: Program, today: date | None = None, progress: Progress | None = None
) -> MovePreview:
    """Per learner, what moving to `target` changes; writes nothing (progress: 0 to ½)."""
    if target.status != "published":
        raise MoveError(f"version {target.version} is {target.status}: publish it first")
    plans = _Plans(session, today or utcnow().date())
    already = set(
        session.exec(select(Enrollment.learner_id).where(Enrollment.program_id == target.id)).all()
    )
    changes = []
    found = candidates(session, target)
    for done, (enrollment, current) in enumerate(found):
        if progress is not None and done % 20 == 0:
            progress(done / len(found) / 2, f"previewed {done} of {len(found)} learners")
        learner = session.get(Learner, enrollment.learner_id)
        assert learner is not None
        change = _change(plans, enrollment, learner, current, target)
        if enrollment.learner_id in already:
            change = replace(change, stays=f"already enrolled in version {target.version}")
        changes.append(change)
    return MovePreview(target, changes, _fingerprint(changes))


def _change(
    plans: _Plans, enrollment: Enrollment, learner: Learner, current: Program, target: Program
) -> LearnerChange:
    """Compare the learner's plan on the current version with the plan on the target."""
    before = plans.plan(enrollment, learner, current)
    after = plans.plan(enrollment, learner, target)
    was = [s.module for s in before.steps if s.status in ON_PATH]
    now = {s.module for s in after.steps if s.status in ON_PATH}
    leaving = [m for m in was if m not in now]
    progressed = _progressed(plans.session, enrollment, plans.slugs)
    refused_before = {r.message for r in before.refused}
    return LearnerChange(
        enrollment=enrollment,
        learner=learner,
        from_version=current.version,
        added=plans.named(
            [s.module for s in after.steps if s.status in ON_PATH and s.module not in was]
        ),
        removed=plans.named([m for m in leaving if m not in progressed]),
        kept_off_path=plans.named([m for m in leaving if m in progressed]),
        completed=plans.named(before.modules("completed")),
        tested_out=plans.named(
            [
                s.module
                for s in after.steps
                if s.status == "waived" and s.reason_code == "tested_out"
            ]
        ),
        no_longer_applies=tuple(
            r.message for r in after.refused if r.message not in refused_before
        ),
        minutes_before=before.planned_minutes,
        minutes_after=after.planned_minutes,
    )


def _progressed(session: Session, enrollment: Enrollment, slugs: dict[int, str]) -> set[str]:
    """Modules of the enrollment started, studied or completed: their rows are never dropped."""
    rows = session.exec(
        select(TrajectoryStep).where(TrajectoryStep.enrollment_id == enrollment.id)
    ).all()
    return {slugs[s.module_id] for s in rows if s.started_at or s.completed_at or s.time_spent_s}


def _fingerprint(changes: list[LearnerChange]) -> str:
    """A short digest of the preview, to tell whether it still holds when the move is run."""
    facts = [
        (
            pk(c.enrollment),
            c.from_version,
            c.stays,
            [m.slug for m in c.added],
            [m.slug for m in (*c.removed, *c.kept_off_path)],
        )
        for c in changes
    ]
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:16]


def move_learners(
    session: Session,
    target: Program,
    fingerprint: str,
    today: date | None = None,
    progress: Progress | None = None,
) -> list[LearnerChange]:
    """Move every movable enrollment to `target` and re-plan it, if the preview still holds."""
    preview = preview_move(session, target, today, progress)
    if fingerprint != preview.fingerprint:
        raise MoveError("the learners or their plans changed since the preview: review it again")
    now = utcnow()
    for done, change in enumerate(preview.moving):
        if progress is not None and done % 20 == 0:
            progress(0.5 + done / len(preview.moving) / 2, f"moved {done} learners")
        enrollment = change.enrollment
        enrollment.program_id, enrollment.updated_at = pk(target), now
        session.add(enrollment)
        session.flush()
        replan(session, enrollment, today)
    return preview.moving
