"""Segment rules evaluated as data: which rules hold for a learner, and what they do to modules."""

from __future__ import annotations

from dataclasses import dataclass

from .inputs import MODULE_ACTIONS, Condition, Learner, Rule
from .levels import Bands, level_index
from .outputs import Reason


@dataclass
class RuleEffect:
    """The combined effect of the rules on one module: two facets, each the last rule's word.

    `included`: in (include, mandatory) or out (exclude); `mandatory`: mandatory or optional.
    None where no rule spoke; an excluded module is never mandatory (see pool).
    """

    included: bool | None = None
    mandatory: bool | None = None
    reason: Reason | None = None


def _any(wanted: tuple[str, ...], have: set[str]) -> bool:
    return not wanted or any(w.casefold() in have for w in wanted)


def holds(condition: Condition, learner: Learner, bands: Bands) -> bool:
    """True when every non-empty field of the condition matches (case-insensitive, any of)."""
    if not _any(condition.roles, {learner.role.casefold()}):
        return False
    if not _any(condition.departments, {learner.department.casefold()}):
        return False
    if not _any(condition.interests, {i.casefold() for i in learner.interests}):
        return False
    if not _any(condition.decision_speed, {learner.speed_band}):
        return False
    if not _any(condition.tempo, {learner.tempo_band}):
        return False
    if not _any(condition.behaviour, set(learner.behaviour)):
        return False
    return all(
        bands.level_of(learner.levels.get(comp)) < level_index(level)
        for comp, level in condition.below.items()
    ) and all(
        bands.level_of(learner.levels.get(comp)) >= level_index(level)
        for comp, level in condition.at_least.items()
    )


def label(rule: Rule) -> str:
    """The human sentence of a rule: its kind by first condition, then its name."""
    when = rule.when
    kinds = (
        ("role", when.roles),
        ("department", when.departments),
        ("interest", when.interests),
        ("level", when.below or when.at_least),
        ("decision-speed", when.decision_speed),
        ("tempo", when.tempo),
        ("behaviour", when.behaviour),
    )
    kind = next((name for name, values in kinds if values), "")
    return f"{kind} rule: {rule.name}" if kind else f"rule: {rule.name}"


def effects(rules: tuple[Rule, ...], learner: Learner, bands: Bands) -> dict[str, RuleEffect]:
    """Effect per module of the rules that hold, in rule order (first mention first)."""
    out: dict[str, RuleEffect] = {}
    for rule in rules:
        if rule.then not in MODULE_ACTIONS or not holds(rule.when, learner, bands):
            continue
        text = label(rule)
        for module in rule.modules:
            _apply(out.setdefault(module, RuleEffect()), rule.then, text)
    return out


def _apply(effect: RuleEffect, then: str, text: str) -> None:
    if then == "include":
        effect.included, effect.reason = True, Reason("rule_include", text)
    elif then == "exclude":  # out; whether it is mandatory once back in is another facet
        effect.included, effect.reason = False, Reason("rule_exclude", text)
    elif then == "mandatory":
        effect.included, effect.mandatory = True, True
        effect.reason = Reason("rule_mandatory", text)
    else:
        effect.mandatory = False
        if effect.reason is not None and effect.reason.code == "rule_mandatory":
            effect.reason = Reason("rule_include", effect.reason.text)


@dataclass(frozen=True)
class Preferences:
    """What the rules that hold prefer: formats in rule order, and the last pace with its rule."""

    formats: tuple[str, ...] = ()
    pace: int | None = None
    pace_reason: str = ""


def preferences(rules: tuple[Rule, ...], learner: Learner, bands: Bands) -> Preferences:
    """Format and pace preferences of the rules that hold for the learner."""
    formats: list[str] = []
    pace, why = None, ""
    for rule in rules:
        if rule.then not in ("prefer_format", "pace") or not holds(rule.when, learner, bands):
            continue
        if rule.then == "prefer_format" and rule.format and rule.format not in formats:
            formats.append(rule.format)
        elif rule.then == "pace" and rule.pace_minutes_per_week:
            pace, why = rule.pace_minutes_per_week, label(rule)
    return Preferences(tuple(formats), pace, why)
