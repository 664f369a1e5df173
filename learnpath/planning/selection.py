"""The default path before the learner's adjustments: what is in and why, what is waived."""

from __future__ import annotations

from learnpath.vocabulary import LEVELS, Depth, certainty

from .levels import level_index
from .outputs import Reason
from .pool import Pool, Slot

_PROGRAM = {
    Depth.BOXED: Reason("program", "in the program"),
    Depth.FACILITATED: Reason("program", "in the program (facilitated run)"),
    Depth.SPECIALIZED: Reason("program", "in the client's selection"),
    Depth.DEEP: Reason("program", "in the custom program"),
}
TESTED_OUT = Reason("tested_out", "Tested Out")
MANDATORY = Reason("mandatory", "mandatory in this program")
NO_TARGET = Reason("no_target", "not among your targets")


class _Targets:
    """Target reasons per (competency, module level), computed once per plan."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        role = pool.inp.learner.role
        self.goal = {t.competency: level_index(t.level_for(role)) for t in pool.inp.program.targets}
        self.cache: dict[tuple[str, int], Reason] = {}

    def reason(self, slot: Slot) -> Reason:
        """The target reason of a depth-5 module (gap, unconfirmed, above_target, no_target)."""
        key = (slot.info.competency, slot.level)
        if key not in self.cache:
            self.cache[key] = self._reason(*key)
        return self.cache[key]

    def _reason(self, competency: str, module_level: int) -> Reason:
        goal = self.goal.get(competency)
        if goal is None:
            return NO_TARGET
        if module_level > goal:
            text = f"beyond your target: module {LEVELS[module_level]}, target {LEVELS[goal]}"
            return Reason("above_target", text)
        estimate = self.pool.inp.learner.levels.get(competency)
        level = self.pool.bands.level_of(estimate)
        if estimate is None and level < goal:
            return Reason("gap", f"gap: level not assessed, target {LEVELS[goal]}")
        if estimate is None:
            return Reason("unconfirmed", f"level not assessed; target {LEVELS[goal]}")
        if level < goal:
            return Reason("gap", f"gap: level {LEVELS[level]}, target {LEVELS[goal]}")
        return Reason(
            "unconfirmed",
            f"to confirm: level {LEVELS[level]} ({certainty(estimate.se)}) is not sure enough "
            f"at this module's level {LEVELS[module_level]}; target {LEVELS[goal]}",
        )


def select(pool: Pool) -> None:
    """Give every slot its default status: completed, planned, waived or excluded."""
    targets = _Targets(pool)
    for group, members in pool.groups.items():
        if len(members) == 1:
            head = pool.slots[members[0]]
            pool.chosen[group] = members[0]
            if head.completed is not None:
                _completed(head)
            else:
                _decide(pool, head, [], targets)
            continue
        slots = [pool.slots[m] for m in members]
        done = [s for s in slots if s.completed is not None]
        for s in done:
            _completed(s)
        head = done[0] if done else _default_choice(pool, slots)
        pool.chosen[group] = head.info.id
        head.mandatory = any(s.mandatory for s in slots if not s.rule_excluded)
        for s in slots:
            if s is not head and s.completed is None:
                s.set("excluded", _other(s, head))
        if head.completed is None:
            _decide(pool, head, slots, targets)


def _completed(slot: Slot) -> None:
    """A completed module; one no longer in the pool says so."""
    assert slot.completed is not None
    on = slot.completed.on.isoformat()
    text = (
        f"completed on {on}"
        if slot.offered
        else f"completed earlier, on {on}: no longer on your path"
    )
    slot.set("completed", Reason("completed", text))


def _default_choice(pool: Pool, slots: list[Slot]) -> Slot:
    """Default pick among formats: rule-included, then preferred format, then program order."""
    preferred = pool.formats
    open_ = [s for s in slots if not s.rule_excluded] or slots

    def key(s: Slot) -> tuple[int, int, int]:
        """Rule-included first, then preferred format, then program position."""
        ruled = 0 if s.rule is not None and s.rule.included else 1
        rank = preferred.index(s.info.format) if s.info.format in preferred else len(preferred)
        return ruled, rank, s.position

    return min(open_, key=key)


def _other(slot: Slot, head: Slot) -> Reason:
    """Why a format other than the group's head is excluded."""
    if slot.rule_excluded and slot.rule is not None and slot.rule.reason is not None:
        return slot.rule.reason
    verb = "you completed" if head.completed is not None else "you take"
    return Reason("alternative", f"another format of *{head.info.name}*: {verb} that")


def _decide(pool: Pool, head: Slot, others: list[Slot], targets: _Targets) -> None:
    """Status of the module standing for a group: wanted (planned or waived) or excluded."""
    if head.rule_excluded:
        assert head.rule is not None and head.rule.reason is not None
        head.set("excluded", head.rule.reason)
        return
    wanted = _wanted(pool, head, others, targets)
    if wanted.code in ("above_target", "no_target"):
        head.set("excluded", wanted)
        return
    head.wanted = wanted
    if pool.mastered(head):
        head.set("waived", TESTED_OUT)
    else:
        head.set("planned", wanted)


def _wanted(pool: Pool, head: Slot, others: list[Slot], targets: _Targets) -> Reason:
    """Why the group is on the path; an above_target/no_target reason means it is not."""
    if not pool.inp.program.personal:
        return _PROGRAM[Depth(pool.inp.program.depth)]
    if head.rule is None and not head.mandatory and not others:
        return targets.reason(head)
    group = others or [head]
    ruled = [
        s.rule.reason
        for s in group
        if s.rule is not None and s.rule.included and s.rule.reason is not None
    ]
    if head.mandatory:
        mandated = [r for r in ruled if r.code == "rule_mandatory"]
        return mandated[0] if mandated else MANDATORY
    if ruled:
        return ruled[0]
    return targets.reason(head)


def gaps(pool: Pool) -> dict[str, int]:
    """Band steps from the learner's level up to the target, per targeted competency (depth 5)."""
    if not pool.inp.program.personal:
        return {}
    learner = pool.inp.learner
    return {
        t.competency: max(
            0,
            level_index(t.level_for(learner.role))
            - pool.bands.level_of(learner.levels.get(t.competency)),
        )
        for t in pool.inp.program.targets
    }
