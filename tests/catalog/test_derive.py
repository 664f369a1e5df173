"""Applying derivation changes to a parent's module list."""

import pytest

from learnpath.services.catalog.derive import ChangeError, apply_changes
from learnpath.services.catalog.schema import ChangeIn

PARENT = [("a", True), ("b", True), ("c", False)]


def change(**fields: object) -> ChangeIn:
    return ChangeIn.model_validate(fields)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ([change(op="select", modules=["c", "a"])], ["a", "c"]),
        ([change(op="swap", module="b", **{"with": "x"})], ["a", "x", "c"]),
        ([change(op="add", module="x")], ["a", "b", "c", "x"]),
        ([change(op="add", module="x", after=None)], ["x", "a", "b", "c"]),
        ([change(op="add", module="x", after="a")], ["a", "x", "b", "c"]),
        ([change(op="move", module="c", after=None)], ["c", "a", "b"]),
        ([change(op="move", module="a", after="b")], ["b", "a", "c"]),
        ([change(op="remove", module="b")], ["a", "c"]),
    ],
)
def test_each_change(changes: list[ChangeIn], expected: list[str]) -> None:
    assert [m for m, _ in apply_changes(PARENT, changes)] == expected


def test_swap_keeps_mandatory_and_add_is_mandatory() -> None:
    result = apply_changes(
        PARENT, [change(op="swap", module="c", **{"with": "y"}), change(op="add", module="z")]
    )
    assert result == [("a", True), ("b", True), ("y", False), ("z", True)]


def test_changes_apply_in_order_and_see_earlier_ones() -> None:
    changes = [change(op="add", module="x", after="a"), change(op="move", module="c", after="x")]
    assert [m for m, _ in apply_changes(PARENT, changes)] == ["a", "x", "c", "b"]


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (change(op="remove", module="zz"), "module"),
        (change(op="add", module="a"), "module"),
        (change(op="swap", module="a", **{"with": "b"}), "with"),
        (change(op="move", module="a", after="zz"), "after"),
        (change(op="select", modules=["a", "zz"]), "modules[1]"),
    ],
)
def test_impossible_changes_name_the_field(bad: ChangeIn, field: str) -> None:
    with pytest.raises(ChangeError) as caught:
        apply_changes(PARENT, [change(op="remove", module="c"), bad])
    assert caught.value.index == 1
    assert caught.value.field == field


def test_op_without_its_fields_is_rejected() -> None:
    with pytest.raises(ValueError, match="'swap' needs 'with'"):
        change(op="swap", module="a")
