"""The learner's changes to which modules are on the path, refused with a reason if forbidden."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .graph import needed_by
from .inputs import Adjustment
from .outputs import Reason, Refusal
from .pool import Pool, Slot
from .selection import TESTED_OUT

MAX_PACE = 7 * 24 * 60
ELECTIVE = Reason("elective", "added by you")
TAKEN_ANYWAY = Reason("taken_anyway", "Tested Out, taken anyway at your request")
DROPPED = Reason("dropped", "dropped by you")


def _name(slot: Slot) -> str:
    return f"*{slot.info.name}*"


def _slot(pool: Pool, adj: Adjustment) -> Slot | Refusal:
    """The pool slot an adjustment names, or the refusal when it names none."""
    if adj.module is None:
        return Refusal(adj, "bad_adjustment", f"a '{adj.kind}' adjustment names a module")
    slot = pool.slots.get(adj.module)
    if slot is None:
        return Refusal(adj, "not_in_pool", f"'{adj.module}' is not in this program's pool")
    if slot.completed is not None:
        return Refusal(adj, "completed", f"you already completed {_name(slot)}")
    return slot


def _ruled_out(adj: Adjustment, slot: Slot) -> Refusal | None:
    if slot.rule_excluded and slot.rule is not None and slot.rule.reason is not None:
        text = slot.rule.reason.text
        return Refusal(adj, "rule_exclude", f"{_name(slot)} is left out of your path by a {text}")
    return None


def add(pool: Pool, adj: Adjustment, slot: Slot) -> Refusal | None:
    """An elective from the pool: an excluded module becomes planned."""
    head = pool.head(slot.group)
    if slot.status == "planned":
        return Refusal(adj, "already_planned", f"{_name(slot)} is already in your plan")
    if slot.status == "waived":
        return Refusal(adj, "waived", f"{_name(slot)} is waived (Tested Out): take it anyway")
    refusal = _ruled_out(adj, slot)
    if refusal is not None:
        return refusal
    if head is not slot and head.status != "excluded":
        return Refusal(
            adj,
            "alternative",
            f"{_name(slot)} is another format of {_name(head)}: choose it as an alternative",
        )
    if head is not slot:
        _swap_head(pool, head, slot)
    slot.wanted = ELECTIVE
    slot.set("planned", ELECTIVE)
    return None


def take_waived(pool: Pool, adj: Adjustment, slot: Slot) -> Refusal | None:
    """A Tested-Out module the learner wants to study anyway."""
    if slot.status != "waived":
        return Refusal(adj, "not_waived", f"{_name(slot)} is not waived ({slot.reason.text})")
    slot.set("planned", TAKEN_ANYWAY)
    return None


def drop(pool: Pool, adj: Adjustment, slot: Slot) -> Refusal | None:
    """An optional planned module leaves the path (a taken-anyway one goes back to waived)."""
    if slot.status == "planned" and slot.reason.code == "taken_anyway":
        slot.set("waived", TESTED_OUT)
        return None
    if slot.status == "waived":
        return Refusal(adj, "not_planned", f"{_name(slot)} is waived (Tested Out): nothing to drop")
    if pool.head(slot.group) is not slot:
        return Refusal(adj, "not_planned", f"{_name(slot)} is not in your plan")
    if slot.status == "planned" and slot.mandatory:
        why = slot.reason.text if slot.reason.code == "rule_mandatory" else "the program"
        return Refusal(adj, "mandatory", f"{_name(slot)} is mandatory ({why})")
    dependent = needed_by(pool, slot.group)
    if dependent is not None:
        return Refusal(
            adj,
            "prerequisite",
            f"{_name(slot)} is a prerequisite of {_name(dependent)} in your plan",
        )
    if slot.status != "planned":
        return Refusal(adj, "not_planned", f"{_name(slot)} is not in your plan")
    slot.set("excluded", DROPPED)
    return None


def alternative(pool: Pool, adj: Adjustment, slot: Slot) -> Refusal | None:
    """Another format of a module on the path takes its place, reason and mandatory flag."""
    head = pool.head(slot.group)
    if len(pool.groups[slot.group]) == 1:
        return Refusal(adj, "no_alternative", f"{_name(slot)} has no other format here")
    if head is slot:
        return Refusal(adj, "already_chosen", f"you already take {_name(slot)}")
    if head.completed is not None:
        return Refusal(adj, "completed", f"you already completed {_name(head)}")
    refusal = _ruled_out(adj, slot)
    if refusal is not None:
        return refusal
    if head.status == "excluded":
        return Refusal(adj, "not_planned", f"{_name(head)} is not in your plan: add this one")
    _swap_head(pool, head, slot)
    return None


def _swap_head(pool: Pool, head: Slot, slot: Slot) -> None:
    """`slot` stands for its group instead of `head`, keeping the group's status if it can."""
    slot.wanted, slot.mandatory, prior = head.wanted, head.mandatory, head.prior
    if head.status == "waived" and not pool.mastered(slot):
        slot.set("planned", head.wanted or ELECTIVE)
    else:
        slot.set(head.status, head.reason)
    slot.prior, head.mandatory = prior, False
    head.set("excluded", Reason("alternative", f"another format of {_name(slot)}: you take that"))
    pool.chosen[slot.group] = slot.info.id


SET_KINDS: dict[str, Callable[[Pool, Adjustment, Slot], Refusal | None]] = {
    "add": add,
    "take_waived": take_waived,
    "drop": drop,
    "alternative": alternative,
}


def apply(pool: Pool, adj: Adjustment) -> Refusal | None:
    """Apply one add/take_waived/drop/alternative adjustment to the pool, or say why not."""
    slot = _slot(pool, adj)
    if isinstance(slot, Refusal):
        return slot
    return SET_KINDS[adj.kind](pool, adj, slot)


def check_pace(adj: Adjustment) -> Refusal | None:
    """A new pace must be a whole number of minutes per week, 1 to 10080."""
    pace = adj.pace_minutes_per_week
    if pace is None or not 0 < pace <= MAX_PACE:
        return Refusal(adj, "bad_pace", f"pace must be 1 to {MAX_PACE} minutes per week")
    return None


def check_due(adj: Adjustment, start: date) -> Refusal | None:
    """A new due date cannot be in the past (None clears it)."""
    if adj.due_date is not None and adj.due_date < start:
        return Refusal(adj, "bad_due_date", f"the due date {adj.due_date} is in the past")
    return None
