"""What the planner returns: ordered steps with status, reason and date; refusals; the schedule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal, NamedTuple

from .inputs import Adjustment

Status = Literal["planned", "completed", "waived", "excluded"]
TempoSource = Literal["modules", "quizzes", "default"]

REASON_CODES: dict[str, str] = {
    "program": "part of the program's module list (depths 1–4)",
    "mandatory": "mandatory in the program's pool (depth 5)",
    "gap": "the learner's level is below the target for the module's competency",
    "unconfirmed": "level at target, but not confidently enough to test out of this module",
    "rule_include": "a segment rule includes it",
    "rule_mandatory": "a segment rule makes it mandatory",
    "rule_exclude": "a segment rule excludes it",
    "prerequisite": "a planned module requires it",
    "elective": "the learner added it from the pool",
    "taken_anyway": "tested out, but the learner takes it anyway",
    "tested_out": "mastered at the module's level with uncertainty taken into account",
    "completed": "the learner completed it",
    "above_target": "builds a level beyond the learner's target",
    "no_target": "its competency has no target for this learner",
    "alternative": "another format of a module the learner takes",
    "dropped": "the learner dropped this optional module",
}
"""Every machine-readable reason code a step can carry, with what it means."""


@dataclass(frozen=True)
class Reason:
    """Why a step has its status: a machine-readable code and a human sentence."""

    code: str
    text: str


class Step(NamedTuple):
    """One module of the trajectory; planned steps carry a week (1 = first) and a due-by date."""

    # A NamedTuple rather than a frozen dataclass: a plan builds one per pool module, and a
    # frozen dataclass costs about 4 µs each to construct (2 ms of the 10 ms budget at 500).

    module: str
    status: Status
    reason_code: str
    reason_text: str
    mandatory: bool
    position: int
    planned_minutes: int = 0
    planned_week: int | None = None
    planned_date: date | None = None
    completed_on: date | None = None


@dataclass(frozen=True)
class Refusal:
    """An adjustment that was not applied: a machine-readable code and a human reason."""

    adjustment: Adjustment
    code: str
    message: str


@dataclass(frozen=True)
class Tempo:
    """The factor on the authors' time estimates, where it comes from, and why."""

    factor: float
    source: TempoSource
    explanation: str


@dataclass(frozen=True)
class Plan:
    """A learner's trajectory: completed, then planned in order, then waived, then excluded.

    `blocked_by` maps a planned module to the planned modules it waits for: for each of its
    prerequisite groups, the format that stands for the group, while that one is still planned.
    """

    steps: tuple[Step, ...]
    pace_minutes_per_week: int
    due: date | None
    finish: date | None
    feasible: bool
    required_pace: int | None
    tempo: Tempo
    applied: tuple[Adjustment, ...]
    refused: tuple[Refusal, ...]
    notes: tuple[str, ...]
    summary: str
    blocked_by: Mapping[str, tuple[str, ...]]
    warnings: tuple[str, ...] = ()  # the notes meant for authors: prerequisites a program lacks

    @property
    def learner_notes(self) -> tuple[str, ...]:
        """The notes a learner reads: every note but the authors' warnings."""
        return tuple(n for n in self.notes if n not in self.warnings)

    def step(self, module: str) -> Step:
        """The step of a module (KeyError when the module is not in the plan)."""
        for s in self.steps:
            if s.module == module:
                return s
        raise KeyError(module)

    def modules(self, status: Status) -> list[str]:
        """The modules with a status, in plan order."""
        return [s.module for s in self.steps if s.status == status]

    @property
    def planned(self) -> list[str]:
        """The planned modules in the order they are to be taken."""
        return self.modules("planned")

    @property
    def planned_minutes(self) -> int:
        """Total planned study time in minutes (tempo applied)."""
        return sum(s.planned_minutes for s in self.steps if s.status == "planned")
