"""Learners' levels under a parameter set: re-scored, or restored from the attempt that set them.

Activating a parameter set (or rolling back to one) changes every reported level of the
competency that has responses behind it, in one pass:

- a level whose attempt was scored with the set being activated (its `Attempt.parameters`
  snapshot names the set) gets back exactly what that attempt reported (θ, SE, band, items,
  time): rolling back to the set a learner was measured with restores their level to the digit;
- any other level is re-scored: EAP under a N(0, 1) prior over the learner's latest answer to
  each item of the competency, with the set's parameters, named by the bands of the attempt's
  program. All learners are scored at once (one matrix product over a θ grid), from two queries.

Levels without responses behind them (imported ones) are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlmodel import Session, col, select

from learnpath.irt import ItemBank
from learnpath.irt.quadrature import (
    MIN_SD_IN_STEPS,
    TAIL_TOLERANCE,
    eap,
    log_likelihood_table,
    posterior_moments,
    prior_grid,
)
from learnpath.models import (
    Attempt,
    Competency,
    CompetencyLevel,
    ItemParameter,
    ItemParameterSet,
    Response,
)
from learnpath.services.learning.results import level_of
from learnpath.vocabulary import utcnow

DECIMALS = 3  # as an attempt's results keep θ and SE


@dataclass(frozen=True)
class Scored:
    """A learner's level as it is now and as it would be under the set."""

    level: CompetencyLevel
    theta: float
    se: float
    band: str
    n_items: int
    updated_at: datetime
    restored: bool  # from the attempt scored with this set, rather than re-scored

    @property
    def band_changes(self) -> bool:
        """Whether the learner's named band would change."""
        return self.band != self.level.level


def eap_scores(
    parameters: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], answers: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """EAP θ̂ and posterior SD of every row of `answers` (1, 0 or NaN per item), N(0, 1) prior.

    One pass on the default grid for all rows; the rare rows whose posterior that grid does not
    cover well enough are integrated again one by one as `irt.quadrature.eap` does.
    """
    a, b, c, d = parameters
    bank = ItemBank(a=a, b=b, c=c, d=d)
    grid = prior_grid(0.0, 1.0)
    table = log_likelihood_table(bank, grid.points)  # rows: items wrong, then items right
    n = len(a)
    right = np.nan_to_num(answers, nan=0.0)
    wrong = np.where(np.isnan(answers), 0.0, 1.0 - answers)
    log_lik = wrong @ table[:n] + right @ table[n:]
    mean, sd, tail = posterior_moments(grid.log_prior + log_lik, grid)
    mean, sd = np.array(mean), np.array(sd)
    for k in np.flatnonzero((tail > TAIL_TOLERANCE) | (sd < MIN_SD_IN_STEPS * grid.step)):
        seen = np.flatnonzero(~np.isnan(answers[k]))
        mean[k], sd[k] = eap(bank, seen, answers[k, seen].astype(bool))
    return mean, sd


def _parameters(
    session: Session, chosen: ItemParameterSet
) -> tuple[list[int], tuple[np.ndarray, ...]]:
    """Item ids of the set and their a, b, c, d."""
    rows = session.exec(
        select(ItemParameter)
        .where(ItemParameter.parameter_set_id == chosen.id)
        .order_by(col(ItemParameter.item_id))
    ).all()
    columns = (np.array([getattr(p, name) for p in rows], dtype=float) for name in "abcd")
    return [p.item_id for p in rows], tuple(columns)


def _answers(session: Session, competency: Competency, items: list[int]) -> dict[int, np.ndarray]:
    """Each learner's latest answer (1/0, NaN if none) to each item, in `items` order."""
    column = {item: k for k, item in enumerate(items)}
    rows = session.exec(
        select(Attempt.learner_id, Response.item_id, Response.correct)
        .join(Attempt, col(Attempt.id) == Response.attempt_id)
        .where(Response.competency_id == competency.id)
        .order_by(col(Response.id))
    ).all()
    out: dict[int, np.ndarray] = {}
    for learner, item, correct in rows:
        if item in column:
            out.setdefault(learner, np.full(len(items), np.nan))[column[item]] = float(correct)
    return out


@dataclass(frozen=True)
class Source:
    """What a level's attempt keeps about this competency (read as JSON paths, not whole rows)."""

    set_id: int | None  # the parameter set it was scored with
    reported: dict[str, Any] | None  # its results for the competency
    bands: dict[str, float] | None  # its program's level bands
    finished_at: datetime | None


def _sources(session: Session, competency: Competency) -> dict[int, Source]:
    """Per attempt behind a level of the competency, what it kept (one query)."""
    slug = competency.slug
    # Five columns are past sqlmodel's select overloads (as in services/integration/loaders.py).
    rows = session.exec(
        select(  # type: ignore[call-overload]
            Attempt.id,
            col(Attempt.parameters)[("parameter_sets", slug, "id")].as_integer(),
            col(Attempt.results)[("competencies", slug)],
            col(Attempt.config)["bands"],
            Attempt.finished_at,
        )
        .join(CompetencyLevel, col(CompetencyLevel.attempt_id) == Attempt.id)
        .where(CompetencyLevel.competency_id == competency.id)
    ).all()
    return {int(i or 0): Source(s, r, b, f) for i, s, r, b, f in rows}


def plan(session: Session, competency: Competency, chosen: ItemParameterSet) -> list[Scored]:
    """Every learner's level with responses behind it, as it would be under `chosen`."""
    items, parameters = _parameters(session, chosen)
    answers = _answers(session, competency, items)
    every = session.exec(
        select(CompetencyLevel)
        .where(CompetencyLevel.competency_id == competency.id)
        .order_by(col(CompetencyLevel.learner_id))
    ).all()
    levels = [level for level in every if level.learner_id in answers]
    if not levels:
        return []
    sources = _sources(session, competency)
    matrix = np.vstack([answers[lv.learner_id] for lv in levels])
    theta, se = eap_scores(parameters, matrix)  # type: ignore[arg-type]
    now, out = utcnow(), []
    for k, level in enumerate(levels):
        source = sources.get(level.attempt_id or 0)
        kept = _restored(level, source, chosen)
        if kept is None:
            bands = source.bands if source else None
            value = round(float(theta[k]), DECIMALS)
            count = int(np.count_nonzero(~np.isnan(matrix[k])))
            band = level_of(value, bands)
            kept = Scored(level, value, round(float(se[k]), DECIMALS), band, count, now, False)
        out.append(kept)
    return out


def _restored(
    level: CompetencyLevel, source: Source | None, chosen: ItemParameterSet
) -> Scored | None:
    """The level exactly as its attempt reported it, if that attempt was scored with `chosen`."""
    if source is None or source.set_id != chosen.id or source.reported is None:
        return None
    kept = source.reported
    finished = source.finished_at or level.updated_at
    theta, se, band, n_items = kept["theta"], kept["se"], kept["level"], kept["n_items"]
    return Scored(level, theta, se, band, n_items, finished, True)


def apply(session: Session, planned: list[Scored]) -> int:
    """Write the planned levels; the number of learners whose band changed."""
    changed = sum(1 for each in planned if each.band_changes)
    for each in planned:
        level = each.level
        level.theta, level.se, level.level = each.theta, each.se, each.band
        level.n_items, level.updated_at = each.n_items, each.updated_at
        session.add(level)
    session.flush()
    return changed
