"""ItemBank validation and immutability (the import boundary is in tests/test_layers.py)."""

from __future__ import annotations

import numpy as np
import pytest

from learnpath.irt import IRTError, ItemBank


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"a": [1.0, 0.0], "b": [0.0, 1.0]}, r"a\[1\] must be > 0"),
        ({"a": [1.0, -2.0], "b": [0.0, 1.0]}, r"a\[1\] must be > 0"),
        ({"a": [1.0, 1.0], "b": [0.0, 1.0], "c": [-0.1, 0.0]}, r"c\[0\] must be >= 0"),
        ({"a": [1.0, 1.0], "b": [0.0, 1.0], "d": [1.0, 1.2]}, r"d\[1\] must be <= 1"),
        (
            {"a": [1.0, 1.0], "b": [0.0, 1.0], "c": [0.3, 0.5], "d": [0.9, 0.5]},
            r"c\[1\] must be < d",
        ),
        ({"a": [1.0, 1.0, 1.0], "b": [0.0, 1.0]}, r"a must have 2 items"),
        ({"a": [1.0, 1.0], "b": [0.0, np.nan]}, r"b\[1\] must be a finite number, got nan"),
        ({"a": [np.inf, 1.0], "b": [0.0, 1.0]}, r"a\[0\] must be a finite number"),
        ({"a": [1.0], "b": []}, r"b must be a non-empty 1-D array"),
        ({"a": [1.0, 1.0], "b": [0.0, 1.0], "competency": ["x"]}, r"competency must have 2"),
    ],
)
def test_invalid_parameters_raise_irt_error_naming_parameter_and_index(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(IRTError, match=message):
        ItemBank(**kwargs)  # type: ignore[arg-type]


def test_irt_error_is_a_value_error() -> None:
    assert issubclass(IRTError, ValueError)


def test_models_and_defaults() -> None:
    assert ItemBank(a=1.0, b=[0.0, 1.0]).model == "1PL"
    assert ItemBank(a=[1.0, 2.0], b=[0.0, 1.0]).model == "2PL"
    assert ItemBank(a=[1.0, 2.0], b=[0.0, 1.0], c=[0.2, 0.0]).model == "3PL"
    bank = ItemBank(a=[1.0, 2.0], b=[0.0, 1.0], c=None, d=[1.0, 0.95])
    assert bank.model == "4PL" and not bank.is_2pl
    np.testing.assert_array_equal(bank.c, [0.0, 0.0])


def test_parameters_are_read_only_copies() -> None:
    a = np.array([1.0, 2.0])
    bank = ItemBank(a=a, b=[0.0, 1.0])
    a[0] = 5.0
    assert bank.a[0] == 1.0
    with pytest.raises(ValueError, match="read-only"):
        bank.b[0] = 3.0
    with pytest.raises(AttributeError):
        bank.a = a  # type: ignore[misc]


def test_competency_labels_and_subset() -> None:
    bank = ItemBank(a=[1.0, 1.5, 2.0], b=[0.0, 1.0, 2.0], competency=["sql", "git", "sql"])
    assert bank.labels == ("git", "sql")
    np.testing.assert_array_equal(bank.codes, [1, 0, 1])
    part = bank.subset([2, 1])
    np.testing.assert_array_equal(part.a, [2.0, 1.5])
    assert part.labels == ("git", "sql")
