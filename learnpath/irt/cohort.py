"""Lock-step EAP CAT sessions (θ in logits): rows of (sessions × grid), (sessions × items) arrays.

Each response adds log P(u | θ) of the item to the session's log posterior on the grid; θ̂ and
SE are its mean and SD. Selection and stopping are the web step's functions (select_items,
stop_reasons), so a simulated session takes the same decisions as a real one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from .bank import IntArray, ItemBank
from .config import CatConfig, ExposureState
from .models import FloatArray, probability
from .quadrature import (
    MIN_SD_IN_STEPS,
    TAIL_TOLERANCE,
    Grid,
    eap,
    log_likelihood_table,
    make_grid,
    posterior_moments,
    prior_grid,
)
from .selection import NO_ITEM, select_items
from .shortlist import Shortlist, build_shortlist
from .stopping import StopReason, stop_reasons

# Below this many sessions, building the shortlists costs more than it saves.
_SHORTLIST_MIN_RUN = 100


def run_cohorts(
    bank: ItemBank, true: FloatArray, cfg: CatConfig, rng: np.random.Generator, cohort_size: int
) -> tuple[Results, npt.NDArray[np.int64]]:
    """All sessions, `cohort_size` at a time, and how many sessions saw each item."""
    tables = Tables.build(bank, cfg)
    # Shortlists only serve unconstrained selection (no quotas, no exposure ceiling).
    plain = not cfg.quotas and cfg.exposure_ceiling is None and true.size >= _SHORTLIST_MIN_RUN
    shortlist = build_shortlist(bank, cfg.max_items + cfg.top_k + 24) if plain else None
    counts = np.zeros(bank.n_items, dtype=np.int64)
    parts = [
        _run_cohort(
            bank, tables, shortlist, true[start : start + cohort_size], cfg, rng, counts, start
        )
        for start in range(0, true.size, cohort_size)
    ]
    return Results.concatenate(parts), counts


@dataclass(frozen=True, eq=False)
class Tables:
    """Quadrature grid and log P(u | θ) of every item on it: row i = wrong, row n + i = correct."""

    grid: Grid
    log_pq: FloatArray

    @classmethod
    def build(cls, bank: ItemBank, cfg: CatConfig) -> Tables:
        """Tables on the default grid widened by 2 logits, so edge refits are rarer."""
        base = prior_grid(cfg.prior_mean, cfg.prior_sd)
        lo, hi = float(base.points[0]) - 2.0, float(base.points[-1]) + 2.0
        grid = make_grid(cfg.prior_mean, cfg.prior_sd, lo, hi, base.step)
        return cls(grid, log_likelihood_table(bank, grid.points))


@dataclass
class Results:
    """Per-simulee outputs of one cohort, filled in as the sessions advance."""

    theta: FloatArray
    se: FloatArray
    n: IntArray
    items: IntArray
    answers: FloatArray
    reasons: npt.NDArray[np.int8]

    @classmethod
    def concatenate(cls, parts: list[Results]) -> Results:
        """The results of consecutive cohorts as one."""
        return cls(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)))

    @classmethod
    def start(cls, size: int, cfg: CatConfig) -> Results:
        """Everyone at the prior: θ̂ = prior mean, SE = prior SD, nothing administered."""
        return cls(
            theta=np.full(size, cfg.prior_mean),
            se=np.full(size, cfg.prior_sd),
            n=np.zeros(size, dtype=np.intp),
            items=np.full((size, cfg.max_items), NO_ITEM, dtype=np.intp),
            answers=np.full((size, cfg.max_items), np.nan),
            reasons=np.zeros(size, dtype=np.int8),
        )


@dataclass
class _Live:
    """Working arrays of the sessions still running, compacted as sessions stop."""

    rows: IntArray
    log_post: FloatArray
    taken: npt.NDArray[np.bool_]
    theta: FloatArray
    se: FloatArray
    n: IntArray

    @classmethod
    def start(cls, tables: Tables, size: int, n_items: int, cfg: CatConfig) -> _Live:
        """All sessions of a cohort at the prior."""
        return cls(
            rows=np.arange(size),
            log_post=np.tile(tables.grid.log_prior, (size, 1)),
            taken=np.zeros((size, n_items), dtype=bool),
            theta=np.full(size, cfg.prior_mean),
            se=np.full(size, cfg.prior_sd),
            n=np.zeros(size, dtype=np.intp),
        )

    def keep(self, mask: npt.NDArray[np.bool_]) -> None:
        """Drop the sessions where mask is False (one gather per array, only when some stop)."""
        if not mask.all():
            self.rows, self.log_post, self.taken = (
                self.rows[mask],
                self.log_post[mask],
                self.taken[mask],
            )
            self.theta, self.se, self.n = self.theta[mask], self.se[mask], self.n[mask]


def _run_cohort(
    bank: ItemBank,
    tables: Tables,
    shortlist: Shortlist | None,
    true: FloatArray,
    cfg: CatConfig,
    rng: np.random.Generator,
    counts: npt.NDArray[np.int64],
    started: int,
) -> Results:
    """Run one cohort of concurrent sessions to the end; `counts` is updated in place."""
    out, live = Results.start(true.size, cfg), _Live.start(tables, true.size, bank.n_items, cfg)
    uniforms = rng.random((true.size, cfg.max_items))
    for step in range(cfg.max_items):
        reasons = stop_reasons(cfg, live.n, live.se, bank.n_items - live.n)
        out.reasons[live.rows] = reasons
        live.keep(reasons == StopReason.CONTINUE)
        if not live.rows.size:
            return out
        exposure = ExposureState(counts, started + true.size) if cfg.exposure_ceiling else None
        pick = select_items(
            bank, live.theta, live.taken, cfg, rng, exposure, None, shortlist, live.se
        )
        out.reasons[live.rows[pick == NO_ITEM]] = StopReason.EXHAUSTED
        live.keep(pick != NO_ITEM)
        pick = pick[pick != NO_ITEM]
        p = probability(true[live.rows], bank.a[pick], bank.b[pick], bank.c[pick], bank.d[pick])
        _respond(bank, cfg, tables, live, out, pick, uniforms[live.rows, step] < p, step)
        counts += np.bincount(pick, minlength=bank.n_items)
    out.reasons[live.rows] = stop_reasons(cfg, live.n, live.se, bank.n_items - live.n)
    return out


def _respond(
    bank: ItemBank,
    cfg: CatConfig,
    tables: Tables,
    live: _Live,
    out: Results,
    pick: IntArray,
    correct: npt.NDArray[np.bool_],
    step: int,
) -> None:
    """Add one response per live session to its log posterior, update θ̂ and SE (EAP)."""
    live.log_post += tables.log_pq[pick + bank.n_items * correct]
    live.theta, live.se, tail = posterior_moments(live.log_post, tables.grid)
    live.taken[np.arange(pick.size), pick] = True
    live.n += 1
    rows = live.rows
    out.items[rows, step], out.answers[rows, step] = pick, correct
    # Rare posteriors at the grid edge or narrower than the grid step: integrate them as the
    # web step does (eap widens or refines its grid), so simulation and production agree.
    for i in np.flatnonzero(
        (tail > TAIL_TOLERANCE) | (live.se < MIN_SD_IN_STEPS * tables.grid.step)
    ):
        given = out.items[rows[i], : live.n[i]]
        answers = out.answers[rows[i], : live.n[i]] == 1.0
        live.theta[i], live.se[i] = eap(bank, given, answers, cfg.prior_mean, cfg.prior_sd)
    out.theta[rows], out.se[rows], out.n[rows] = live.theta, live.se, live.n
