"""Small builders for planning inputs, so that tests read like sentences."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from learnpath.planning import (
    Adjustment,
    Condition,
    Learner,
    LevelEstimate,
    ModuleInfo,
    PlanInput,
    PoolEntry,
    Program,
    Rule,
    RuleAction,
    Target,
)

START = date(2026, 1, 5)  # a Monday


def mod(
    id: str,
    comp: str = "c",
    level: str = "developing",
    minutes: int = 30,
    requires: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    alt: str | None = None,
    fmt: str = "reading",
) -> ModuleInfo:
    """A module with a title derived from its id."""
    return ModuleInfo(id, comp, level, minutes, id.title(), fmt, requires, tags, alt)


def program(
    depth: int,
    modules: list[ModuleInfo],
    mandatory: tuple[str, ...] = (),
    targets: tuple[Target, ...] = (),
    rules: tuple[Rule, ...] = (),
    bands: Mapping[str, float] | None = None,
) -> Program:
    """A program listing the modules in order; the named ones are mandatory."""
    entries = tuple(PoolEntry(m.id, m.id in mandatory) for m in modules)
    return Program("p", 1, depth, entries, targets, rules, bands)


def rule(name: str, then: RuleAction, modules: tuple[str, ...], **when: Any) -> Rule:
    """A rule; `when` takes roles, departments, interests and below."""
    return Rule(name, Condition(**when), then, modules)


def levels(**thetas: float | tuple[float, float]) -> dict[str, LevelEstimate]:
    """Level estimates by competency: θ alone (SE 0.3) or (θ, SE)."""
    out = {}
    for comp, value in thetas.items():
        theta, se = value if isinstance(value, tuple) else (value, 0.3)
        out[comp] = LevelEstimate(theta, se)
    return out


def make_input(
    prog: Program,
    modules: list[ModuleInfo],
    learner: Learner | None = None,
    adjustments: tuple[Adjustment, ...] = (),
    due: date | None = None,
) -> PlanInput:
    """A plan input starting on START."""
    return PlanInput(prog, tuple(modules), learner or Learner(), START, due, adjustments)


def with_adjustments(inp: PlanInput, *adjustments: Adjustment) -> PlanInput:
    """The same input with more learner adjustments appended."""
    return replace(inp, adjustments=(*inp.adjustments, *adjustments))


def with_levels(inp: PlanInput, new: dict[str, LevelEstimate]) -> PlanInput:
    """The same input with other level estimates."""
    return replace(inp, learner=replace(inp.learner, levels=new))


CHAIN = [
    mod("basics", minutes=20),
    mod("core", level="proficient", requires=("basics",)),
    mod("deep", level="advanced", minutes=60, requires=("core",)),
]
"""Three modules of one competency c, each requiring the one before."""


def personal_fixture() -> tuple[list[ModuleInfo], Program]:
    """A depth-5 pool over competencies a and b with role targets."""
    modules = [
        mod("a1", "a", "developing", 20),
        mod("a2", "a", "proficient", 30, requires=("a1",), tags=("charts",)),
        mod("a3", "a", "advanced", 45, requires=("a2",)),
        mod("b1", "b", "developing", 25),
        mod("b2", "b", "proficient", 30, requires=("b1",), tags=("charts",)),
        mod("b3", "b", "advanced", 40, requires=("b2",)),
    ]
    targets = (
        Target("a", "proficient", {"lead": "advanced"}),
        Target("b", "developing", {"analyst": "advanced"}),
    )
    return modules, program(5, modules, targets=targets)
