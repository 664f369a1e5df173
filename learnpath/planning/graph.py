"""The prerequisite graph over the pool: closure, who needs a module, topological order."""

from __future__ import annotations

import heapq
from collections.abc import Callable

from .errors import PlanningError
from .outputs import Reason
from .pool import Pool, Slot
from .selection import TESTED_OUT

Key = tuple[int, int]


def _pullable(pool: Pool, slot: Slot) -> bool:
    """An excluded module that a planned dependent would pull in (rules' exclusions stay)."""
    return slot.status == "excluded" and not slot.rule_excluded


def needed_by(pool: Pool, group: str) -> Slot | None:
    """A planned module that needs `group`, directly or through pulled-in prerequisites."""
    stack = [s for s in reversed(pool.slots.values()) if s.status == "planned"]
    stack = [s for s in stack if s.group != group]
    seen = {s.group for s in stack}
    while stack:
        slot = stack.pop()
        for req in pool.requires[slot.info.id]:
            if req == group:
                return slot
            if req in seen:
                continue
            seen.add(req)
            head = pool.head(req)
            if head.status == "planned" or (_pullable(pool, head) and not pool.mastered(head)):
                stack.append(head)
    return None


def close(pool: Pool, start: list[Slot] | None = None) -> None:
    """Pull prerequisites of planned modules (or of `start`) in: planned, or waived if mastered.

    A pulled slot remembers its former status in `prior`, so `reopen` can undo the pull when
    the module that needed it leaves the path.
    """
    if start is None:
        start = [s for s in reversed(pool.slots.values()) if s.status == "planned"]
    stack = list(start)
    while stack:
        slot = stack.pop()
        for req in pool.requires[slot.info.id]:
            head = pool.head(req)
            if head.status != "excluded" or head.rule_excluded:
                continue  # a rule's exclusion stands: the planner notes the conflict
            prior = (head.status, head.reason)
            head.wanted = Reason("prerequisite", f"prerequisite of *{slot.info.name}*")
            if pool.mastered(head):
                head.set("waived", TESTED_OUT)
            else:
                head.set("planned", head.wanted)
                stack.append(head)
            head.prior = prior


def reopen(pool: Pool) -> None:
    """Undo every pull of `close`, before closing again after a module left the path."""
    for slot in pool.slots.values():
        if slot.prior is not None:
            slot.status, slot.reason = slot.prior
            slot.prior = None


def edges(pool: Pool, planned: list[str]) -> dict[str, list[str]]:
    """Prerequisite → dependents among planned modules (waived and completed ones impose none)."""
    out: dict[str, list[str]] = {m: [] for m in planned}
    for module in planned:
        for req in pool.requires[module]:
            head = pool.head(req)
            if head.status == "planned":
                out[head.info.id].append(module)
    return out


def order(
    pool: Pool, planned: list[str], after: dict[str, list[str]], key: Callable[[Slot], Key]
) -> list[str]:
    """Topological order: a prerequisite inherits its dependents' priority; ties by position."""
    indegree = dict.fromkeys(planned, 0)
    for dependents in after.values():
        for d in dependents:
            indegree[d] += 1
    rank = _inherit(pool, planned, after, indegree, key)
    slots = pool.slots
    heap = [(rank[m], slots[m].position, m) for m in planned if indegree[m] == 0]
    heapq.heapify(heap)
    out: list[str] = []
    while heap:
        _, _, module = heapq.heappop(heap)
        out.append(module)
        for d in after[module]:
            indegree[d] -= 1
            if indegree[d] == 0:
                heapq.heappush(heap, (rank[d], slots[d].position, d))
    if len(out) != len(planned):
        stuck = sorted(m for m in planned if indegree[m] > 0)
        raise PlanningError(f"prerequisites form a cycle among {stuck[:5]}")
    return out


def _inherit(
    pool: Pool,
    planned: list[str],
    after: dict[str, list[str]],
    indegree: dict[str, int],
    key: Callable[[Slot], Key],
) -> dict[str, Key]:
    """Each module's priority: the most urgent of its own and all its dependents'."""
    left = dict(indegree)
    ready = [m for m in planned if left[m] == 0]
    topo: list[str] = []
    while ready:
        module = ready.pop()
        topo.append(module)
        for d in after[module]:
            left[d] -= 1
            if left[d] == 0:
                ready.append(d)
    rank = {m: key(pool.slots[m]) for m in planned}
    for module in reversed(topo):
        for d in after[module]:
            rank[module] = min(rank[module], rank[d])
    return rank
