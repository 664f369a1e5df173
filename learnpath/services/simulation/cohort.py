"""A simulated cohort of one program: the version it runs, its placement variant, its learners."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlmodel import Session, col, select

from learnpath.models import Program, ProgramTarget
from learnpath.services.learning import quiz_rules
from learnpath.services.simulation.payoff import (
    Outcome,
    Transaction,
    draw_simulees,
    run_learner,
)


class SimulationError(ValueError):
    """The program cannot be simulated (unknown, unpublished, no placement): the message says."""


@dataclass(frozen=True)
class Cohort:
    """The program version simulated and what its simulees are drawn over."""

    program_id: int
    title: str
    competencies: list[str]  # every competency its modules build (true θ for each)
    roles: list[str]  # the roles its targets name, and '' (the default target)
    placement: dict[str, Any]


def prepare(session: Session, slug: str, overrides: Mapping[str, Any]) -> Cohort:
    """The newest published version of `slug`, its placement settings changed by `overrides`.

    Only for a throw-away database: the overrides are written to the program's row.
    """
    program = session.exec(
        select(Program)
        .where(Program.slug == slug, Program.status == "published")
        .order_by(col(Program.version).desc())
    ).first()
    if program is None:
        raise SimulationError(f"no published program {slug!r}")
    if not quiz_rules.placement_competencies(session, program):
        raise SimulationError(f"program {slug!r} builds no competency to place learners in")
    program.placement = {**(program.placement or {}), **overrides}
    session.add(program)
    session.flush()
    roles = session.exec(
        select(ProgramTarget.role).where(ProgramTarget.program_id == program.id).distinct()
    ).all()
    return Cohort(
        program.id or 0,
        program.title,
        [c.slug for c in quiz_rules.program_competencies(session, program)],
        sorted({"", *roles}),
        dict(program.placement),
    )


def run_cohort(
    transaction: Transaction,
    cohort: Cohort,
    learners: int,
    correlation: float,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> list[Outcome]:
    """Draw the simulees from `seed` and run each through placement and planning, in turn.

    The same seed draws the same learners and answers whatever the placement settings, so two
    variants are compared on one cohort (common random numbers).
    """
    people, answers = np.random.default_rng([seed, 0]), np.random.default_rng([seed, 1])
    simulees = draw_simulees(cohort.competencies, cohort.roles, learners, correlation, people)
    outcomes = []
    for simulee in simulees:
        outcomes.append(run_learner(transaction, cohort.program_id, simulee, answers))
        if progress is not None:
            progress(len(outcomes))
    return outcomes
