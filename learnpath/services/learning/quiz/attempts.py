"""Starting a quiz attempt (or sharing the active one), and the learner's attempts."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from learnpath.models import Attempt, Competency, Enrollment, Program
from learnpath.models.assessment import ONE_ACTIVE, ONE_ACTIVE_WHERE
from learnpath.models.base import pk
from learnpath.services.catalog.banks import BankSnapshot, load_bank
from learnpath.services.catalog.ownership import line_of
from learnpath.services.learning import events, pretest
from learnpath.services.learning.quiz.answers import advance
from learnpath.services.learning.quiz.exposure import count_session
from learnpath.services.learning.quiz.questions import QuizError
from learnpath.services.learning.quiz_rules import rules_for
from learnpath.vocabulary import utcnow

KINDS = ("placement", "check", "checkpoint")
SEED_BOUND = 2**31
# An attempt's seed: an integer in [0, SEED_BOUND), a generator to draw it from, or None (secret).
SeedSource = int | np.random.Generator | None


def start_attempt(
    session: Session,
    learner_id: int,
    kind: str,
    competencies: Sequence[Competency],
    enrollment: Enrollment | None = None,
    now: datetime | None = None,
    seed: SeedSource = None,
) -> Attempt:
    """A new attempt, or the learner's active one of the same kind and scope (double start).

    `seed` fixes the attempt's random draws (randomesque picks, option order) so a simulation
    through the services can be replayed; by default it is a secret random number.
    """
    attempt_seed = seed_of(seed)
    _check_start(kind, competencies)
    scope = scope_of([pk(c) for c in competencies], enrollment.id if enrollment else None)
    active = _active_in_scope(session, learner_id, kind, scope)
    if active is not None:
        return active
    program = session.get(Program, enrollment.program_id) if enrollment else None
    line = line_of(session, program) if kind == "placement" else frozenset()
    snapshot = load_bank(session, sorted(competencies, key=pk), line)
    now = now or utcnow()
    new = _new_attempt(session, learner_id, kind, competencies, enrollment, snapshot, now)
    new.seed = attempt_seed
    if kind == "placement":
        new.config = {**new.config, "pretest": _pretest_plan(session, new, competencies, line)}
    attempt_id = _insert_unless_active(session, new)
    if attempt_id is None:  # a concurrent Start of the same quiz inserted it first
        active = _active_in_scope(session, learner_id, kind, scope)
        if active is None:
            raise QuizError("this quiz was started and closed meanwhile; start it again")
        return active
    return _launch(session, attempt_id, snapshot, competencies, now)


def _new_attempt(
    session: Session,
    learner_id: int,
    kind: str,
    competencies: Sequence[Competency],
    enrollment: Enrollment | None,
    snapshot: BankSnapshot,
    now: datetime,
) -> Attempt:
    """The attempt row to insert: scope, rules, bank snapshot and seed, started now."""
    program = session.get(Program, enrollment.program_id) if enrollment else None
    ids = sorted(pk(c) for c in competencies)
    enrollment_id = enrollment.id if enrollment else None
    return Attempt(
        uid=str(uuid.uuid4()),
        learner_id=learner_id,
        enrollment_id=enrollment_id,
        kind=kind,
        scope=scope_of(ids, enrollment_id),
        competency_ids=ids,
        config=rules_for(session, learner_id, kind, competencies, program),
        parameters=snapshot.to_json(),
        seed=0,  # start_attempt sets it (seed_of)
        started_at=now,
        last_activity_at=now,
    )


def _pretest_plan(
    session: Session, attempt: Attempt, competencies: Sequence[Competency], line: frozenset[str]
) -> dict[str, Any] | None:
    """The placement's unscored pretest questions: the program's share, or the default."""
    program_id = attempt.config.get("program_id")
    program = session.get(Program, program_id) if program_id else None
    chosen = (program.placement or {}).get("pretest_share") if program else None
    share = pretest.PRETEST_SHARE if chosen is None else float(chosen)
    capacity = sum(int(r["max_items"]) for r in attempt.config["rules"].values())
    return pretest.plan(session, competencies, line, attempt.seed, share, capacity)


def seed_of(seed: SeedSource) -> int:
    """The attempt seed: the given integer, a draw from the given generator, else a secret one."""
    if seed is None:
        return secrets.randbelow(SEED_BOUND)
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(SEED_BOUND))
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < SEED_BOUND:
        raise QuizError(
            f"seed must be an integer in [0, {SEED_BOUND}) or a generator, got {seed!r}"
        )
    return seed


def _check_start(kind: str, competencies: Sequence[Competency]) -> None:
    """A quiz of a known kind over at least one competency (a checkpoint: exactly one)."""
    if kind not in KINDS:
        raise QuizError(f"kind must be one of {KINDS}, got {kind!r}")
    if kind == "checkpoint" and len(competencies) != 1:
        raise QuizError("a checkpoint measures one competency")
    if not competencies:
        raise QuizError("a quiz needs at least one competency")


def _launch(
    session: Session,
    attempt_id: int,
    snapshot: BankSnapshot,
    competencies: Sequence[Competency],
    now: datetime,
) -> Attempt:
    """The inserted attempt: its launch recorded, its enrollment started, its first step chosen."""
    attempt = session.get(Attempt, attempt_id)
    assert attempt is not None
    events.record(
        session,
        "launched",
        attempt.learner_id,
        key=("attempt", attempt.uid),
        enrollment_id=attempt.enrollment_id,
        attempt_id=attempt_id,
        result={"kind": attempt.kind, "competencies": [c.slug for c in competencies]},
        occurred_at=now,
    )
    events.touch_enrollment(session, attempt.enrollment_id, now)
    count_session(session, attempt.competency_ids)
    advance(session, attempt, snapshot, [], now)
    return attempt


def scope_of(competency_ids: Sequence[int], enrollment_id: int | None) -> str:
    """What an attempt measures, as one indexable string: enrollment and sorted competency ids."""
    competencies = ",".join(str(i) for i in sorted(competency_ids))
    return f"{enrollment_id if enrollment_id is not None else '-'}:{competencies}"


def _active_in_scope(session: Session, learner_id: int, kind: str, scope: str) -> Attempt | None:
    """The learner's active attempt of this kind and scope (there is at most one)."""
    return session.exec(
        select(Attempt).where(
            Attempt.learner_id == learner_id,
            Attempt.kind == kind,
            Attempt.scope == scope,
            Attempt.status == "active",
        )
    ).first()


def _insert_unless_active(session: Session, attempt: Attempt) -> int | None:
    """Insert the attempt and return its id; None if its learner has an active one in its scope.

    ON CONFLICT DO NOTHING on the partial unique index rather than catching the IntegrityError:
    the transaction stays usable on PostgreSQL, and SQLite needs no savepoint (pysqlite's
    release the outer transaction). A concurrent insert of the same scope waits for the first
    to commit, then does nothing.
    """
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(Attempt)
        .values(attempt.model_dump(exclude={"id"}))
        .on_conflict_do_nothing(index_elements=ONE_ACTIVE, index_where=ONE_ACTIVE_WHERE)
        .returning(col(Attempt.id))
    )
    found: int | None = session.execute(statement).scalar_one_or_none()
    return found


def active_attempts(session: Session, learner_id: int) -> Sequence[Attempt]:
    """The learner's attempts still running, newest first."""
    return session.exec(
        select(Attempt)
        .where(Attempt.learner_id == learner_id, Attempt.status == "active")
        .order_by(col(Attempt.started_at).desc())
    ).all()


def attempts_of_enrollment(session: Session, enrollment: Enrollment) -> Sequence[Attempt]:
    """The attempts taken for one enrollment (its placements), newest first."""
    return session.exec(
        select(Attempt)
        .where(Attempt.enrollment_id == enrollment.id)
        .order_by(col(Attempt.started_at).desc())
    ).all()
