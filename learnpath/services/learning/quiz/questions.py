"""Serving a quiz step: the question as the learner sees it, and the clock of its page."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col

from learnpath.models import Attempt, Item
from learnpath.services.learning import results
from learnpath.vocabulary import aware, utcnow

# A Resume this long after a question's clock started restarts the clock. It equals the longest
# time that counts as a decision, so an earlier Resume never shortens a counted one.
RESUME_GAP = timedelta(milliseconds=results.MAX_DECISION_MS)


class QuizError(ValueError):
    """A quiz cannot be started or answered as asked (the message says why)."""


@dataclass(frozen=True)
class Question:
    """The current step of an attempt as the learner sees it: no key, no parameters."""

    attempt: Attempt
    step: int
    item: Item
    options: list[tuple[str, str]]
    progress: list[results.Precision]


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
    """Start the current step's clock as its page is about to be served; True if it (re)started.

    Rule: a step is chosen with no clock (shown_at NULL). The request that leads to its page
    stamps shown_at right before redirecting there: the Start, or the answer to the step
    before (pages never write, so not the page itself). A Resume of the quiz (also a POST)
    within RESUME_GAP (5 min) of the stamp keeps it, so it cannot shorten a time that counts as
    a decision; a later one is a resume after a break, a logout or a closed tab: the clock
    restarts, since the old time would only be discarded as an interruption, and it counts as
    activity for the idle limit. The stamp is a conditional UPDATE on the same step of an active
    attempt, so it never touches a step already answered.
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
