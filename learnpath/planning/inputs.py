"""What the planner is given: program, module catalog, learner, levels, adjustments (plain data)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from statistics import NormalDist
from types import MappingProxyType
from typing import Literal, get_args

from learnpath.vocabulary import Depth

TEST_OUT_Z = 1.645
"""One-sided 95 % normal quantile: tested out when θ − z·SE ≥ the module level's lower bound."""

SpeedBand = Literal["fast", "typical", "slow"]
SPEED_BANDS: tuple[SpeedBand, ...] = get_args(SpeedBand)
"""Bands of decision speed and tempo, from a learner's ratio of actual to typical time."""

Behaviour = Literal["starter", "customizer", "quiz-leaver"]
BEHAVIOURS: tuple[Behaviour, ...] = get_args(Behaviour)
"""Behaviour segments a learner can be in (the service decides membership from their records)."""

ModuleAction = Literal["include", "exclude", "mandatory", "optional"]
MODULE_ACTIONS: tuple[ModuleAction, ...] = get_args(ModuleAction)
"""Rule actions on named modules; `prefer_format` and `pace` set a preference instead."""
RuleAction = Literal[ModuleAction, "prefer_format", "pace"]
AdjustmentKind = Literal["move", "add", "take_waived", "drop", "alternative", "pace", "due_date"]
RULE_ACTIONS: tuple[RuleAction, ...] = get_args(RuleAction)
ADJUSTMENT_KINDS: tuple[AdjustmentKind, ...] = get_args(AdjustmentKind)

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class ModuleInfo:
    """A catalog module as the planner sees it; `minutes` is the author's time estimate."""

    id: str
    competency: str
    level: str
    minutes: int
    title: str = ""
    format: str = "reading"
    prerequisites: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    alternative_of: str | None = None

    @property
    def name(self) -> str:
        """The title for human sentences, the id when there is none."""
        return self.title or self.id


@dataclass(frozen=True)
class PoolEntry:
    """A module of the program's list (depths 1–4, derivations resolved) or pool (depth 5)."""

    module: str
    mandatory: bool = False


@dataclass(frozen=True)
class Target:
    """Target level of a competency at depth 5; `roles` override `default` for those roles."""

    competency: str
    default: str
    roles: Mapping[str, str] = field(default_factory=lambda: _EMPTY)

    def level_for(self, role: str) -> str:
        """The target level for a learner of this role."""
        return self.roles.get(role, self.default)


@dataclass(frozen=True)
class Condition:
    """When a rule applies: every non-empty field must hold, each by any one of its values.

    `below` / `at_least`: the learner's level in each named competency is below / at least the
    given level; `decision_speed`, `tempo`: bands of SPEED_BANDS; `behaviour`: of BEHAVIOURS.
    """

    roles: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    below: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    at_least: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    decision_speed: tuple[str, ...] = ()
    tempo: tuple[str, ...] = ()
    behaviour: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A segment rule as data: when `when` holds, `then` acts on `modules` (in rule order).

    `prefer_format` names a `format` preferred among a module's formats; `pace` sets the weekly
    minutes a plan starts from. Neither names modules.
    """

    name: str
    when: Condition
    then: RuleAction
    modules: tuple[str, ...] = ()
    format: str | None = None
    pace_minutes_per_week: int | None = None


@dataclass(frozen=True)
class Program:
    """One program version: depth 1–5, its module list or pool, and at depth 5 targets and rules."""

    id: str
    version: int
    depth: int
    modules: tuple[PoolEntry, ...]
    targets: tuple[Target, ...] = ()
    rules: tuple[Rule, ...] = ()
    level_bands: Mapping[str, float] | None = None
    # The placement's `waiver_confidence`: Tested Out when P(θ ≥ the level's bound) reaches it
    # (z = Φ⁻¹(confidence)); None: the input's test_out_z (95 %).
    waiver_confidence: float | None = None

    @property
    def personal(self) -> bool:
        """Depth 5: targets and rules shape a pool per learner (depths 1–4 follow the list)."""
        return self.depth == Depth.PERSONAL


@dataclass(frozen=True)
class LevelEstimate:
    """A learner's ability on one competency: EAP θ and its standard error, in logits."""

    theta: float
    se: float


@dataclass(frozen=True)
class Completion:
    """A module the learner has completed, on a date, with the time it took when known."""

    module: str
    on: date
    minutes_spent: float | None = None


@dataclass(frozen=True)
class ResponseTime:
    """One quiz answer: the learner's time and the item's typical time, in seconds."""

    seconds: float
    typical_seconds: float


@dataclass(frozen=True)
class Learner:
    """The learner's profile, levels per competency and history as the planner needs them."""

    role: str = ""
    department: str = ""
    interests: tuple[str, ...] = ()
    preferred_formats: tuple[str, ...] = ()
    pace_minutes_per_week: int = 120
    # True when the learner chose their weekly time themselves: a rule's pace then yields to it.
    pace_chosen: bool = False
    # Bands of SPEED_BANDS ('' = not enough data) and behaviour segments, for rule conditions.
    speed_band: str = ""
    tempo_band: str = ""
    behaviour: tuple[str, ...] = ()
    levels: Mapping[str, LevelEstimate] = field(default_factory=lambda: MappingProxyType({}))
    # The level name each estimate was stored with (the quiz's bands), for the program verdict.
    level_names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    completed: tuple[Completion, ...] = ()
    response_times: tuple[ResponseTime, ...] = ()


@dataclass(frozen=True)
class Adjustment:
    """A learner's own change, re-applied on every re-plan.

    move: `module` before `before`, after `after`, or to 0-based `position` among planned steps;
    add: an elective from the pool; take_waived: a Tested-Out module anyway; drop: an optional
    module; alternative: `module` instead of the format it is an alternative of (or vice versa);
    pace: `pace_minutes_per_week`; due_date: `due_date` (None clears it).
    """

    kind: AdjustmentKind
    module: str | None = None
    before: str | None = None
    after: str | None = None
    position: int | None = None
    pace_minutes_per_week: int | None = None
    due_date: date | None = None


@dataclass(frozen=True)
class PlanInput:
    """Everything a plan depends on; `start` is the day scheduling starts (usually today)."""

    program: Program
    modules: tuple[ModuleInfo, ...]
    learner: Learner
    start: date
    due: date | None = None
    adjustments: tuple[Adjustment, ...] = ()
    test_out_z: float = TEST_OUT_Z
    tempo_bounds: tuple[float, float] = (0.5, 2.0)

    @property
    def waiver_z(self) -> float:
        """The Tested Out margin: the program's waiver confidence as a normal quantile, else z."""
        confidence = self.program.waiver_confidence
        return self.test_out_z if confidence is None else NormalDist().inv_cdf(confidence)
