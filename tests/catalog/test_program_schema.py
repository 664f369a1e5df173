"""A program file's depth decides what it may hold; level bands must increase."""

from typing import Any

import pytest
from pydantic import ValidationError

from learnpath.services.catalog.schema import ProgramIn

PARENT = {"id": "base", "version": 1}
CHANGE = {"op": "remove", "module": "m1"}
TARGET = {"competency": "c1", "default": "advanced"}
RULE = {"name": "R", "when": {"role": ["analyst"]}, "then": "include", "modules": ["m1"]}


def program(depth: int, **fields: Any) -> dict[str, Any]:
    """A program file's data at `depth` with the given fields."""
    return {"id": "p", "title": "P", "depth": depth, **fields}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (program(0, modules=["m1"]), "greater than or equal to 1"),
        (program(6, modules=["m1"]), "less than or equal to 5"),
        (program(3, changes=[CHANGE]), "a depth-3 program is derived: it needs a 'parent'"),
        (program(1, parent=PARENT, modules=["m1"]), "a depth-1 program has no parent"),
        (program(5, parent=PARENT), "a depth-5 program has no parent"),
        (program(4, parent=PARENT, modules=["m1"]), "lists 'changes' to its parent, not 'modules'"),
        (program(1, status="published"), "a depth-1 program needs 'modules'"),
        (
            program(2, parent=PARENT, changes=[CHANGE]),
            "a facilitated (depth 2) program keeps the parent's modules: no 'changes'",
        ),
        (
            program(4, parent=PARENT, targets=[{**TARGET, "roles": {"analyst": "expert"}}]),
            "targets by role belong to personal (depth 5) programs",
        ),
        (
            program(1, modules=["m1"], rules=[RULE]),
            "'rules' belong to personal (depth 5) programs",
        ),
        (
            program(1, modules=["m1"], level_bands={"novice": -3.0}),
            "level_bands: 'novice' is the lowest band and has no lower bound",
        ),
        (
            program(1, modules=["m1"], level_bands={"advanced": -2.0}),
            "level_bands must increase from developing to expert",
        ),
    ],
)
def test_a_program_that_does_not_fit_its_depth_is_refused(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        ProgramIn.model_validate(data)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        program(1, modules=["m1"], level_bands={"advanced": 0.8, "expert": 2.0}),
        program(2, parent=PARENT),
        program(3, parent=PARENT, changes=[CHANGE]),
        program(5, modules=["m1"], targets=[TARGET]),
    ],
)
def test_a_program_that_fits_its_depth_is_accepted(data: dict[str, Any]) -> None:
    assert ProgramIn.model_validate(data).depth_kind == data["depth"]


def test_a_draft_may_be_empty_and_any_depth_may_aim_at_levels() -> None:
    """The studio starts programs empty; a boxed program may name the levels it builds."""
    assert ProgramIn.model_validate(program(1)).modules == []
    boxed = ProgramIn.model_validate(program(1, modules=["m1"], targets=[TARGET]))
    assert boxed.targets[0].default == "advanced"
