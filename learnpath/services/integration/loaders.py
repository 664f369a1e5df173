"""Bulk loaders behind a page of enrollment records: a few queries for the whole page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, Integer, any_, bindparam, func
from sqlmodel import Session, col, select

from learnpath.models import (
    Attempt,
    Competency,
    CompetencyLevel,
    Module,
    Program,
    ProgramModule,
    ProgramTarget,
    TrajectoryStep,
)
from learnpath.services.integration.ids import public_id

COUNTED = ("planned", "completed", "waived")
"""Step statuses that count as modules of a record (excluded steps do not)."""


@dataclass
class Steps:
    """What an enrollment's trajectory steps add up to."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: int = 0
    waived: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ProgramFacts:
    """Per program: its competencies (id, slug, name), module count and minutes."""

    competencies: dict[int, list[tuple[int, str, str]]]
    modules: dict[int, int]
    minutes: dict[int, int]


@dataclass(frozen=True)
class Quiz:
    """What a record needs of a finished attempt (not its item bank snapshot)."""

    kind: str
    finished_at: datetime
    config_ids: dict[str, Any]
    results: dict[str, Any]


def among(session: Session, column: Any, ids: Sequence[int]) -> Any:
    """`column IN ids`; on PostgreSQL as `= ANY(array)`, one parameter instead of hundreds."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam("ids", list(ids), type_=ARRAY(Integer)))
    return column.in_(ids)


def fetch(session: Session, query: Any) -> Sequence[Any]:
    """The rows of a column select, run as Core in the session's transaction (no ORM: speed)."""
    session.flush()
    return session.connection().execute(query).all()


def programs_of(session: Session, program_ids: Iterable[int]) -> dict[int, Any]:
    """Rows of a record's program fields (id, slug, title, version, depth) by program id."""
    program = Program
    query = select(  # type: ignore[call-overload]
        program.id, program.slug, program.title, program.version, program.depth
    ).where(col(program.id).in_(set(program_ids)))
    return {row.id: row for row in fetch(session, query)}


def program_facts(session: Session, program_ids: Iterable[int]) -> ProgramFacts:
    """Competencies, module counts and minutes of programs."""
    facts = ProgramFacts(defaultdict(list), defaultdict(int), defaultdict(int))
    competency = Competency
    rows = fetch(
        session,
        select(  # type: ignore[call-overload]
            ProgramModule.program_id,
            Module.minutes,
            competency.id,
            competency.slug,
            competency.name,
        )
        .join(Module, col(Module.id) == ProgramModule.module_id)
        .join(competency, col(competency.id) == Module.competency_id)
        .where(col(ProgramModule.program_id).in_(set(program_ids))),
    )
    seen: set[tuple[int, int]] = set()
    for program_id, minutes, cid, slug, name in rows:
        competency_id = int(cid or 0)
        facts.modules[program_id] += 1
        facts.minutes[program_id] += minutes
        if (program_id, competency_id) not in seen:
            seen.add((program_id, competency_id))
            facts.competencies[program_id].append((competency_id, slug, name))
    for listed in facts.competencies.values():
        listed.sort()
    return facts


def levels_of(session: Session, learner_ids: Iterable[int]) -> dict[int, list[Any]]:
    """Current levels per learner: rows of competency_id, level, theta, se, updated_at."""
    found: dict[int, list[Any]] = defaultdict(list)
    level = CompetencyLevel
    query = select(  # type: ignore[call-overload]
        level.learner_id, level.competency_id, level.level, level.theta, level.se, level.updated_at
    ).where(among(session, col(level.learner_id), sorted(set(learner_ids))))
    for row in fetch(session, query.order_by(col(level.competency_id))):
        found[row.learner_id].append(row)
    return found


def current_levels(session: Session, learner_ids: Iterable[int]) -> dict[int, dict[int, str]]:
    """Current level names per learner, by competency id (what a record shows of them)."""
    found: dict[int, dict[int, str]] = defaultdict(dict)
    level = CompetencyLevel
    query = select(level.learner_id, level.competency_id, level.level).where(
        among(session, col(level.learner_id), sorted(set(learner_ids)))
    )
    for learner_id, competency_id, name in fetch(session, query):
        found[learner_id][competency_id] = name
    return found


def steps_of(session: Session, enrollment_ids: Sequence[int]) -> dict[int, Steps]:
    """Step counts by status and time spent (summed by the database), and waived modules."""
    found: dict[int, Steps] = defaultdict(Steps)
    step = TrajectoryStep
    ids = among(session, col(step.enrollment_id), enrollment_ids)
    counted = [func.count().filter(col(step.status) == status) for status in COUNTED]
    totals = fetch(
        session,
        select(step.enrollment_id, func.sum(step.time_spent_s), *counted)
        .where(ids)
        .group_by(col(step.enrollment_id)),
    )
    for enrollment_id, seconds, *counts in totals:
        found[enrollment_id] = Steps(dict(zip(COUNTED, counts, strict=True)), int(seconds or 0))
    waived = fetch(
        session,
        select(step.enrollment_id, step.module_id, step.reason_text)
        .where(ids, col(step.status) == "waived")
        .order_by(col(step.enrollment_id), col(step.position)),
    )
    for enrollment_id, module_id, reason in waived:
        module = public_id("module", module_id)
        found[enrollment_id].waived.append({"id": module, "reason": reason})
    return found


def quizzes_of(session: Session, enrollment_ids: Sequence[int]) -> dict[int, list[Quiz]]:
    """Finished attempts per enrollment, oldest first (of their config, only the ids)."""
    found: dict[int, list[Quiz]] = defaultdict(list)
    attempt = Attempt
    rows = fetch(
        session,
        select(  # type: ignore[call-overload]
            attempt.enrollment_id,
            attempt.kind,
            attempt.finished_at,
            col(attempt.config)["ids"],
            attempt.results,
        )
        .where(among(session, col(attempt.enrollment_id), enrollment_ids))
        .where(col(attempt.finished_at).is_not(None))
        .order_by(col(attempt.finished_at), col(attempt.id)),
    )
    for enrollment_id, kind, finished_at, config_ids, results in rows:
        found[enrollment_id].append(Quiz(kind, finished_at, config_ids or {}, results or {}))
    return found


def targets_of(session: Session, program_ids: set[int]) -> dict[int, dict[tuple[int, str], str]]:
    """Target levels per program, by (competency id, role); role '' is the default."""
    found: dict[int, dict[tuple[int, str], str]] = defaultdict(dict)
    if not program_ids:
        return found
    target = ProgramTarget
    query = select(target.program_id, target.competency_id, target.role, target.level).where(
        col(target.program_id).in_(program_ids)
    )
    for program_id, competency_id, role, level in fetch(session, query):
        found[program_id][(competency_id, role)] = level
    return found
