"""Adaptive quizzes: start an attempt, show its current step, record an answer exactly once.

An attempt stores only its history (responses), the bank snapshot and the rules it runs under;
every next step is recomputed from them with `learnpath.irt.placement_step`, so any worker can
serve any step. An answer is bound to the step it was shown for: claiming the step is a
conditional UPDATE (`step = shown step`), so a double submit, a replay, a second tab or two
concurrent workers record exactly one response. A learner has at most one active attempt per
kind and scope (a partial unique index), so two concurrent Starts share one attempt.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

import numpy as np
from sqlalchemy import or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from learnpath.irt import CatConfig, PlacementStep, placement_step
from learnpath.models import Attempt, Competency, Enrollment, Item, Program
from learnpath.models import Response as Answer
from learnpath.models.assessment import ONE_ACTIVE, ONE_ACTIVE_WHERE
from learnpath.models.base import pk
from learnpath.services.catalog.banks import BankSnapshot, load_bank
from learnpath.services.learning import events, results, trajectory
from learnpath.services.learning.quiz_rules import rules_for
from learnpath.vocabulary import aware, utcnow

KINDS = ("placement", "check", "checkpoint")
# A question page served this long after its clock started is a resume, so the clock restarts.
# It equals the longest time that counts as a decision, so a reload never shortens a counted one.
RESUME_GAP = timedelta(milliseconds=results.MAX_DECISION_MS)


class QuizError(ValueError):
    """A quiz cannot be started or answered as asked (the message says why)."""


class Outcome(Enum):
    """What became of a submitted answer."""

    RECORDED = "recorded"
    STALE = "stale"  # that step was already answered (double submit, back button, other tab)
    CLOSED = "closed"  # the attempt is finished or abandoned


@dataclass(frozen=True)
class Question:
    """The current step of an attempt as the learner sees it: no key, no parameters."""

    attempt: Attempt
    step: int
    item: Item
    options: list[tuple[str, str]]
    progress: list[results.Precision]


def start_attempt(
    session: Session,
    learner_id: int,
    kind: str,
    competencies: Sequence[Competency],
    enrollment: Enrollment | None = None,
    now: datetime | None = None,
) -> Attempt:
    """A new attempt, or the learner's active one of the same kind and scope (double start)."""
    if kind not in KINDS:
        raise QuizError(f"kind must be one of {KINDS}, got {kind!r}")
    if kind == "checkpoint" and len(competencies) != 1:
        raise QuizError("a checkpoint measures one competency")
    if not competencies:
        raise QuizError("a quiz needs at least one competency")
    ids = sorted(pk(c) for c in competencies)
    enrollment_id = enrollment.id if enrollment else None
    scope = scope_of(ids, enrollment_id)
    active = _active_in_scope(session, learner_id, kind, scope)
    if active is not None:
        return active
    program = session.get(Program, enrollment.program_id) if enrollment else None
    snapshot = load_bank(session, sorted(competencies, key=pk))
    now = now or utcnow()
    new = Attempt(
        uid=str(uuid.uuid4()),
        learner_id=learner_id,
        enrollment_id=enrollment_id,
        kind=kind,
        scope=scope,
        competency_ids=ids,
        config=rules_for(session, learner_id, kind, competencies, program),
        parameters=snapshot.to_json(),
        seed=secrets.randbelow(2**31),
        started_at=now,
        last_activity_at=now,
    )
    attempt_id = _insert_unless_active(session, new)
    if attempt_id is None:  # a concurrent Start of the same quiz inserted it first
        active = _active_in_scope(session, learner_id, kind, scope)
        if active is None:
            raise QuizError("this quiz was started and closed meanwhile; start it again")
        return active
    attempt = session.get(Attempt, attempt_id)
    assert attempt is not None
    events.record(
        session,
        "launched",
        learner_id,
        key=("attempt", attempt.uid),
        enrollment_id=enrollment_id,
        attempt_id=pk(attempt),
        result={"kind": kind, "competencies": [c.slug for c in competencies]},
        occurred_at=now,
    )
    events.touch_enrollment(session, enrollment_id, now)
    _advance(session, attempt, snapshot, [], now)
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


def current_question(session: Session, attempt: Attempt) -> Question | None:
    """The step the learner is on, or None when the attempt is over."""
    if attempt.status != "active" or attempt.shown_item_id is None:
        return None
    item = session.get(Item, attempt.shown_item_id)
    assert item is not None, "a shown item is never deleted (import only retires items)"
    return Question(
        attempt, attempt.step, item, shuffled_options(attempt, item), precision_of(attempt)
    )


def mark_shown(session: Session, attempt: Attempt, now: datetime | None = None) -> bool:
    """Start the current step's clock as its page is served; True if it was (re)started.

    Rule: a step is chosen with no clock (shown_at NULL); the first GET of its page stamps
    shown_at, so the time measured is the learner's, not the server's. Reloads, Back and a
    stale POST's redirect within RESUME_GAP (5 min) of the stamp keep it, so they cannot shorten
    a time that counts as a decision. A GET later than that is a resume (after a break, a logout
    or a closed tab): the clock restarts, since the old time would only be discarded as an
    interruption, and the view counts as activity for the idle limit. The stamp is a conditional
    UPDATE on the same step of an active attempt, so it never touches a step already answered.
    """
    if attempt.status != "active" or attempt.shown_item_id is None:
        return False
    now = now or utcnow()
    if attempt.shown_at is not None and aware(attempt.shown_at) >= now - RESUME_GAP:
        return False  # a reload: no write
    stamped = session.execute(
        update(Attempt)
        .where(col(Attempt.id) == attempt.id, col(Attempt.step) == attempt.step)
        .where(col(Attempt.status) == "active")
        .where(or_(col(Attempt.shown_at).is_(None), col(Attempt.shown_at) < now - RESUME_GAP))
        .values(shown_at=now, last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    if stamped.rowcount != 1:  # type: ignore[attr-defined]
        return False
    set_committed_value(attempt, "shown_at", now)
    set_committed_value(attempt, "last_activity_at", now)
    return True


def shuffled_options(attempt: Attempt, item: Item) -> list[tuple[str, str]]:
    """(key, text) of the item's options in an order fixed per attempt and item."""
    options = [(str(o["key"]), str(o["text"])) for o in item.options]
    random.Random(f"{attempt.seed}:{item.id}").shuffle(options)
    return options


def precision_of(attempt: Attempt) -> list[results.Precision]:
    """How far each competency's precision has come toward its SE target."""
    latest = attempt.estimates[-1]["competencies"] if attempt.estimates else {}
    return results.precision(attempt.config, latest)


def answer(
    session: Session,
    attempt: Attempt,
    step: int,
    item_id: int,
    selected: Sequence[str],
    now: datetime | None = None,
    replan: bool = True,
) -> Outcome:
    """Record the answer to `step` once; a second answer to any step changes nothing.

    When the answer finishes the attempt, the learner's trajectories are re-planned on the new
    levels, unless `replan` is False because the caller does it after answering (the web view
    re-plans once the response is sent, so the learner does not wait for it).
    """
    if attempt.status != "active":
        return Outcome.CLOSED
    if step != attempt.step or item_id != attempt.shown_item_id:
        return Outcome.STALE
    item = session.get(Item, item_id)
    assert item is not None
    keys = {str(o["key"]) for o in item.options}
    if not selected or not set(selected) <= keys:
        raise QuizError(f"choose among the options of this question, got {sorted(selected)}")
    now = now or utcnow()
    claimed = session.execute(
        update(Attempt)
        .where(col(Attempt.id) == attempt.id, col(Attempt.step) == step)
        .where(col(Attempt.status) == "active")
        .values(step=step + 1, last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return Outcome.STALE
    # The claim holds the step: nobody else can change this attempt now, so no re-read.
    # A step whose page was never served (no mark_shown) takes 0 ms, which no speed counts.
    shown_at = aware(attempt.shown_at) if attempt.shown_at is not None else now
    # The claim wrote these: record them as the stored values, so no second UPDATE repeats them.
    set_committed_value(attempt, "step", step + 1)
    set_committed_value(attempt, "last_activity_at", now)
    latest = Answer(
        attempt_id=pk(attempt),
        step=step,
        item_id=item_id,
        competency_id=item.competency_id,
        selected=sorted(set(selected)),
        correct=is_correct(item, selected),
        shown_at=shown_at,
        answered_at=now,
        response_ms=max(0, round((now - shown_at).total_seconds() * 1000)),
    )
    history = [*responses_of(session, attempt), latest]
    events.record(
        session,
        "answered",
        attempt.learner_id,
        key=("attempt", attempt.uid, step),
        enrollment_id=attempt.enrollment_id,
        attempt_id=pk(attempt),
        result={
            "item_id": item_id,
            "success": latest.correct,
            "response": latest.selected,
            "duration_ms": latest.response_ms,
        },
        time_spent_s=round(latest.response_ms / 1000),
        occurred_at=now,
        known_new=True,
    )
    _advance(session, attempt, BankSnapshot.from_json(attempt.parameters), history, now)
    if replan and attempt.status != "active":
        trajectory.replan_learner(session, attempt.learner_id)
    return Outcome.RECORDED


def is_correct(item: Item, selected: Sequence[str]) -> bool:
    """Dichotomous scoring: right only when the chosen set is exactly the key (IRT needs 0/1)."""
    return set(selected) == {str(o["key"]) for o in item.options if o.get("correct")}


def attempts_of_enrollment(session: Session, enrollment: Enrollment) -> Sequence[Attempt]:
    """The attempts taken for one enrollment (its placements), newest first."""
    return session.exec(
        select(Attempt)
        .where(Attempt.enrollment_id == enrollment.id)
        .order_by(col(Attempt.started_at).desc())
    ).all()


def responses_of(session: Session, attempt: Attempt) -> Sequence[Answer]:
    """The attempt's responses in step order."""
    return session.exec(
        select(Answer).where(Answer.attempt_id == attempt.id).order_by(col(Answer.step))
    ).all()


def _advance(
    session: Session,
    attempt: Attempt,
    snapshot: BankSnapshot,
    history: Sequence[Answer],
    now: datetime,
) -> None:
    """Recompute the step from the history (newest answer last, not yet stored) and save it."""
    computed = next_step(attempt, snapshot, history)
    states: dict[str, dict[str, Any]] = {
        s.competency: {"theta": s.theta, "se": s.se, "n": s.n_items, "stop": s.reason.name}
        for s in computed.competencies
    }
    attempt.estimates = [*attempt.estimates, {"step": len(history), "competencies": states}]
    if history:
        latest = history[-1]
        state = states[snapshot.competencies[snapshot.index_of(latest.item_id)]]
        latest.theta, latest.se = state["theta"], state["se"]
        session.add(latest)
    if computed.item is None:
        attempt.shown_item_id, attempt.shown_at = None, None
        results.finalize(session, attempt, history, "completed", now)
    else:  # the clock starts when the page is served (mark_shown), not now
        attempt.shown_item_id, attempt.shown_at = snapshot.item_ids[computed.item], None
    session.add(attempt)
    session.flush()


def next_step(attempt: Attempt, snapshot: BankSnapshot, history: Sequence[Answer]) -> PlacementStep:
    """The pure IRT step on the stored history (items as bank rows, answers as 1/0)."""
    administered = np.array([snapshot.index_of(r.item_id) for r in history], dtype=np.intp)
    answers = np.array([1.0 if r.correct else 0.0 for r in history])
    configs = {slug: CatConfig(**rules) for slug, rules in attempt.config["rules"].items()}
    first = next(iter(configs.values()))
    return placement_step(
        snapshot.bank(),
        administered,
        answers,
        first,
        seed=attempt.seed,
        step=len(history),
        configs=configs,
    )
