"""The learner's pool: program modules plus rule-added ones, alternative groups, prerequisites."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from learnpath.vocabulary import DEPTH_RANGE, Depth

from .errors import PlanningError
from .inputs import (
    ADJUSTMENT_KINDS,
    RULE_ACTIONS,
    Completion,
    ModuleInfo,
    PlanInput,
    Rule,
)
from .levels import Bands, level_index
from .outputs import Reason, Status
from .rules import Preferences, RuleEffect, effects, preferences

_MAX_PACE = 7 * 24 * 60
_NONE = Reason("", "")


@dataclass(slots=True)
class Slot:
    """Working state of one pool module while the plan is built."""

    info: ModuleInfo
    position: int
    group: str
    level: int
    mandatory: bool
    rule: RuleEffect | None
    completed: Completion | None
    status: Status = "excluded"
    reason: Reason = _NONE
    wanted: Reason | None = None
    prior: tuple[Status, Reason] | None = None
    offered: bool = True

    @property
    def rule_excluded(self) -> bool:
        """True when a segment rule excludes this module for the learner."""
        return self.rule is not None and self.rule.included is False

    def set(self, status: Status, reason: Reason) -> None:
        """Give the slot a status and the reason for it (it is no longer a mere pull)."""
        self.status, self.reason, self.prior = status, reason, None


@dataclass
class Pool:
    """All pool slots in program order, grouped by alternative format, with prerequisite groups."""

    inp: PlanInput
    bands: Bands
    slots: dict[str, Slot]
    groups: dict[str, list[str]]
    requires: dict[str, tuple[str, ...]]
    outside: dict[str, tuple[str, ...]]
    catalog: dict[str, ModuleInfo]
    floors: dict[str, float]
    prefer: Preferences = field(default_factory=Preferences)
    chosen: dict[str, str] = field(default_factory=dict)

    @property
    def formats(self) -> tuple[str, ...]:
        """Preferred formats, best first: the learner's own, then those the rules prefer."""
        own = self.inp.learner.preferred_formats
        return own + tuple(f for f in self.prefer.formats if f not in own)

    def head(self, group: str) -> Slot:
        """The member of an alternative group that stands for it on the path."""
        return self.slots[self.chosen[group]]

    def mastered(self, slot: Slot) -> bool:
        """The test-out rule, θ − z·SE ≥ the level's lower bound (never when not assessed)."""
        floor = self.floors.get(slot.info.competency)
        return floor is not None and floor >= self.bands.threshold(slot.level)


def build(inp: PlanInput) -> Pool:
    """Check the input and lay out the pool (rules only count at depth 5)."""
    _check(inp)
    catalog = _catalog(inp.modules)
    bands = Bands.of(inp.program.level_bands)
    personal = inp.program.personal
    rule_fx = effects(inp.program.rules, inp.learner, bands) if personal else {}
    prefer = preferences(inp.program.rules, inp.learner, bands) if personal else Preferences()
    roots = {m: m for m in catalog}
    roots.update({m.id: _root(catalog, m.id) for m in catalog.values() if m.alternative_of})
    slots = _slots(inp, catalog, roots, rule_fx)
    groups: dict[str, list[str]] = {}
    for module, slot in slots.items():
        groups.setdefault(slot.group, []).append(module)
    requires: dict[str, tuple[str, ...]] = {}
    outside: dict[str, tuple[str, ...]] = {}
    for module, slot in slots.items():
        requires[module], outside[module] = _requires(roots, slot, groups)
    z = inp.waiver_z
    floors = {c: e.theta - z * e.se for c, e in inp.learner.levels.items()}
    return Pool(inp, bands, slots, groups, requires, outside, catalog, floors, prefer)


def _slots(
    inp: PlanInput,
    catalog: dict[str, ModuleInfo],
    roots: dict[str, str],
    rule_fx: dict[str, RuleEffect],
) -> dict[str, Slot]:
    """One slot per listed module, per module a rule that holds adds, then per other completion.

    A module completed before it left the pool (a rule no longer adds it) keeps its slot, so its
    completion is shown and still meets prerequisites; it is not offered for adjustments.
    """
    entries = [(e.module, e.mandatory) for e in inp.program.modules]
    listed = {m for m, _ in entries}
    if len(listed) != len(entries):
        raise PlanningError(f"program '{inp.program.id}' lists a module twice")
    entries += [(m, False) for m, fx in rule_fx.items() if fx.included and m not in listed]
    done = {c.module: c for c in inp.learner.completed}
    pool = {m for m, _ in entries}
    earlier = [m for m in done if m not in pool and m in catalog]  # unknown ones: ignored
    slots: dict[str, Slot] = {}
    for position, (module, mandatory) in enumerate([*entries, *((m, False) for m in earlier)]):
        info = _info(catalog, module, inp.program.id)
        fx = rule_fx.get(module)
        if fx is not None and fx.mandatory is not None:
            mandatory = fx.mandatory
        if fx is not None and fx.included is False:
            mandatory = False  # out of the path, whatever its mandatory facet says
        group, level = roots[module], level_index(info.level)
        slot = Slot(info, position, group, level, mandatory, fx, done.get(module))
        slot.offered = module in pool
        slots[module] = slot
    return slots


def _check(inp: PlanInput) -> None:
    if inp.program.depth not in tuple(Depth):
        first, last = DEPTH_RANGE
        raise PlanningError(f"depth must be {first} to {last}, not {inp.program.depth}")
    if not 0 < inp.learner.pace_minutes_per_week <= _MAX_PACE:
        raise PlanningError("pace must be between 1 and 10080 minutes per week")
    low, high = inp.tempo_bounds
    if not 0 < low <= 1 <= high:
        raise PlanningError("tempo bounds must satisfy 0 < low ≤ 1 ≤ high")
    for rule in inp.program.rules:
        _check_rule(rule)
    for target in inp.program.targets:
        for level in (target.default, *target.roles.values()):
            level_index(level)
    for adjustment in inp.adjustments:
        if adjustment.kind not in ADJUSTMENT_KINDS:
            raise PlanningError(f"unknown adjustment kind '{adjustment.kind}'")


def _check_rule(rule: Rule) -> None:
    """A rule's action must be known and carry what it needs (modules, a format or a pace)."""
    if rule.then not in RULE_ACTIONS:
        raise PlanningError(f"rule '{rule.name}': unknown action '{rule.then}'")
    if rule.then == "prefer_format" and not rule.format:
        raise PlanningError(f"rule '{rule.name}': prefer_format needs a format")
    if rule.then == "pace" and not 0 < (rule.pace_minutes_per_week or 0) <= _MAX_PACE:
        raise PlanningError(f"rule '{rule.name}': pace must be 1 to {_MAX_PACE} minutes a week")


def _catalog(modules: tuple[ModuleInfo, ...]) -> dict[str, ModuleInfo]:
    """Modules by id; one id given twice must carry the same details."""
    catalog = {info.id: info for info in modules}
    if len(catalog) != len(modules):
        for info in modules:
            if catalog[info.id] != info:
                raise PlanningError(f"module '{info.id}' is given twice with different details")
    negative = [info.id for info in modules if info.minutes < 0]
    if negative:
        raise PlanningError(f"module '{negative[0]}': minutes must not be negative")
    return catalog


def _info(catalog: dict[str, ModuleInfo], module: str, program: str) -> ModuleInfo:
    try:
        return catalog[module]
    except KeyError:
        raise PlanningError(f"program '{program}' refers to module '{module}', not given") from None


def _root(catalog: dict[str, ModuleInfo], module: str) -> str:
    """The module at the end of the alternative_of chain (it need not be in the catalog)."""
    seen = {module}
    info = catalog.get(module)
    while info is not None and info.alternative_of is not None:
        module = info.alternative_of
        if module in seen:
            raise PlanningError(f"alternative_of forms a cycle through '{module}'")
        seen.add(module)
        info = catalog.get(module)
    return module


def _requires(
    roots: dict[str, str], slot: Slot, groups: dict[str, list[str]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Prerequisite groups inside the pool (any format meets one), and those outside it."""
    if not slot.info.prerequisites:
        return (), ()
    inside: list[str] = []
    outside: list[str] = []
    for req in slot.info.prerequisites:
        group = roots.get(req, req)
        if group not in groups:
            outside.append(req)
        elif group != slot.group and group not in inside:
            inside.append(group)
    return tuple(inside), tuple(outside)


def completed_on(slot: Slot) -> date | None:
    """The completion date of a slot, if completed."""
    return slot.completed.on if slot.completed else None
