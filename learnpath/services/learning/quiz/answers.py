"""Answering a quiz step exactly once, and the next step recomputed from the history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import Any

import numpy as np
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from learnpath.irt import CatConfig, ExposureState, PlacementStep, placement_step
from learnpath.models import Attempt, Item
from learnpath.models import Response as Answer
from learnpath.models.base import pk
from learnpath.services.catalog.banks import BankSnapshot
from learnpath.services.learning import events, pretest, results, trajectory
from learnpath.services.learning.quiz.decided import decision_fields, decision_mode
from learnpath.services.learning.quiz.exposure import count_shown, exposure_state
from learnpath.services.learning.quiz.questions import QuizError
from learnpath.vocabulary import aware, utcnow


class Outcome(Enum):
    """What became of a submitted answer."""

    RECORDED = "recorded"
    STALE = "stale"  # that step was already answered (double submit, back button, other tab)
    CLOSED = "closed"  # the attempt is finished or abandoned


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
    if not _claim(session, attempt, step, now):
        return Outcome.STALE
    latest = _response(attempt, step, item, selected, now)
    history = [*responses_of(session, attempt), latest]
    _record_answered(session, attempt, latest)
    advance(session, attempt, BankSnapshot.from_json(attempt.parameters), history, now)
    if replan and attempt.status != "active":
        trajectory.replan_learner(session, attempt.learner_id)
    return Outcome.RECORDED


def _claim(session: Session, attempt: Attempt, step: int, now: datetime) -> bool:
    """Take `step` for this answer with a conditional UPDATE; False if another took it first."""
    claimed = session.execute(
        update(Attempt)
        .where(col(Attempt.id) == attempt.id, col(Attempt.step) == step)
        .where(col(Attempt.status) == "active")
        .values(step=step + 1, last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    # The claim holds the step: nobody else can change this attempt now, so no re-read.
    # The claim wrote these: record them as the stored values, so no second UPDATE repeats them.
    set_committed_value(attempt, "step", step + 1)
    set_committed_value(attempt, "last_activity_at", now)
    return True


def _response(
    attempt: Attempt, step: int, item: Item, selected: Sequence[str], now: datetime
) -> Answer:
    """The response row of a claimed step, timed from when its page was served."""
    # A step whose clock never started (no mark_shown) takes 0 ms, which no speed counts.
    shown_at = aware(attempt.shown_at) if attempt.shown_at is not None else now
    return Answer(
        attempt_id=pk(attempt),
        step=step,
        item_id=pk(item),
        competency_id=item.competency_id,
        selected=sorted(set(selected)),
        correct=is_correct(item, selected),
        shown_at=shown_at,
        answered_at=now,
        response_ms=max(0, round((now - shown_at).total_seconds() * 1000)),
    )


def _record_answered(session: Session, attempt: Attempt, latest: Answer) -> None:
    """The learning event of an answer (new for sure: its step was just claimed)."""
    events.record(
        session,
        "answered",
        attempt.learner_id,
        key=("attempt", attempt.uid, latest.step),
        enrollment_id=attempt.enrollment_id,
        attempt_id=pk(attempt),
        result={
            "item_id": latest.item_id,
            "success": latest.correct,
            "response": latest.selected,
            "duration_ms": latest.response_ms,
        },
        time_spent_s=round(latest.response_ms / 1000),
        occurred_at=latest.answered_at,
        known_new=True,
    )


def is_correct(item: Item, selected: Sequence[str]) -> bool:
    """Dichotomous scoring: right only when the chosen set is exactly the key (IRT needs 0/1)."""
    return set(selected) == {str(o["key"]) for o in item.options if o.get("correct")}


def responses_of(session: Session, attempt: Attempt) -> Sequence[Answer]:
    """The attempt's responses in step order."""
    return session.exec(
        select(Answer).where(Answer.attempt_id == attempt.id).order_by(col(Answer.step))
    ).all()


def advance(
    session: Session,
    attempt: Attempt,
    snapshot: BankSnapshot,
    history: Sequence[Answer],
    now: datetime,
) -> None:
    """Recompute the step from the history (newest answer last, not yet stored) and save it.

    Pretest answers are stored but left out of the computation; a pretest item due at this step
    is shown before the scored item, which the next step then chooses again (same scored history).
    """
    counted = pretest.scored(attempt, history)
    computed = next_step(attempt, snapshot, counted, exposure_state(session, snapshot))
    states: dict[str, dict[str, Any]] = {
        s.competency: {"theta": s.theta, "se": s.se, "n": s.n_items, "stop": s.reason.name}
        | decision_fields(s)
        for s in computed.competencies
    }
    attempt.estimates = [*attempt.estimates, {"step": len(history), "competencies": states}]
    if history and history[-1].item_id not in pretest.unscored_ids(attempt):
        latest = history[-1]
        state = states[snapshot.competencies[snapshot.index_of(latest.item_id)]]
        latest.theta, latest.se = state["theta"], state["se"]
    if history:
        session.add(history[-1])
    if computed.item is None:
        attempt.shown_item_id, attempt.shown_at = None, None
        results.finalize(session, attempt, history, "completed", now)
    else:  # the clock starts when the page is served (mark_shown), not now
        trial = pretest.due(attempt, len(history))
        attempt.shown_item_id = trial if trial is not None else snapshot.item_ids[computed.item]
        attempt.shown_at = None
        count_shown(session, attempt.shown_item_id)  # pretest items too: their use is real
    session.add(attempt)
    session.flush()


def next_step(
    attempt: Attempt,
    snapshot: BankSnapshot,
    history: Sequence[Answer],
    exposure: ExposureState | None = None,
) -> PlacementStep:
    """The pure IRT step on the scored history (items as bank rows, answers as 1/0).

    `exposure` is the stored usage of the bank's items (quiz/exposure.py), which an exposure
    ceiling needs; without it the ceiling does nothing.
    """
    administered = np.array([snapshot.index_of(r.item_id) for r in history], dtype=np.intp)
    answers = np.array([1.0 if r.correct else 0.0 for r in history])
    configs = {slug: CatConfig(**rules) for slug, rules in attempt.config["rules"].items()}
    first = next(iter(configs.values()))
    bank = snapshot.bank()
    return placement_step(
        bank,
        administered,
        answers,
        first,
        seed=attempt.seed,
        step=len(history),
        exposure=exposure,
        configs=configs,
        **decision_mode(bank, attempt.config),
    )
