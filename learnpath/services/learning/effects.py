"""What a measured level means for the learner's paths: passed or not yet, and which plans moved.

A competency is passed when none of the learner's open programs still plans a module that builds
it (the plan waived or completed them all), or, when no program builds it, when the level reaches
the default target. Every program whose plan the level touches is named, so that a level
measured in one program tells the learner it also changed another program's plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from learnpath.models import Enrollment, Program
from learnpath.services.learning import trajectory
from learnpath.vocabulary import DEFAULT_TARGET_LEVEL, LEVELS


@dataclass(frozen=True)
class PathEffect:
    """One program's modules that build the competency: how many are waived and still planned."""

    program: Program
    enrollment_id: int
    waived: int
    planned: int


@dataclass(frozen=True)
class Verdict:
    """A measured competency: its level, whether it is passed, and the plans it touches."""

    slug: str
    name: str
    level: str
    passed: bool
    effects: list[PathEffect] = field(default_factory=list)


def plans_of(
    session: Session, learner_id: int, pending: trajectory.LearnerChange | None = None
) -> list[trajectory.Trajectory[Any]]:
    """The plans of the learner's open enrollments, as pages show them (`pending`: view's)."""
    enrollments = session.exec(
        select(Enrollment)
        .where(Enrollment.learner_id == learner_id)
        .where(col(Enrollment.status).in_(trajectory.OPEN))
        .order_by(col(Enrollment.id))
    ).all()
    return [trajectory.view(session, e, pending=pending) for e in enrollments]


def effects_on(
    session: Session, plans: list[trajectory.Trajectory[Any]], competency_id: int
) -> list[PathEffect]:
    """Per plan that has modules building the competency, their waived and planned counts."""
    out = []
    for plan in plans:
        statuses = [s.status for s in plan.steps if plan.module(s).competency_id == competency_id]
        program = session.get(Program, plan.enrollment.program_id)
        if statuses and program is not None:
            waived, planned = statuses.count("waived"), statuses.count("planned")
            out.append(PathEffect(program, plan.enrollment.id or 0, waived, planned))
    return out


def verdicts(
    session: Session,
    learner_id: int,
    results: Mapping[str, Any],
    ids: Mapping[str, int],
    pending: trajectory.LearnerChange | None = None,
) -> list[Verdict]:
    """Per measured competency of a finished attempt, its verdict and the plans it touches.

    An attempt shown closed before it is passes `pending` (idle.as_closed): the plans then are
    those its closing will store, so the page reads the same before and after.
    """
    plans = plans_of(session, learner_id, pending)
    out = []
    for slug, state in results["competencies"].items():
        if not state["n_items"]:
            continue
        effects = effects_on(session, plans, int(ids[slug]))
        if effects:
            passed = all(e.planned == 0 for e in effects)
        else:
            passed = LEVELS.index(state["level"]) >= LEVELS.index(DEFAULT_TARGET_LEVEL)
        out.append(Verdict(slug, str(state["name"]), str(state["level"]), passed, effects))
    return out
