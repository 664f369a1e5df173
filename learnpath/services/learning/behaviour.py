"""Learners' behaviour as segment rules see it: decision-speed and tempo bands, behaviour segments.

Each fact is defined once, as SQL over the learner's records, and used two ways: read for some
learners (a plan's inputs) or as a filter over all of them (a rule preview over 10,000 learners).
So a preview and a plan cannot disagree.

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

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from learnpath.models import (
    Adjustment,
    Attempt,
    Enrollment,
    Learner,
    LearnerStat,
    Module,
    TrajectoryStep,
)
from learnpath.models.progress import ProfileChange
from learnpath.planning.inputs import BEHAVIOURS
from learnpath.planning.tempo import MIN_RESPONSES
from learnpath.services.learning.results import DECISION_SPEED

PATH_CHANGES = ("move", "add", "drop", "take_waived", "alternative")
"""Adjustment kinds that change which modules a learner takes or their order."""

IN_LIMIT = 500
"""Up to this many learners are read with an IN list; more, and reading everyone is cheaper."""


@dataclass(frozen=True)
class Behaviour:
    """One learner's behaviour facts: bands ('' = too little data) and segments."""

    speed_band: str = ""
    tempo_band: str = ""
    segments: tuple[str, ...] = ()


def band(numerator: Any, denominator: Any) -> Any:
    """The band of the ratio numerator/denominator: ≤ 0.8 fast, ≥ 1.25 slow, else typical.

    Written as products (n·5 ≤ d·4, n·4 ≥ d·5) so integer sums compare exactly in SQL.
    """
    return case(
        (numerator * 5 <= denominator * 4, literal("fast")),
        (numerator * 4 >= denominator * 5, literal("slow")),
        else_=literal("typical"),
    )


def speed_band(value: float, n: int) -> str:
    """The band of a decision-speed statistic as `_speeds` reads it ('' on too few answers)."""
    if n < MIN_RESPONSES:
        return ""
    return "fast" if value * 5 <= 4 else "slow" if value * 4 >= 5 else "typical"


Among = Callable[[Any], ColumnElement[bool]] | None
"""A filter on a learner-id column, applied inside a query (before grouping), or None: all."""


def _limited(query: Any, column: Any, among: Among) -> Any:
    return query if among is None else query.where(among(column))


def _speeds(among: Among = None) -> Any:
    """(learner_id, band) of learners with enough timed quiz answers."""
    query: Any = select(
        col(LearnerStat.learner_id).label("learner_id"), band(LearnerStat.value, 1).label("band")
    ).where(LearnerStat.kind == DECISION_SPEED, LearnerStat.n >= MIN_RESPONSES)
    return _limited(query, LearnerStat.learner_id, among)


def _tempos(among: Among = None) -> Any:
    """(learner_id, band) of learners with a timed completed module: Σ spent / Σ estimates."""
    spent, planned = func.sum(TrajectoryStep.time_spent_s), func.sum(Module.minutes) * 60
    query: Any = (
        select(col(Enrollment.learner_id).label("learner_id"), band(spent, planned).label("band"))
        .join(TrajectoryStep, col(TrajectoryStep.enrollment_id) == Enrollment.id)
        .join(Module, col(Module.id) == TrajectoryStep.module_id)
        .where(TrajectoryStep.status == "completed", TrajectoryStep.time_spent_s > 0)
    )
    return _limited(query, Enrollment.learner_id, among).group_by(col(Enrollment.learner_id))


def _members(segment: str, among: Among = None) -> Any:
    """The ids of the learners in a behaviour segment."""
    if segment == "starter":
        people = aliased(Learner)
        completed = (
            select(TrajectoryStep.id)
            .join(Enrollment, col(Enrollment.id) == TrajectoryStep.enrollment_id)
            .where(Enrollment.learner_id == people.id, TrajectoryStep.status == "completed")
        )
        finished = select(Attempt.id).where(
            Attempt.learner_id == people.id, Attempt.status == "completed"
        )
        query = select(people.id).where(~completed.exists(), ~finished.exists())
        return _limited(query, people.id, among)
    if segment == "customizer":
        query = (
            select(Enrollment.learner_id)
            .join(Adjustment, col(Adjustment.enrollment_id) == Enrollment.id)
            .where(col(Adjustment.kind).in_(PATH_CHANGES))
        )
        return _limited(query, Enrollment.learner_id, among)
    if segment == "quiz-leaver":
        query = select(Attempt.learner_id).where(Attempt.status == "abandoned")
        return _limited(query, Attempt.learner_id, among)
    raise ValueError(f"unknown behaviour segment '{segment}'")


def clauses(
    speeds: Sequence[str], tempos: Sequence[str], segments: Sequence[str]
) -> list[ColumnElement[bool]]:
    """Filters on Learner.id: band among `speeds`, among `tempos`, in any of `segments`."""
    out: list[ColumnElement[bool]] = []
    for wanted, bands in ((speeds, _speeds()), (tempos, _tempos())):
        if wanted:
            sub = bands.subquery()
            out.append(col(Learner.id).in_(select(sub.c.learner_id).where(sub.c.band.in_(wanted))))
    if segments:
        out.append(or_(*(col(Learner.id).in_(_members(s)) for s in segments)))
    return out


def behaviour(session: Session, learner_ids: Collection[int]) -> dict[int, Behaviour]:
    """Bands and segments of the given learners (every one of them gets an entry).

    A few learners are filtered inside each query; many are read whole and kept in Python.
    """
    ids = set(learner_ids)
    among: Among = (lambda column: column.in_(ids)) if len(ids) <= IN_LIMIT else None
    connection = session.connection()
    speeds = {r[0]: r[1] for r in connection.execute(_speeds(among)) if r[0] in ids}
    tempos = {r[0]: r[1] for r in connection.execute(_tempos(among)) if r[0] in ids}
    members: dict[int, list[str]] = {}
    for segment in BEHAVIOURS:
        for (learner,) in connection.execute(_members(segment, among).distinct()):
            if learner in ids:
                members.setdefault(learner, []).append(segment)
    return {
        learner: Behaviour(
            speeds.get(learner, ""), tempos.get(learner, ""), tuple(members.get(learner, ()))
        )
        for learner in ids
    }


def pace_chosen(session: Session, learner_id: int) -> bool:
    """Whether the learner set their weekly time in their profile (a rule's pace then yields)."""
    query = select(ProfileChange.id).where(
        ProfileChange.learner_id == learner_id, ProfileChange.setting == "pace"
    )
    return session.exec(query.limit(1)).first() is not None
