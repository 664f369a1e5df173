"""Learners measured in a competency, as finished quizzes leave them: attempts, answers, levels.

Each learner has one finished placement scored with the competency's active parameter set (its
snapshot names the set), the answers to every planted item (a simulated 2PL), and the level the
attempt reported (θ, SE and band rounded as `results.summarize` keeps them).
"""

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from sqlmodel import Session, col, select

from learnpath.calibration.simulate import simulate_2pl
from learnpath.models import Attempt, Competency, CompetencyLevel, Item, ItemParameterSet, Response
from learnpath.models.base import pk
from learnpath.services.catalog.banks import current_parameter_set
from learnpath.services.learning.results import level_of
from learnpath.vocabulary import utcnow
from tests import factories

SLUG = "information-security"


@dataclass
class Planted:
    """The competency, its active set when planted, and the items answered."""

    competency: Competency
    base: ItemParameterSet
    items: list[Item]


def plant(db: Session, persons: int, items: int, seed: int = 5) -> Planted:
    """`persons` learners who answered the competency's first `items` items, with levels."""
    competency = db.exec(select(Competency).where(Competency.slug == SLUG)).one()
    base = current_parameter_set(db, competency)
    chosen = list(
        db.exec(select(Item).where(Item.competency_id == competency.id).order_by(col(Item.slug)))
    )[:items]
    sim = simulate_2pl(persons, items, seed=seed)
    rng = np.random.default_rng(seed)
    start = utcnow() - timedelta(days=1)
    for k, row in enumerate(sim.matrix):
        learner = factories.learner(db, factories.unique("cal"))
        theta, se = round(float(sim.theta[k]), 3), round(float(rng.uniform(0.3, 0.5)), 3)
        state = {"theta": theta, "se": se, "level": level_of(theta, {}), "n_items": items}
        attempt = Attempt(
            uid=factories.unique("attempt"),
            learner_id=pk(learner),
            status="completed",
            competency_ids=[pk(competency)],
            config={"bands": {}},
            parameters={"parameter_sets": {SLUG: {"id": base.id, "version": base.version}}},
            results={"competencies": {SLUG: state}, "n_items": items, "seconds": 60.0},
            finished_at=start + timedelta(minutes=k),
        )
        db.add(attempt)
        db.flush()
        for step, (item, correct) in enumerate(zip(chosen, row, strict=True)):
            db.add(_answer(attempt, step, item, bool(correct)))
        level = CompetencyLevel(learner_id=pk(learner), competency_id=pk(competency), **state)
        level.attempt_id, level.updated_at = pk(attempt), attempt.finished_at or start
        db.add(level)
    db.flush()
    return Planted(competency, base, chosen)


def _answer(attempt: Attempt, step: int, item: Item, correct: bool) -> Response:
    return Response(
        attempt_id=pk(attempt),
        step=step,
        item_id=pk(item),
        competency_id=item.competency_id,
        selected=[],
        correct=correct,
        shown_at=utcnow(),
        response_ms=10_000,
    )


def levels(db: Session, competency: Competency) -> dict[int, tuple[object, ...]]:
    """Every learner's reported level in the competency, all its columns."""
    db.expire_all()
    rows = db.exec(
        select(CompetencyLevel).where(CompetencyLevel.competency_id == competency.id)
    ).all()
    return {
        r.learner_id: (r.theta, r.se, r.level, r.n_items, r.attempt_id, r.updated_at) for r in rows
    }
