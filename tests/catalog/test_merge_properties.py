"""Diff and three-way merge of derivations: properties over random lists and changes."""

from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.services.catalog import derive
from learnpath.services.catalog.diff import (
    canonical_changes,
    module_diff,
    order_violations,
    swap_pairs,
)
from learnpath.services.catalog.merge import DROP, Merge, merge
from learnpath.services.catalog.schema import ChangeIn

UNIVERSE = [f"m{i}" for i in range(12)]


def ids(entries: list[tuple[str, bool]]) -> list[str]:
    return [m for m, _ in entries]


def applied(parent: list[str], changes: list[ChangeIn]) -> list[str]:
    return ids(derive.apply_changes([(m, True) for m in parent], changes))


@st.composite
def lists(draw: st.DrawFn) -> list[str]:
    return draw(st.permutations(UNIVERSE))[: draw(st.integers(0, 10))]


@st.composite
def changes_on(draw: st.DrawFn, parent: list[str]) -> list[ChangeIn]:
    """A valid sequence of select, swap, add, move and remove changes on `parent`."""
    current, changes = list(parent), []
    for _ in range(draw(st.integers(0, 6))):
        absent = [m for m in UNIVERSE if m not in current]
        ops = ["add"] if absent else []
        ops += ["move", "remove", "select"] if current else []
        ops += ["swap"] if absent and current else []
        if not ops:
            break
        op = draw(st.sampled_from(ops))
        after = draw(st.sampled_from([None, *current])) if current else None
        if op == "select":
            kept = draw(st.lists(st.sampled_from(current), unique=True))
            change = ChangeIn(op="select", modules=kept)
        elif op == "add":
            change = ChangeIn(op="add", module=draw(st.sampled_from(absent)), after=after)
        elif op == "swap":
            module, new = draw(st.sampled_from(current)), draw(st.sampled_from(absent))
            change = ChangeIn.model_validate({"op": "swap", "module": module, "with": new})
        elif op == "remove":
            change = ChangeIn(op="remove", module=draw(st.sampled_from(current)))
        else:
            module = draw(st.sampled_from(current))
            change = ChangeIn(op="move", module=module, after=None if after == module else after)
        current = applied(current, [change])
        changes.append(change)
    return changes


@st.composite
def derivations(draw: st.DrawFn) -> tuple[list[str], list[ChangeIn]]:
    base = draw(lists())
    return base, draw(changes_on(base))


@settings(max_examples=300)
@given(derivations())
def test_canonical_changes_rebuild_the_child(derivation: tuple[list[str], list[ChangeIn]]) -> None:
    base, changes = derivation
    child = applied(base, changes)
    swaps = swap_pairs(base, changes)
    canonical = canonical_changes(base, child, swaps)
    assert applied(base, canonical) == child
    assert swap_pairs(base, canonical) == swaps
    diff = module_diff(base, child, swaps)
    assert diff.empty == (child == base)
    assert set(diff.added) | {y for _, y in diff.swapped} == set(child) - set(base)


@settings(max_examples=300)
@given(derivations())
def test_no_parent_change_returns_the_child_unchanged(
    derivation: tuple[list[str], list[ChangeIn]],
) -> None:
    base, changes = derivation
    result = merge(base, list(base), changes)
    assert result.modules == applied(base, changes)
    assert result.changes == changes
    assert result.conflicts == []


@settings(max_examples=300)
@given(derivations(), st.sampled_from(UNIVERSE))
def test_a_parent_that_only_appends_gets_the_child_plus_that_module(
    derivation: tuple[list[str], list[ChangeIn]], extra: str
) -> None:
    base, changes = derivation
    child = applied(base, changes)
    if extra in base or extra in child:
        return
    result = merge(base, [*base, extra], changes)
    assert result.modules == [*child, extra]
    assert result.conflicts == []


@settings(max_examples=300)
@given(lists(), lists())
def test_no_child_change_returns_the_new_parent(base: list[str], theirs: list[str]) -> None:
    result = merge(base, theirs, [])
    assert result == Merge(list(theirs), [], {}, [])


def _placed_after_its_predecessor(result: Merge, child: list[str], module: str) -> bool:
    i = child.index(module)
    before = next((p for p in reversed(child[:i]) if p in result.modules), None)
    at = result.modules.index(module)
    return result.modules[at - 1] == before if before is not None else at == 0


@settings(max_examples=500)
@given(derivations(), lists(), st.data())
def test_no_child_change_is_lost_without_a_listed_conflict(
    derivation: tuple[list[str], list[ChangeIn]], theirs: list[str], data: st.DataObject
) -> None:
    base, changes = derivation
    child = applied(base, changes)
    swaps = swap_pairs(base, changes)
    first = merge(base, theirs, changes)
    choices = {
        c.key: data.draw(st.sampled_from([v for v, _ in c.options])) for c in first.conflicts
    }
    result = merge(base, theirs, changes, resolutions=choices)
    modules = result.modules
    assert len(set(modules)) == len(modules)
    assert applied(list(theirs), result.changes) == modules
    named = {m for c in result.conflicts for m in c.modules}
    dropped = {m for c in result.conflicts if c.choice == DROP for m in c.modules}
    diff = module_diff(base, child, swaps)
    for m in diff.removed:
        assert m not in modules
    for m in diff.added:
        assert m in modules
    for x, y in diff.swapped:
        assert x not in modules
        assert y in modules or y in dropped
    for m in diff.moved:
        assert m in modules or m in dropped
    for m in theirs:
        if m not in base or m in child:
            assert m in modules
    if not any(c.kind == "order" for c in result.conflicts):
        for m in {*diff.added, *diff.moved}:
            if m not in named and m in modules:
                assert _placed_after_its_predecessor(result, child, m)


def test_parent_removing_a_swapped_module_is_a_conflict_kept_by_default() -> None:
    changes = [ChangeIn.model_validate({"op": "swap", "module": "b", "with": "x"})]
    result = merge(["a", "b", "c"], ["a", "c"], changes)
    assert [c.key for c in result.conflicts] == ["swap:b"]
    assert result.modules == ["a", "x", "c"]
    dropped = merge(["a", "b", "c"], ["a", "c"], changes, resolutions={"swap:b": "drop"})
    assert dropped.modules == ["a", "c"]


def test_parent_removing_a_moved_module_is_a_conflict() -> None:
    changes = [ChangeIn(op="move", module="c", after=None)]
    result = merge(["a", "b", "c"], ["a", "b"], changes, titles={"c": "Charts"}, version=3)
    (conflict,) = result.conflicts
    assert conflict.kind == "removed_moved"
    assert conflict.message == "the parent's v3 removed “Charts”, which you moved"
    assert result.modules == ["c", "a", "b"]


def test_a_new_prerequisite_that_breaks_the_child_order_is_listed_and_repaired() -> None:
    changes = [ChangeIn(op="move", module="c", after=None)]
    requires = {"c": ["n"]}
    result = merge(["a", "b", "c"], ["a", "n", "b", "c"], changes, requires=requires)
    assert [c.key for c in result.conflicts] == ["order:c:n"]
    assert result.modules == ["a", "n", "c", "b"]


def test_select_on_the_old_parent_does_not_drop_the_parents_new_module() -> None:
    changes = [ChangeIn(op="select", modules=["a", "c"])]
    result = merge(["a", "b", "c"], ["a", "b", "c", "d"], changes)
    assert result.modules == ["a", "c", "d"]
    assert result.changes == [ChangeIn(op="remove", module="b")]


@st.composite
def graphs(draw: st.DrawFn) -> dict[str, list[str]]:
    """Acyclic prerequisites: a module requires only modules of a lower number."""
    return {
        m: draw(st.lists(st.sampled_from(UNIVERSE[:i]), unique=True, max_size=2)) if i else []
        for i, m in enumerate(UNIVERSE)
    }


@settings(max_examples=300)
@given(derivations(), lists(), graphs())
def test_the_merged_order_keeps_every_prerequisite_and_lists_each_repair(
    derivation: tuple[list[str], list[ChangeIn]], theirs: list[str], requires: dict[str, list[str]]
) -> None:
    base, changes = derivation
    result = merge(base, theirs, changes, requires=requires)
    assert order_violations(result.modules, requires) == []
    assert applied(list(theirs), result.changes) == result.modules
    unrepaired = merge(base, theirs, changes)
    if unrepaired.modules != result.modules:
        assert any(c.kind == "order" for c in result.conflicts)
