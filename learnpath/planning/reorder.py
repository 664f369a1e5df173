"""The learner's moves within the planned sequence, refused when they break a prerequisite."""

from __future__ import annotations

from .inputs import Adjustment
from .outputs import Refusal
from .pool import Pool


def _name(pool: Pool, module: str) -> str:
    return f"*{pool.slots[module].info.name}*"


def move(
    pool: Pool, sequence: list[str], after: dict[str, list[str]], adj: Adjustment
) -> Refusal | None:
    """Move `adj.module` in `sequence` (in place) or say why not; `after` maps dependents."""
    refusal = _check(pool, adj)
    if refusal is not None:
        return refusal
    module = adj.module
    assert module is not None
    rest = sequence.copy()
    rest.remove(module)
    if adj.position is not None:
        at = min(adj.position, len(rest))
    else:
        anchor = adj.before if adj.before is not None else adj.after
        assert anchor is not None
        at = rest.index(anchor) + (1 if adj.before is None else 0)
    before, later = rest[:at], rest[at:]
    broken = _broken(pool, module, before, later, after)
    if broken is not None:
        return Refusal(adj, "prerequisite", broken)
    sequence[:] = [*before, module, *later]
    return None


def _broken(
    pool: Pool, module: str, before: list[str], later: list[str], after: dict[str, list[str]]
) -> str | None:
    """Why placing `module` between `before` and `later` breaks a prerequisite, if it does."""
    for req in pool.requires[module]:
        head = pool.head(req).info.id
        if head in later:
            return f"{_name(pool, module)} cannot come before its prerequisite {_name(pool, head)}"
    for dependent in after.get(module, ()):
        if dependent in before:
            return (
                f"{_name(pool, module)} is a prerequisite of {_name(pool, dependent)}, "
                "which would then come before it"
            )
    return None


def _check(pool: Pool, adj: Adjustment) -> Refusal | None:
    """A move names a planned module and exactly one place: before, after or position."""
    places = [p for p in (adj.before, adj.after, adj.position) if p is not None]
    if adj.module is None or len(places) != 1:
        return Refusal(adj, "bad_move", "say which module to move, and before, after or where")
    if adj.position is not None and adj.position < 0:
        return Refusal(adj, "bad_move", "a position counts from 0, the first planned module")
    for module in (adj.module, adj.before, adj.after):
        if module is None:
            continue
        if module not in pool.slots:
            return Refusal(adj, "not_in_pool", f"'{module}' is not in this program")
        slot = pool.slots[module]
        if slot.status != "planned":
            return Refusal(
                adj,
                "not_planned",
                f"{_name(pool, module)} is not among your planned modules "
                f"({slot.status}: {slot.reason.text})",
            )
    if adj.module in (adj.before, adj.after):
        return Refusal(adj, "bad_move", "a module cannot move next to itself")
    return None
