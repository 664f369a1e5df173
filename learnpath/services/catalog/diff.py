"""How a derived program's module list differs from its parent's, as pure functions over ids.

A derivation is held as the parent's list, the child's list and the swaps (parent module → the
module that replaced it). From these come the diff an author reads (added, removed, swapped,
moved) and the canonical changes a file records: removes, then swaps, then moves and adds in
the child's order, each anchored after its predecessor. Applying those changes to the parent's
list (derive.apply_changes) gives the child's list back.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from learnpath.services.catalog.schema import ChangeIn

Swaps = Mapping[str, str]
"""Parent module → the module the child put in its place."""


@dataclass(frozen=True)
class ModuleDiff:
    """What the child did to the parent's module list."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    swapped: tuple[tuple[str, str], ...] = ()
    moved: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether the child has the parent's modules in the parent's order."""
        return not (self.added or self.removed or self.swapped or self.moved)


def swap_pairs(parent: Sequence[str], changes: Sequence[ChangeIn]) -> dict[str, str]:
    """Which parent module each surviving swap replaced; a→b then b→c is a→c."""
    origin: dict[str, str | None] = {m: m for m in parent}  # present module → parent module
    for c in changes:
        if c.op == "select":
            origin = {m: o for m, o in origin.items() if m in c.modules}
        elif c.op == "remove":
            origin.pop(c.module or "", None)
        elif c.op == "add" and c.module:
            origin[c.module] = None
        elif c.op == "swap" and c.module in origin and c.with_:
            origin[c.with_] = origin.pop(c.module)
    return clean_swaps(parent, list(origin), {o: m for m, o in origin.items() if o and o != m})


def clean_swaps(parent: Sequence[str], child: Sequence[str], swaps: Swaps) -> dict[str, str]:
    """The swaps that still hold: the parent module gone, its replacement a new module present."""
    old, new = set(parent), set(child)
    return {
        x: y for x, y in swaps.items() if x in old and x not in new and y in new and y not in old
    }


def longest_common(a: Sequence[str], b: Sequence[str]) -> set[str]:
    """Members of one longest common subsequence of two lists of distinct ids."""
    n, m = len(a), len(b)
    length = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            length[i][j] = (
                length[i + 1][j + 1] + 1
                if a[i] == b[j]
                else max(length[i + 1][j], length[i][j + 1])
            )
    kept, i, j = set(), 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            kept.add(a[i])
            i, j = i + 1, j + 1
        elif length[i + 1][j] > length[i][j + 1]:
            i += 1
        else:  # a tie: keep a's element, so the one b brought forward counts as moved
            j += 1
    return kept


def moved(parent: Sequence[str], child: Sequence[str], swaps: Swaps) -> list[str]:
    """Child modules (a swapped-in one stands for the module it replaced) out of parent order."""
    back = {y: x for x, y in swaps.items()}
    old = set(parent)
    mine = [back.get(m, m) for m in child if back.get(m, m) in old]
    present = set(mine)
    stable = longest_common([m for m in parent if m in present], mine)
    return [m for m in child if back.get(m, m) in old and back.get(m, m) not in stable]


def module_diff(parent: Sequence[str], child: Sequence[str], swaps: Swaps) -> ModuleDiff:
    """Added, removed, swapped and moved modules of the child, in the child's order."""
    swaps = clean_swaps(parent, child, swaps)
    old, new, swapped_in = set(parent), set(child), set(swaps.values())
    return ModuleDiff(
        added=tuple(m for m in child if m not in old and m not in swapped_in),
        removed=tuple(m for m in parent if m not in new and m not in swaps),
        swapped=tuple((x, swaps[x]) for x in parent if x in swaps),
        moved=tuple(moved(parent, child, swaps)),
    )


def canonical_changes(parent: Sequence[str], child: Sequence[str], swaps: Swaps) -> list[ChangeIn]:
    """Changes that turn the parent's list into the child's: removes, swaps, moves and adds."""
    if len(set(child)) != len(child):
        raise ValueError("a module is listed twice")
    swaps = clean_swaps(parent, child, swaps)
    new = set(child)
    changes = [ChangeIn(op="remove", module=m) for m in parent if m not in new and m not in swaps]
    changes += [
        ChangeIn.model_validate({"op": "swap", "module": x, "with": swaps[x]})
        for x in parent
        if x in swaps
    ]
    start = [swaps.get(m, m) for m in parent if m in new or m in swaps]
    stable = longest_common(start, child)
    present = set(start)
    for i, m in enumerate(child):
        if m not in stable:
            after = child[i - 1] if i else None
            changes.append(
                ChangeIn(op="move", module=m, after=after)
                if m in present
                else ChangeIn(op="add", module=m, after=after)
            )
    return changes


def order_violations(
    order: Sequence[str], requires: Mapping[str, Sequence[str]]
) -> list[tuple[str, str]]:
    """(module, prerequisite) pairs where a listed prerequisite comes after its module."""
    position = {m: i for i, m in enumerate(order)}
    return [
        (module, req)
        for i, module in enumerate(order)
        for req in requires.get(module, ())
        if position.get(req, -1) > i
    ]
