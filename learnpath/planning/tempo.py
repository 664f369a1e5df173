"""The learner's tempo: a bounded factor on the authors' time estimates, with its explanation."""

from __future__ import annotations

import math
from statistics import median

from .inputs import Learner, ModuleInfo
from .outputs import Tempo

QUIZ_BOUNDS = (0.8, 1.25)
"""Quiz speed is a weak proxy for study speed: its square root is used, within these bounds."""

MIN_RESPONSES = 5
"""Fewer timed quiz answers than this say nothing about decision speed."""


def _clamp(x: float, bounds: tuple[float, float]) -> float:
    return min(max(x, bounds[0]), bounds[1])


def tempo(learner: Learner, catalog: dict[str, ModuleInfo], bounds: tuple[float, float]) -> Tempo:
    """Median actual/estimated time of completed modules, else quiz decision speed, else 1."""
    ratios = [
        c.minutes_spent / catalog[c.module].minutes
        for c in learner.completed
        if c.minutes_spent and c.module in catalog and catalog[c.module].minutes > 0
    ]
    if ratios:
        return _from_modules(ratios, bounds)
    return _from_quizzes(learner)


def _from_modules(ratios: list[float], bounds: tuple[float, float]) -> Tempo:
    """The bounded median of actual / estimated minutes over completed modules."""
    raw = median(ratios)
    factor = round(_clamp(raw, bounds), 2)
    return Tempo(
        factor,
        "modules",
        f"you took {raw:.2f}× the estimated time over {len(ratios)} completed module(s) "
        f"(median); planned times use {factor:.2f}× (bounded to {bounds[0]}–{bounds[1]}×)",
    )


def _from_quizzes(learner: Learner) -> Tempo:
    """The bounded square root of the median quiz time / typical item time, if enough answers."""
    speeds = [
        r.seconds / r.typical_seconds
        for r in learner.response_times
        if r.seconds > 0 and r.typical_seconds > 0
    ]
    if len(speeds) >= MIN_RESPONSES:
        raw = median(speeds)
        factor = round(_clamp(math.sqrt(raw), QUIZ_BOUNDS), 2)
        return Tempo(
            factor,
            "quizzes",
            f"no module done yet; in quizzes you answer in {raw:.2f}× an item's typical time "
            f"(median of {len(speeds)}); planned times use {factor:.2f}× (square root, "
            f"bounded to {QUIZ_BOUNDS[0]}–{QUIZ_BOUNDS[1]}×)",
        )
    return Tempo(1.0, "default", "no timing data yet: planned times are the authors' estimates")


def planned_minutes(minutes: int, factor: float) -> int:
    """Estimated minutes scaled by the tempo factor, rounded half up, at least 1 if any."""
    return 0 if minutes == 0 else max(1, math.floor(minutes * factor + 0.5))
