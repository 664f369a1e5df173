"""Quiz results: finishing an attempt, level bands, learners' levels and decision speed.

A finished attempt keeps per competency θ̂ and SE (logits), the 95% interval θ̂ ± 1.96·SE, the
named level band of θ̂, items used and time taken. Finishing also updates the learner's current
level per competency and the decision-speed statistic the trajectory planner reads.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from learnpath.irt import estimate
from learnpath.models import Attempt, CompetencyLevel, Item, LearnerStat
from learnpath.models import Response as Answer
from learnpath.models.base import pk
from learnpath.planning import Bands, LevelEstimate
from learnpath.services.catalog.banks import BankSnapshot
from learnpath.services.learning import events, pretest
from learnpath.services.learning.settled import decision_summary
from learnpath.vocabulary import LEVELS, aware

Z95 = 1.959964
DECISION_SPEED = "decision_speed"
# Longer than this, the learner was interrupted rather than deciding: not a speed sample.
MAX_DECISION_MS = 5 * 60 * 1000
# An item needs this many answers before its median time counts as its typical time.
MIN_TIMED_ANSWERS = 5
# Before that, typical time = base + reading time of stem and options at about 200 words/min.
BASE_MS, MS_PER_WORD = 5000, 300


@dataclass(frozen=True)
class Precision:
    """Progress of one competency: share of its questions asked, or of the way to the SE target.

    `remaining` is the expected number of questions still to come (decision-mode placements;
    None for older attempts, whose share is the precision gained toward the SE target).
    """

    competency: str
    name: str
    share: float
    n_items: int
    done: bool
    remaining: int | None = None


def full_bands(overrides: Mapping[str, float] | None) -> dict[str, float]:
    """Lower θ bounds of developing … expert: defaults and a program's overrides, as planned."""
    return dict(zip(LEVELS[1:], Bands.of(overrides).bounds, strict=True))


def level_of(theta: float, bands: Mapping[str, float] | None) -> str:
    """Named band of θ (logits) under `bands` merged with the defaults, as the planner names it."""
    return LEVELS[Bands.of(bands).level_of(LevelEstimate(theta, se=0.0))]  # only θ names it


def precision(config: Mapping[str, Any], latest: Mapping[str, Any]) -> list[Precision]:
    """Per competency, the share of its expected questions asked: n / (n + expected remaining).

    Older attempts (no expected remaining stored) show information gained over needed,
    (1/SE² − 1/σ₀²) / (1/t² − 1/σ₀²).
    """
    out = []
    for slug, rules in config["rules"].items():
        state = latest.get(slug, {"se": rules["prior_sd"], "n": 0, "stop": "CONTINUE"})
        done, n = state["stop"] != "CONTINUE", int(state["n"])
        left = state.get("remaining")
        if left is not None:
            left = 0 if done else max(1, round(left))
            share = n / (n + left) if n + left else 1.0
        else:
            prior, target = 1 / rules["prior_sd"] ** 2, 1 / rules["se_target"] ** 2
            gained = 1 / max(state["se"], 1e-9) ** 2 - prior
            share = 1.0 if target <= prior else min(1.0, max(0.0, gained / (target - prior)))
        out.append(Precision(slug, config["names"][slug], share, n, done, left))
    return out


def summarize(attempt: Attempt, history: Sequence[Answer]) -> dict[str, Any]:
    """What a finished attempt keeps: per competency θ̂, SE, interval, level, items and time.

    Items count the scored answers; `unscored_items` the pretest questions also answered (their
    time counts: the learner spent it).
    """
    latest = attempt.estimates[-1]["competencies"] if attempt.estimates else {}
    seconds: dict[int, float] = defaultdict(float)
    for response in history:
        seconds[response.competency_id] += response.response_ms / 1000
    by_slug = {slug: int(i) for slug, i in attempt.config["ids"].items()}
    counted = pretest.scored(attempt, history)
    own = own_evidence(attempt, counted) if attempt.kind == "checkpoint" else {}
    per = {}
    for slug, state in latest.items():
        per[slug] = _summary(state, attempt.config["bands"], seconds[by_slug[slug]])
        per[slug]["name"] = attempt.config["names"][slug]
        if "decisions" in attempt.config:
            confidence = attempt.config["decisions"]["confidence"]
            per[slug]["decisions"] = decision_summary(state, attempt.config["bands"], confidence)
        if slug in own:
            per[slug]["own_theta"], per[slug]["own_se"] = own[slug]
    return {
        "competencies": per,
        "n_items": len(counted),
        "unscored_items": len(history) - len(counted),
        "seconds": round(sum(seconds.values()), 1),
    }


def finalize(
    session: Session, attempt: Attempt, history: Sequence[Answer], status: str, now: datetime
) -> None:
    """Close the attempt with what it reached, update levels and decision speed."""
    attempt.results = summarize(attempt, history)
    for slug, summary in attempt.results["competencies"].items():
        if summary["n_items"] > 0:
            competency_id = int(attempt.config["ids"][slug])
            _set_level(session, attempt, competency_id, summary, status, now)
    attempt.status, attempt.finished_at = status, now
    attempt.shown_item_id, attempt.shown_at = None, None
    session.add(attempt)
    update_decision_speed(session, attempt, history, now)
    _record_finish(session, attempt, now)


def own_evidence(attempt: Attempt, history: Sequence[Answer]) -> dict[str, tuple[float, float]]:
    """Per competency, EAP θ̂ and SE (logits) from this attempt's answers alone, N(0, 1) prior.

    A checkpoint starts from the learner's last estimate, so its θ̂ carries that estimate's
    evidence; this one does not, and is what a pre/post comparison may treat as independent.
    """
    snapshot = BankSnapshot.from_json(attempt.parameters)
    bank = snapshot.bank()
    rows: dict[str, list[Answer]] = defaultdict(list)
    for response in history:
        rows[snapshot.competencies[snapshot.index_of(response.item_id)]].append(response)
    out = {}
    for slug, answers in rows.items():
        items = [snapshot.index_of(r.item_id) for r in answers]
        est = estimate(bank, items, [1.0 if r.correct else 0.0 for r in answers])
        out[slug] = (round(est.theta, 3), round(est.se, 3))
    return out


def _record_finish(session: Session, attempt: Attempt, now: datetime) -> None:
    """The learning event of a finished attempt, and the enrollment records it changes."""
    assert attempt.results is not None
    if attempt.status == "completed":
        events.record(
            session,
            "completed",
            attempt.learner_id,
            key=("attempt", attempt.uid),
            enrollment_id=attempt.enrollment_id,
            attempt_id=pk(attempt),
            result={"kind": attempt.kind, **attempt.results},
            time_spent_s=round(attempt.results["seconds"]),
            occurred_at=now,
        )
    events.touch_enrollment(session, attempt.enrollment_id, now)
    events.touch_learner_enrollments(session, attempt.learner_id, now)


def _summary(
    state: Mapping[str, Any], bands: Mapping[str, float], seconds: float
) -> dict[str, Any]:
    """θ̂, SE, 95% interval, level band, items and seconds of one competency."""
    theta, se = float(state["theta"]), float(state["se"])
    return {
        "theta": round(theta, 3),
        "se": round(se, 3),
        "low": round(theta - Z95 * se, 3),
        "high": round(theta + Z95 * se, 3),
        "level": level_of(theta, bands),
        "n_items": int(state["n"]),
        "seconds": round(seconds, 1),
        "stop": state["stop"],
    }


def _set_level(
    session: Session,
    attempt: Attempt,
    competency_id: int,
    summary: Mapping[str, Any],
    status: str,
    now: datetime,
) -> None:
    """The learner's level becomes this estimate; an abandoned one only if more precise (SE)."""
    level = session.get(CompetencyLevel, (attempt.learner_id, competency_id))
    if not replaces(level, summary, status):
        return
    if level is None:
        level = CompetencyLevel(
            learner_id=attempt.learner_id, competency_id=competency_id, theta=0.0, se=1.0, level=""
        )
    level.theta, level.se, level.level = summary["theta"], summary["se"], summary["level"]
    level.n_items, level.attempt_id, level.updated_at = summary["n_items"], pk(attempt), now
    session.add(level)


def replaces(level: CompetencyLevel | None, summary: Mapping[str, Any], status: str) -> bool:
    """Whether a finished attempt's estimate becomes the learner's level (`finalize`'s rule).

    An abandoned one only if more precise (SE): a few items before the learner left must not
    replace a finished measurement.
    """
    return level is None or status != "abandoned" or summary["se"] < level.se


def update_decision_speed(
    session: Session, attempt: Attempt, history: Sequence[Answer], now: datetime
) -> None:
    """Fold this attempt's times into the learner's geometric-mean ratio to typical item times."""
    folded = folded_speed(session, attempt, history)
    if folded is None:
        return
    stat = session.get(LearnerStat, (attempt.learner_id, DECISION_SPEED))
    if stat is None:
        stat = LearnerStat(learner_id=attempt.learner_id, kind=DECISION_SPEED, value=1.0, n=0)
    stat.value, stat.n = folded
    stat.updated_at = now
    session.add(stat)


def folded_speed(
    session: Session, attempt: Attempt, history: Sequence[Answer]
) -> tuple[float, int] | None:
    """The decision-speed statistic (ratio, answers) once this attempt's times are folded in.

    None when the attempt has no timed answer (the statistic stays as it is). Nothing is written.
    """
    timed = [r for r in history if 0 < r.response_ms <= MAX_DECISION_MS]
    if not timed:
        return None
    typical = typical_times(session, [r.item_id for r in timed], pk(attempt))
    logs = [math.log(r.response_ms / typical[r.item_id]) for r in timed]
    stat = session.get(LearnerStat, (attempt.learner_id, DECISION_SPEED))
    value, n = (stat.value, stat.n) if stat is not None else (1.0, 0)
    total = math.log(value) * n + sum(logs)
    return math.exp(total / (n + len(logs))), n + len(logs)


def typical_times(session: Session, item_ids: Sequence[int], attempt_id: int) -> dict[int, float]:
    """Typical answer time per item (ms): median over other attempts, or a reading estimate."""
    rows = session.exec(
        select(Answer.item_id, Answer.response_ms)
        .where(col(Answer.item_id).in_(set(item_ids)), Answer.attempt_id != attempt_id)
        .where(Answer.response_ms > 0, Answer.response_ms <= MAX_DECISION_MS)
        .order_by(col(Answer.id).desc())
        .limit(200 * len(set(item_ids)))
    ).all()
    samples: dict[int, list[int]] = defaultdict(list)
    for item_id, ms in rows:
        samples[item_id].append(ms)
    typical = {}
    for item in session.exec(select(Item).where(col(Item.id).in_(set(item_ids)))).all():
        times = samples.get(pk(item), [])
        typical[pk(item)] = (
            statistics.median(times) if len(times) >= MIN_TIMED_ANSWERS else reading_ms(item)
        )
    return typical


def reading_ms(item: Item) -> float:
    """A new item's expected answer time: base plus reading its stem and options."""
    words = len(item.stem.split()) + sum(len(str(o["text"]).split()) for o in item.options)
    return BASE_MS + MS_PER_WORD * words


def history(session: Session, learner_id: int) -> Sequence[Attempt]:
    """The learner's attempts, newest first."""
    return session.exec(
        select(Attempt)
        .where(Attempt.learner_id == learner_id)
        .order_by(col(Attempt.started_at).desc(), col(Attempt.id).desc())
    ).all()


@dataclass(frozen=True)
class Visit:
    """One finished attempt's estimate of a competency, and its change from the one before."""

    attempt: Attempt
    theta: float
    se: float
    level: str
    change: float | None
    significant: bool


def comparisons(
    session: Session, attempt: Attempt, pending: Sequence[Attempt] = ()
) -> dict[str, list[Visit]]:
    """Per competency of `attempt`, all finished attempts measuring it, oldest first.

    A change counts as significant when |Δθ| > 1.96·√(SE₁² + SE₂²) for two independent
    estimates. Placements and checks use only their own responses; a checkpoint's θ̂ starts from
    the previous level, so the test uses its own-evidence estimate (`own_theta`, `own_se`).
    `pending` are idle attempts shown as closed before they are (`idle.shown_closed`).
    """
    stored = session.exec(
        select(Attempt)
        .where(Attempt.learner_id == attempt.learner_id, col(Attempt.results).is_not(None))
        .order_by(col(Attempt.started_at), col(Attempt.id))
    ).all()
    finished = sorted([*stored, *pending], key=lambda a: (aware(a.started_at), pk(a)))
    out: dict[str, list[Visit]] = {}
    for slug in (attempt.results or {}).get("competencies", {}):
        visits: list[Visit] = []
        for earlier in finished:
            state = (earlier.results or {}).get("competencies", {}).get(slug)
            if state is None or state["n_items"] == 0:
                continue
            theta, se = float(state["theta"]), float(state["se"])
            change, significant = None, False
            if visits:
                change = theta - visits[-1].theta
                own, own_se = state.get("own_theta", theta), state.get("own_se", se)
                significant = abs(own - visits[-1].theta) > Z95 * math.hypot(own_se, visits[-1].se)
            visits.append(Visit(earlier, theta, se, state["level"], change, significant))
        out[slug] = visits
    return out
