"""Level bands on the θ scale (logits), the learner's level, gaps and the test-out rule."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from learnpath.vocabulary import DEFAULT_LEVEL_BANDS, LEVELS

from .errors import PlanningError
from .inputs import LevelEstimate

_INDEX: dict[str, int] = {name: i for i, name in enumerate(LEVELS)}


def level_index(level: str) -> int:
    """Position of a named level in LEVELS (novice 0 … expert 4)."""
    try:
        return _INDEX[level]
    except KeyError:
        raise PlanningError(f"unknown level '{level}' (expected one of {LEVELS})") from None


@dataclass(frozen=True)
class Bands:
    """Lower θ bounds of developing … expert; novice has none."""

    bounds: tuple[float, ...]

    @classmethod
    def of(cls, overrides: Mapping[str, float] | None) -> Bands:
        """The default bands with a program's overrides, checked to increase."""
        full = {**DEFAULT_LEVEL_BANDS, **(overrides or {})}
        if LEVELS[0] in full or set(full) != set(LEVELS[1:]):
            raise PlanningError(f"level bands name {sorted(full)}; expected {list(LEVELS[1:])}")
        bounds = tuple(float(full[name]) for name in LEVELS[1:])
        if any(lo >= hi for lo, hi in pairwise(bounds)):
            raise PlanningError("level bands must increase from developing to expert")
        return cls(bounds)

    def level_of(self, estimate: LevelEstimate | None) -> int:
        """Band index of the point estimate θ; novice (0) when not assessed."""
        return 0 if estimate is None else bisect_right(self.bounds, estimate.theta)

    def threshold(self, level: int) -> float:
        """Lower bound a learner must clear to have mastered a module of this level.

        A novice module has no band of its own to clear, so it uses developing's bound: the
        learner must be confidently past the novice band to skip an introduction.
        """
        return self.bounds[max(level, 1) - 1]
