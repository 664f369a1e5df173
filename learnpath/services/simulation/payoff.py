"""One simulated learner through the placement and the planner, exactly as the web drives them.

A simulee has a true θ (logits) per competency, drawn from N(0, Σ) with unit variances and one
correlation between every pair. It is enrolled, starts the program's placement with
`quiz.start_attempt`, is served each step by `quiz.current_question` and answers it through
`quiz.answer` (right with the item model's probability at its true θ: 2PL for 2PL items, from
the attempt's own bank snapshot), each request in its own committed transaction; once the
placement is over its plans are re-planned (`trajectory.replan_learner`, as the web does after
the last answer) and the stored trajectory is compared with the truth.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlmodel import Session, col, select

from learnpath.irt.models import probability
from learnpath.models import (
    Attempt,
    Competency,
    Enrollment,
    Learner,
    Module,
    Program,
    ProgramModule,
)
from learnpath.models.base import pk
from learnpath.planning import Bands, target_levels
from learnpath.planning.levels import level_index
from learnpath.services.catalog.banks import BankSnapshot
from learnpath.services.learning import enrolment, quiz, quiz_rules, trajectory
from learnpath.services.learning.planinputs import plan_input
from learnpath.vocabulary import utcnow

Transaction = Callable[[], AbstractContextManager[Session]]
"""A new session that commits when its block ends (a web request's or a command's)."""
ANSWER_SECONDS = 30  # simulated time a learner takes per question


@dataclass(frozen=True)
class Simulee:
    """A simulated learner: its number, job role and true θ per competency slug (logits)."""

    number: int
    role: str
    theta: dict[str, float]
    seed: int


@dataclass(frozen=True)
class Outcome:
    """What the placement and the plan did for one simulee, judged against its true levels."""

    items: int
    planned_minutes: int  # authors' estimates of the planned modules (no tempo factor)
    full_minutes: int  # the program's whole module list
    waived: int
    false_waivers: int  # waived while the true level is below the module's level
    missed_waivers: int  # planned although the true level is at the module's level
    covered: bool  # every target: true level there already, or a planned module builds it
    seconds: float


def draw_simulees(
    competencies: Sequence[str],
    roles: Sequence[str],
    n: int,
    correlation: float,
    rng: np.random.Generator,
) -> list[Simulee]:
    """`n` simulees, θ ~ N(0, Σ) (Σ: 1 on the diagonal, `correlation` off it), roles in turn."""
    k = len(competencies)
    sigma = np.full((k, k), correlation) + (1.0 - correlation) * np.eye(k)
    thetas = rng.multivariate_normal(np.zeros(k), sigma, size=n, method="cholesky")
    seeds = rng.integers(0, 2**31, size=n)
    return [
        Simulee(
            i,
            roles[i % len(roles)] if roles else "",
            dict(zip(competencies, map(float, thetas[i]), strict=True)),
            int(seeds[i]),
        )
        for i in range(n)
    ]


def run_learner(
    transaction: Transaction, program_id: int, simulee: Simulee, rng: np.random.Generator
) -> Outcome:
    """Enrol the simulee, run its placement and plan as the web does; judge the trajectory."""
    began = time.perf_counter()
    clock = utcnow()
    with transaction() as session:
        learner_id, enrollment_id, attempt_id = _start(session, program_id, simulee, clock)
    items = 0
    while _answer_next(transaction, attempt_id, simulee, rng, clock + _seconds(items + 1)):
        items += 1
    with transaction() as session:
        trajectory.replan_learner(session, learner_id)
    with transaction() as session:
        judged = judge(session, enrollment_id, simulee)
    return Outcome(items, *judged, seconds=time.perf_counter() - began)


def _start(
    session: Session, program_id: int, simulee: Simulee, now: datetime
) -> tuple[int, int, int]:
    """The simulee as a learner, enrolled, its placement started as the Start button does it."""
    program = session.get(Program, program_id)
    assert program is not None
    learner = Learner(
        external_id=f"payoff-{simulee.number}",
        email=f"payoff-{simulee.number}@simulated.invalid",
        name=f"Simulated learner {simulee.number}",
        role=simulee.role,
    )
    session.add(learner)
    session.flush()
    enrollment, _ = enrolment.enrol(session, learner, program, "payoff")
    measured = quiz_rules.placement_competencies(session, program)
    attempt = quiz.start_attempt(
        session, pk(learner), "placement", measured, enrollment, now, simulee.seed
    )
    quiz.mark_shown(session, attempt, now)
    return pk(learner), pk(enrollment), pk(attempt)


def _seconds(n: int) -> timedelta:
    """The simulated clock after n answers."""
    return timedelta(seconds=ANSWER_SECONDS * n)


def _answer_next(
    transaction: Transaction,
    attempt_id: int,
    simulee: Simulee,
    rng: np.random.Generator,
    now: datetime,
) -> bool:
    """Answer the current question like the simulee would; False once the placement is over."""
    with transaction() as session:
        attempt = session.get(Attempt, attempt_id)
        assert attempt is not None
        question = quiz.current_question(session, attempt)
        if question is None:
            return False
        item = question.item
        snapshot = BankSnapshot.from_json(attempt.parameters)
        row = snapshot.index_of(pk(item))
        p = probability(
            simulee.theta[snapshot.competencies[row]],
            snapshot.a[row],
            snapshot.b[row],
            snapshot.c[row],
            snapshot.d[row],
        )
        right = bool(rng.random() < float(p))
        keys = [str(o["key"]) for o in item.options if bool(o.get("correct")) == right]
        chosen = keys if right else keys[:1]
        quiz.answer(session, attempt, question.step, pk(item), chosen, now, replan=False)
        quiz.mark_shown(session, attempt, now)
        return True


def judge(
    session: Session, enrollment_id: int, simulee: Simulee
) -> tuple[int, int, int, int, int, bool]:
    """Planned and full minutes, waivers (all, false, missed) and coverage of the stored plan."""
    enrollment = session.get(Enrollment, enrollment_id)
    assert enrollment is not None
    program = session.get(Program, enrollment.program_id)
    assert program is not None
    current, bands = trajectory.view(session, enrollment), Bands.of(program.level_bands)
    slugs = _competency_slugs(session)
    planned = waived = false = missed = 0
    reached: dict[str, int] = {}
    for step in current.steps:
        module = current.module(step)
        theta = simulee.theta.get(slugs[module.competency_id])
        mastered = theta is not None and theta >= bands.threshold(level_index(module.level))
        if step.status == "planned":
            planned += module.minutes
            missed += mastered
            slug = slugs[module.competency_id]
            reached[slug] = max(reached.get(slug, 0), level_index(module.level))
        elif step.status == "waived":
            waived += 1
            false += not mastered
    covered = _covered(session, enrollment, simulee, bands, reached)
    return planned, _full_minutes(session, program), waived, false, missed, covered


def _covered(
    session: Session,
    enrollment: Enrollment,
    simulee: Simulee,
    bands: Bands,
    reached: dict[str, int],
) -> bool:
    """Every target: the true level is there already, or a planned module builds it that far."""
    inp, _ = plan_input(session, enrollment, utcnow().date())
    return all(
        _true_level(bands, simulee.theta.get(c)) >= level_index(level)
        or reached.get(c, -1) >= level_index(level)
        for c, level in target_levels(inp).items()
    )


def _true_level(bands: Bands, theta: float | None) -> int:
    """Band index of a true θ; a competency the simulee was not given counts as novice."""
    return 0 if theta is None else sum(theta >= bound for bound in bands.bounds)


def _competency_slugs(session: Session) -> dict[int, str]:
    """Slug of every competency by id."""
    return {pk(c): c.slug for c in session.exec(select(Competency)).all()}


def _full_minutes(session: Session, program: Program) -> int:
    """Minutes of every module the program lists: what a learner without a placement faces."""
    minutes = session.exec(
        select(Module.minutes)
        .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
        .where(ProgramModule.program_id == program.id)
    ).all()
    return int(sum(minutes))
