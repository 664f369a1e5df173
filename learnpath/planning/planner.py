"""The single entry `plan(input) -> Plan`, and checking or applying one learner adjustment."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from learnpath.vocabulary import LEVELS

from . import adjust
from .errors import AdjustmentRefused
from .graph import close, edges, order, reopen
from .inputs import Adjustment, PlanInput
from .levels import level_index
from .outputs import Plan, Refusal, Step
from .pool import Pool, Slot, build
from .reorder import move
from .schedule import schedule
from .selection import gaps, select
from .tempo import planned_minutes, tempo


def plan(inp: PlanInput) -> Plan:
    """The learner's trajectory: same input, same plan (raises PlanningError on bad input)."""
    return _run(inp)[0]


def validate_adjustment(inp: PlanInput, adjustment: Adjustment) -> Refusal | None:
    """None when the adjustment may be added to the learner's list, else why it is refused."""
    return _run(replace(inp, adjustments=(*inp.adjustments, adjustment)), made_now=True)[1][-1]


def apply_adjustment(inp: PlanInput, adjustment: Adjustment) -> tuple[PlanInput, Plan]:
    """The input with the adjustment appended and its plan; raises AdjustmentRefused."""
    new = replace(inp, adjustments=(*inp.adjustments, adjustment))
    result, outcomes = _run(new, made_now=True)
    refusal = outcomes[-1]
    if refusal is not None:
        raise AdjustmentRefused(refusal)
    return new, result


def _run(inp: PlanInput, made_now: bool = False) -> tuple[Plan, list[Refusal | None]]:
    """Build the plan and the outcome of every adjustment, by index (None = applied).

    `made_now`: the last adjustment is being made today, so a due date it sets must not be in
    the past; a stored one is kept when its day passes, and the plan then says it is late.
    """
    last = len(inp.adjustments) - 1 if made_now else -1
    pool = build(inp)
    select(pool)
    close(pool)
    outcomes: list[Refusal | None] = [None] * len(inp.adjustments)
    pace, due = _start_pace(pool), inp.due
    for i, adj in enumerate(inp.adjustments):
        if adj.kind in adjust.SET_KINDS:
            outcomes[i] = adjust.apply(pool, adj)
            if outcomes[i] is None:
                _reclose(pool, adj)
        elif adj.kind == "pace":
            outcomes[i] = adjust.check_pace(adj)
            if outcomes[i] is None and adj.pace_minutes_per_week is not None:
                pace = adj.pace_minutes_per_week
        elif adj.kind == "due_date":
            outcomes[i] = adjust.check_due(adj, inp.start) if i == last else None
            due = adj.due_date if outcomes[i] is None else due
    _undone_drops(pool, inp.adjustments, outcomes)
    sequence, after = _sequence(pool, inp.adjustments, outcomes)
    return _assemble(pool, sequence, after, pace, due, outcomes), outcomes


def _start_pace(pool: Pool) -> int:
    """The learner's own weekly time, or a rule's when the learner has not chosen one."""
    learner, rule_pace = pool.inp.learner, pool.prefer.pace
    return rule_pace if rule_pace and not learner.pace_chosen else learner.pace_minutes_per_week


def _reclose(pool: Pool, adj: Adjustment) -> None:
    """Prerequisites after a set change: pull for what came in, re-pull all when one left."""
    if adj.kind in ("add", "take_waived"):
        assert adj.module is not None
        close(pool, [pool.slots[adj.module]])
    else:
        reopen(pool)
        close(pool)


def _undone_drops(
    pool: Pool, adjustments: tuple[Adjustment, ...], outcomes: list[Refusal | None]
) -> None:
    """A drop that a later change made a prerequisite again is reported, not kept silently."""
    for i, adj in enumerate(adjustments):
        if adj.kind != "drop" or outcomes[i] is not None or adj.module is None:
            continue
        slot = pool.slots[adj.module]
        if slot.prior is not None and slot.wanted is not None:  # pulled back in by `close`
            text = f"*{slot.info.name}* is needed again: {slot.wanted.text}"
            outcomes[i] = Refusal(adj, "prerequisite", text)


def _sequence(
    pool: Pool, adjustments: tuple[Adjustment, ...], outcomes: list[Refusal | None]
) -> tuple[list[str], dict[str, list[str]]]:
    """Planned modules in order (prerequisites, gaps, interests, position, moves), and edges."""
    planned = [m for m, s in pool.slots.items() if s.status == "planned"]
    gap = gaps(pool)
    interests = {i.casefold() for i in pool.inp.learner.interests}
    personal = pool.inp.program.personal

    def key(slot: Slot) -> tuple[int, int]:
        """Largest gap first, then most interest tags (depth 5 only)."""
        if not personal:
            return 0, 0
        liked = sum(t.casefold() in interests for t in slot.info.tags)
        return -gap.get(slot.info.competency, 0), -liked

    after = edges(pool, planned)
    sequence = order(pool, planned, after, key)
    for i, adj in enumerate(adjustments):
        if adj.kind == "move":
            outcomes[i] = move(pool, sequence, after, adj)
    return sequence, after


def _assemble(
    pool: Pool,
    sequence: list[str],
    after: dict[str, list[str]],
    pace: int,
    due: date | None,
    outcomes: list[Refusal | None],
) -> Plan:
    """Steps in display order with their schedule, and the plan's verdict on the due date."""
    inp = pool.inp
    speed = tempo(inp.learner, pool.catalog, inp.tempo_bounds)
    minutes = [planned_minutes(pool.slots[m].info.minutes, speed.factor) for m in sequence]
    timing = schedule(minutes, inp.start, pace, due)
    slots = list(pool.slots.values())
    done = sorted((s for s in slots if s.status == "completed"), key=_completion_key)
    rest = [s for s in slots if s.status in ("waived", "excluded")]
    rest.sort(key=lambda s: (s.status == "excluded", s.position))
    steps = [_step(s, i) for i, s in enumerate(done)]
    for k, module in enumerate(sequence):
        week, when = timing.slots[k]
        steps.append(_step(pool.slots[module], len(steps), minutes[k], week, when))
    steps += [_step(s, len(steps) + i) for i, s in enumerate(rest)]
    warnings = _warnings(pool, sequence)
    return Plan(
        steps=tuple(steps),
        pace_minutes_per_week=pace,
        due=due,
        finish=timing.finish,
        feasible=timing.feasible,
        required_pace=timing.required_pace,
        tempo=speed,
        applied=tuple(a for a, o in zip(inp.adjustments, outcomes, strict=True) if o is None),
        refused=tuple(o for o in outcomes if o is not None),
        notes=_notes(pool) + warnings,
        warnings=warnings,
        summary=timing.summary,
        blocked_by=_blocked_by(sequence, after, _taken_anyway(inp.adjustments, outcomes)),
    )


def _taken_anyway(adjustments: tuple[Adjustment, ...], outcomes: list[Refusal | None]) -> set[str]:
    """Tested-Out modules the learner chose to study anyway (the applied take_waived changes)."""
    return {
        a.module
        for a, o in zip(adjustments, outcomes, strict=True)
        if a.kind == "take_waived" and o is None and a.module
    }


def _blocked_by(
    sequence: list[str], after: dict[str, list[str]], known: set[str]
) -> dict[str, tuple[str, ...]]:
    """Planned module → the planned heads of its prerequisite groups, in study order.

    A module taken anyway was already mastered (Tested Out): it still comes first in the order,
    but locks nothing.
    """
    waits: dict[str, list[str]] = {}
    for module in sequence:
        if module in known:
            continue
        for dependent in after[module]:
            waits.setdefault(dependent, []).append(module)
    return {m: tuple(waits[m]) for m in sequence if m in waits}


def _completion_key(slot: Slot) -> tuple[date, int]:
    assert slot.completed is not None
    return slot.completed.on, slot.position


def _step(
    slot: Slot, position: int, minutes: int = 0, week: int | None = None, when: date | None = None
) -> Step:
    done = slot.completed
    return Step(
        slot.info.id,
        slot.status,
        slot.reason.code,
        slot.reason.text,
        slot.mandatory and slot.status != "excluded",
        position,
        minutes,
        week,
        when,
        None if done is None else done.on,
    )


def _notes(pool: Pool) -> tuple[str, ...]:
    """A rule's weekly time, for the learner."""
    notes: list[str] = []
    if pool.prefer.pace and not pool.inp.learner.pace_chosen:
        notes.append(f"weekly time {pool.prefer.pace} minutes ({pool.prefer.pace_reason})")
    return tuple(notes)


def _warnings(pool: Pool, sequence: list[str]) -> tuple[str, ...]:
    """Prerequisites a rule leaves out or the program lacks: the authors' to fix."""
    notes: list[str] = []
    for module in sequence:
        for req in pool.requires[module]:
            head = pool.head(req)
            if head.status == "excluded" and head.rule_excluded:
                notes.append(f"'{module}' requires '{head.info.id}', which a rule leaves out")
        notes += [
            f"'{module}' requires '{req}', which is not in this program: assumed known"
            for req in pool.outside[module]
        ]
    return tuple(notes) + _unreachable(pool)


def _unreachable(pool: Pool) -> tuple[str, ...]:
    """Depth 5: a target above the learner's level that no module open to them builds that far."""
    if not pool.inp.program.personal:
        return ()
    learner, notes = pool.inp.learner, []
    for target in pool.inp.program.targets:
        goal = level_index(target.level_for(learner.role))
        if pool.bands.level_of(learner.levels.get(target.competency)) >= goal:
            continue
        best = max(
            (
                s.level
                for s in pool.slots.values()
                if s.info.competency == target.competency and s.offered and not s.rule_excluded
            ),
            default=-1,
        )
        if best < goal:
            built = f"only up to {LEVELS[best]}" if best >= 0 else "not at all"
            notes.append(
                f"target {LEVELS[goal]} in '{target.competency}' is unreachable: "
                f"the modules of this program open to the learner build it {built}"
            )
    return tuple(notes)
