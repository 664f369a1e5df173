"""Learners' behaviour as segment rules see it: decision-speed and tempo bands, behaviour segments.

Each fact is one grouped query over all learners (or the given ones), so a rule preview over
10,000 learners and a single learner's plan read the same definitions:

- decision speed: the `decision_speed` statistic (geometric mean of answer time over the item's
  typical time, see results.py) once it rests on at least 5 answers;
- tempo: time spent on completed modules over their estimates, summed over all the learner's
  programs (at least one timed completion);
- a ratio ≤ 0.8 is `fast`, ≥ 1.25 `slow`, between `typical`; too little data gives no band;
- segments: `starter` (no module completed and no quiz finished yet), `customizer` (has changed
  their own path: moved, added, dropped, taken back or swapped a module, even if undone since),
  `quiz-leaver` (left a quiz unfinished: an abandoned attempt).
"""

from __future__ import annotations

from collections.abc import Collection
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from learnpath.models import (
    Adjustment,
    Attempt,
    Enrollment,
    LearnerStat,
    Module,
    TrajectoryStep,
)
from learnpath.models.progress import ProfileChange
from learnpath.planning.tempo import MIN_RESPONSES
from learnpath.services.learning.results import DECISION_SPEED

FAST, SLOW = 0.8, 1.25
"""Ratios of actual to typical time at or beyond which a learner is fast or slow."""

PATH_CHANGES = ("move", "add", "drop", "take_waived", "alternative")
"""Adjustment kinds that change which modules a learner takes or their order."""


@dataclass(frozen=True)
class Behaviour:
    """One learner's behaviour facts: bands ('' = too little data) and segments."""

    speed_band: str = ""
    tempo_band: str = ""
    segments: tuple[str, ...] = ()


def band(ratio: float) -> str:
    """The band of a ratio of actual to typical time: fast, typical or slow."""
    if ratio <= FAST:
        return "fast"
    return "slow" if ratio >= SLOW else "typical"


IN_LIMIT = 500
"""Up to this many learners are filtered in SQL (IN); more, and a whole-table scan is cheaper."""


def _among(statement: Any, column: Any, learner_ids: AbstractSet[int]) -> Any:
    """The statement limited to the learners when they are few (callers keep only theirs)."""
    if len(learner_ids) > IN_LIMIT:
        return statement
    return statement.where(col(column).in_(learner_ids))


def speed_bands(session: Session, learner_ids: AbstractSet[int]) -> dict[int, str]:
    """Decision-speed band of each of the learners with enough timed quiz answers."""
    query = select(LearnerStat.learner_id, LearnerStat.value).where(
        LearnerStat.kind == DECISION_SPEED, LearnerStat.n >= MIN_RESPONSES
    )
    rows = session.exec(_among(query, LearnerStat.learner_id, learner_ids)).all()
    return {learner: band(value) for learner, value in rows if learner in learner_ids}


def tempo_bands(session: Session, learner_ids: AbstractSet[int]) -> dict[int, str]:
    """Tempo band of each of the learners with a timed completed module: Σ spent / Σ estimates."""
    query = (
        select(
            Enrollment.learner_id,
            func.sum(TrajectoryStep.time_spent_s),
            func.sum(Module.minutes),
        )
        .join(Enrollment, col(Enrollment.id) == TrajectoryStep.enrollment_id)
        .join(Module, col(Module.id) == TrajectoryStep.module_id)
        .where(TrajectoryStep.status == "completed", TrajectoryStep.time_spent_s > 0)
        .group_by(col(Enrollment.learner_id))
    )
    rows = session.exec(_among(query, Enrollment.learner_id, learner_ids)).all()
    return {
        learner: band(spent / (60 * minutes))
        for learner, spent, minutes in rows
        if minutes and learner in learner_ids
    }


def _learners_with(session: Session, query: Any, column: Any, ids: AbstractSet[int]) -> set[int]:
    return set(session.exec(_among(query.distinct(), column, ids)).all()) & ids


def segments(session: Session, learner_ids: AbstractSet[int]) -> dict[int, tuple[str, ...]]:
    """Behaviour segments of each of the learners in at least one."""
    started = _learners_with(
        session,
        select(Enrollment.learner_id)
        .join(TrajectoryStep, col(TrajectoryStep.enrollment_id) == Enrollment.id)
        .where(TrajectoryStep.status == "completed"),
        Enrollment.learner_id,
        learner_ids,
    )
    started |= _learners_with(
        session,
        select(Attempt.learner_id).where(Attempt.status == "completed"),
        Attempt.learner_id,
        learner_ids,
    )
    members: dict[str, set[int]] = {
        "customizer": _learners_with(
            session,
            select(Enrollment.learner_id)
            .join(Adjustment, col(Adjustment.enrollment_id) == Enrollment.id)
            .where(col(Adjustment.kind).in_(PATH_CHANGES)),
            Enrollment.learner_id,
            learner_ids,
        ),
        "quiz-leaver": _learners_with(
            session,
            select(Attempt.learner_id).where(Attempt.status == "abandoned"),
            Attempt.learner_id,
            learner_ids,
        ),
    }
    out: dict[int, list[str]] = {learner: ["starter"] for learner in learner_ids - started}
    for name, ids in members.items():
        for learner in ids:
            out.setdefault(learner, []).append(name)
    return {learner: tuple(names) for learner, names in out.items()}


def behaviour(session: Session, learner_ids: Collection[int]) -> dict[int, Behaviour]:
    """Bands and segments of the given learners (every one of them gets an entry)."""
    wanted = set(learner_ids)
    speeds = speed_bands(session, wanted)
    tempos = tempo_bands(session, wanted)
    groups = segments(session, wanted)
    return {
        learner: Behaviour(
            speeds.get(learner, ""), tempos.get(learner, ""), groups.get(learner, ())
        )
        for learner in wanted
    }


def pace_chosen(session: Session, learner_id: int) -> bool:
    """Whether the learner set their weekly time in their profile (a rule's pace then yields)."""
    query = select(ProfileChange.id).where(
        ProfileChange.learner_id == learner_id, ProfileChange.setting == "pace"
    )
    return session.exec(query.limit(1)).first() is not None
