"""Feedback after a quiz: the review of each question, and whether a program shows it.

A review lists every question of a finished attempt with the learner's answer, the right answer
and the item's explanation. Programs choose per quiz kind whether their learners see it (the
`review` part of a program's quiz configuration, `Program.placement`); by default checks and
checkpoints show it and placements do not. An attempt stores the choice it started under, and
a review is never shown while its attempt is still running.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from learnpath.models import Attempt, Item
from learnpath.models import Response as Answer

DEFAULT_REVIEW: Mapping[str, bool] = {"placement": False, "check": True, "checkpoint": True}
"""Which quiz kinds show a review when the program's configuration says nothing."""


@dataclass(frozen=True)
class Reviewed:
    """One question of the attempt as the review shows it."""

    number: int
    stem: str
    options: list[tuple[str, bool, bool]]  # text, chosen by the learner, right
    correct: bool
    explanation: str


def review_setting(placement: Mapping[str, Any] | None, kind: str) -> bool:
    """Whether a program with this quiz configuration shows the review of a quiz of `kind`."""
    chosen = dict((placement or {}).get("review") or {})
    return bool(chosen.get(kind, DEFAULT_REVIEW.get(kind, False)))


def offers_review(attempt: Attempt) -> bool:
    """A finished attempt whose program lets its learner review the answers."""
    if attempt.status == "active" or attempt.results is None:
        return False
    stored = attempt.config.get("review")
    return bool(DEFAULT_REVIEW.get(attempt.kind, False) if stored is None else stored)


def review(session: Session, attempt: Attempt) -> list[Reviewed]:
    """Every answered question of the attempt, in the order asked."""
    answers = session.exec(
        select(Answer).where(Answer.attempt_id == attempt.id).order_by(col(Answer.step))
    ).all()
    ids = [a.item_id for a in answers]
    items = {i.id: i for i in session.exec(select(Item).where(col(Item.id).in_(ids))).all()}
    out = []
    for n, answer in enumerate(answers, start=1):
        item = items[answer.item_id]
        chosen = set(answer.selected)
        options = [
            (str(o["text"]), str(o["key"]) in chosen, bool(o.get("correct"))) for o in item.options
        ]
        out.append(Reviewed(n, item.stem, options, answer.correct, item.explanation))
    return out
