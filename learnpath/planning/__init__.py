"""Trajectory-planning core of learnpath: pure dataclasses and standard library, no web or database.

`plan(PlanInput) -> Plan`: pool and rules → default path (gaps, test-out) → the learner's
adjustments → prerequisite closure → order (prerequisites, gaps, interests, position) → the
learner's moves → tempo-scaled schedule at their pace against the due date. Same input, same plan.
`verdict(PlanInput, measured)`: whether a finished program met the learner's targets.
"""

from .errors import AdjustmentRefused, PlanningError
from .inputs import (
    TEST_OUT_Z,
    Adjustment,
    AdjustmentKind,
    Completion,
    Condition,
    Learner,
    LevelEstimate,
    ModuleInfo,
    PlanInput,
    PoolEntry,
    Program,
    ResponseTime,
    Rule,
    RuleAction,
    Target,
)
from .levels import Bands
from .outputs import REASON_CODES, Plan, Reason, Refusal, Step, Tempo
from .planner import apply_adjustment, plan, validate_adjustment
from .targets import Verdict, target_levels, verdict

__all__ = [
    "REASON_CODES",
    "TEST_OUT_Z",
    "Adjustment",
    "AdjustmentKind",
    "AdjustmentRefused",
    "Bands",
    "Completion",
    "Condition",
    "Learner",
    "LevelEstimate",
    "ModuleInfo",
    "Plan",
    "PlanInput",
    "PlanningError",
    "PoolEntry",
    "Program",
    "Reason",
    "Refusal",
    "ResponseTime",
    "Rule",
    "RuleAction",
    "Step",
    "Target",
    "Tempo",
    "Verdict",
    "apply_adjustment",
    "plan",
    "target_levels",
    "validate_adjustment",
    "verdict",
]
