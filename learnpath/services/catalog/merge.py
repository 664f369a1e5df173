"""Three-way merge of a derived program's module list with its parent's new version (pure).

base is the parent version the child derived from, theirs the parent's new version, ours the
child's list on base (with its swaps). The merge starts from theirs, so every parent change is
applied, then re-applies what the child did: drops, swaps, moves and additions, each placed
after the module it follows in the child's list. Where the two disagree it lists a Conflict with
the choices an author has and applies the chosen (or default) one, so nothing of the child's is
dropped without being listed: the parent removed a module the child swapped out or moved, both
placed the same module, or the merged order breaks a prerequisite.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from learnpath.services.catalog import derive
from learnpath.services.catalog.diff import (
    Swaps,
    canonical_changes,
    clean_swaps,
    moved,
    order_violations,
    swap_pairs,
)
from learnpath.services.catalog.schema import ChangeIn

KEEP, DROP, MINE, THEIRS, AFTER = "keep", "drop", "mine", "theirs", "after"


@dataclass(frozen=True)
class Conflict:
    """Something the parent and the child both changed; `choice` is what the merge applied."""

    key: str
    kind: str
    modules: tuple[str, ...]
    message: str
    options: tuple[tuple[str, str], ...]
    choice: str


@dataclass(frozen=True)
class Merge:
    """The merged list, its changes relative to the new parent version, and the conflicts."""

    modules: list[str]
    changes: list[ChangeIn]
    swaps: dict[str, str]
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class _State:
    """The list being merged and what has been decided so far."""

    order: list[str]
    ours: list[str]
    swaps: dict[str, str]  # the child's swaps; one whose parent module is gone is deleted
    swapped_in: dict[str, str]  # every module the child swapped in → the module it replaced
    titles: Mapping[str, str]
    resolutions: Mapping[str, str]
    conflicts: list[Conflict] = field(default_factory=list)
    placed: list[str] = field(default_factory=list)  # modules put where the child has them

    def t(self, module: str) -> str:
        return f"“{self.titles.get(module, module)}”"

    def conflict(
        self,
        key: str,
        kind: str,
        modules: tuple[str, ...],
        message: str,
        options: tuple[tuple[str, str], ...],
    ) -> str:
        """Record a conflict; the author's resolution if valid, else the first option."""
        values = [v for v, _ in options]
        wanted = self.resolutions.get(key)
        choice = wanted if wanted in values else values[0]
        self.conflicts.append(Conflict(key, kind, modules, message, options, choice))
        return choice

    def keep_or_drop(
        self, key: str, kind: str, modules: tuple[str, ...], message: str, module: str
    ) -> bool:
        """A conflict over keeping one of the child's modules; whether it is kept."""
        keep = f"Keep {self.t(module)} where you had it"
        options = ((KEEP, keep), (DROP, f"Drop {self.t(module)}"))
        return self.conflict(key, kind, modules, message, options) == KEEP

    def mine(self, key: str, kind: str, module: str, parent: str, verb: str) -> bool:
        """Parent and child both placed the module; whether the child's place wins."""
        message = f"{parent} {verb} {self.t(module)} too"
        options = ((MINE, "Keep your place"), (THEIRS, "Take the parent's place"))
        return self.conflict(key, kind, (module,), message, options) == MINE


def merge(
    base: Sequence[str],
    theirs: Sequence[str],
    changes: Sequence[ChangeIn],
    requires: Mapping[str, Sequence[str]] | None = None,
    resolutions: Mapping[str, str] | None = None,
    titles: Mapping[str, str] | None = None,
    version: int | None = None,
) -> Merge:
    """Merge the child's `changes` on `base` into `theirs` (ChangeError if they do not fit)."""
    requires = requires or {}
    ours = [m for m, _ in derive.apply_changes([(m, True) for m in base], list(changes))]
    swaps = swap_pairs(base, changes)
    if list(base) == list(theirs) and not order_violations(ours, requires):
        return Merge(ours, list(changes), swaps)  # the parent's list is unchanged: keep as written
    back = {y: x for x, y in swaps.items()}
    state = _State(list(theirs), ours, dict(swaps), back, titles or {}, resolutions or {})
    parent = f"the parent's v{version}" if version else "the parent's new version"
    _drop_and_swap(state, base, theirs, parent)
    _replace(state, base, theirs, parent)
    _repair_order(state, requires)
    kept = clean_swaps(theirs, state.order, state.swaps)
    return Merge(state.order, canonical_changes(theirs, state.order, kept), kept, state.conflicts)


def _drop_and_swap(state: _State, base: Sequence[str], theirs: Sequence[str], parent: str) -> None:
    """Drop what the child dropped; put each swapped-in module in its parent module's place."""
    mine = set(state.ours)
    for x in base:
        if x not in mine and x not in state.swaps and x in state.order:
            state.order.remove(x)
    for x, y in list(state.swaps.items()):
        if y in theirs:  # the parent added it too
            if x in state.order:
                state.order.remove(x)
            if state.mine(f"added:{y}", "both_added", y, parent, "added"):
                state.placed.append(y)
        elif x in state.order:
            state.order[state.order.index(x)] = y
        else:
            message = f"{parent} removed {state.t(x)}, which you swapped for {state.t(y)}"
            if state.keep_or_drop(f"swap:{x}", "removed_swapped", (x, y), message, y):
                state.placed.append(y)
            del state.swaps[x]


def _replace(state: _State, base: Sequence[str], theirs: Sequence[str], parent: str) -> None:
    """Put the modules the child moved or added where the child has them."""
    old, new = set(base), set(theirs)
    parent_moved = set(moved(base, theirs, {}))
    for m in moved(base, state.ours, {x: y for y, x in state.swapped_in.items()}):
        x = state.swapped_in.get(m, m)  # the parent module it stands for
        if m in state.placed or (x != m and (x not in new or m in new)):
            continue  # decided with the swap (_drop_and_swap)
        if x not in new:
            message = f"{parent} removed {state.t(m)}, which you moved"
            if state.keep_or_drop(f"move:{m}", "removed_moved", (m,), message, m):
                state.placed.append(m)
        elif x not in parent_moved or state.mine(f"moved:{m}", "both_moved", m, parent, "moved"):
            state.placed.append(m)
    for m in state.ours:
        if m in old or m in state.swapped_in:
            continue
        if m not in new or state.mine(f"added:{m}", "both_added", m, parent, "added"):
            state.placed.append(m)
    _place(state)


def _place(state: _State) -> None:
    """Insert the placed modules, in the child's order, each after its child predecessor."""
    placed = set(state.placed)
    state.order = [m for m in state.order if m not in placed]
    for i, m in enumerate(state.ours):
        if m not in placed:
            continue
        before = next((p for p in reversed(state.ours[:i]) if p in state.order), None)
        at = state.order.index(before) + 1 if before is not None else 0
        state.order.insert(at, m)


def _repair_order(state: _State, requires: Mapping[str, Sequence[str]]) -> None:
    """Move each module that now precedes a prerequisite to just after it; list each such move."""
    seen: set[str] = set()
    for _ in range(len(state.order) ** 2):
        broken = order_violations(state.order, requires)
        if not broken:
            return
        module, req = broken[0]
        key = f"order:{module}:{req}"
        if key not in seen:
            seen.add(key)
            message = f"{state.t(module)} would come before its prerequisite {state.t(req)}"
            options = ((AFTER, f"Move {state.t(module)} to just after {state.t(req)}"),)
            state.conflict(key, "order", (module, req), message, options)
        state.order.remove(module)
        state.order.insert(state.order.index(req) + 1, module)
    state.order = _topological(state.order, requires)


def _topological(order: list[str], requires: Mapping[str, Sequence[str]]) -> list[str]:
    """The list reordered so prerequisites come first, otherwise as it was (a cycle stays)."""
    present, done, out = set(order), set(), []

    def visit(m: str, path: frozenset[str]) -> None:
        if m in done or m in path:
            return
        for req in requires.get(m, ()):
            if req in present:
                visit(req, path | {m})
        done.add(m)
        out.append(m)

    for m in order:
        visit(m, frozenset())
    return out


__all__ = ["Conflict", "Merge", "Swaps", "merge"]
