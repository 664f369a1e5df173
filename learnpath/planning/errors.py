"""The domain exceptions of the planning core."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .outputs import Refusal


class PlanningError(ValueError):
    """Inconsistent planning input: an unknown module or level, a prerequisite cycle, a bad pace."""


class AdjustmentRefused(ValueError):
    """A learner's adjustment that the program's rules forbid; `refusal` says why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal
