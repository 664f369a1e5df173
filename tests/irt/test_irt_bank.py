"""ItemBank validation, immutability and the import boundary of learnpath.irt."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import learnpath.irt
from learnpath.irt import IRTError, ItemBank

IRT_DIR = Path(learnpath.irt.__file__).parent


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


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_irt_package_imports_only_numpy_and_the_standard_library() -> None:
    for path in IRT_DIR.glob("*.py"):
        foreign = {
            root
            for root in _imported_roots(path)
            if root not in sys.stdlib_module_names and root not in {"numpy", "__future__"}
        }
        assert not foreign, f"{path.name} imports {foreign}"


def test_ruff_bans_web_database_and_heavy_imports_in_irt() -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    probe = "import flask\nimport scipy\nimport sqlalchemy\nimport sqlmodel\nimport torch\n"
    result = subprocess.run(
        [
            ruff,
            "check",
            "--no-cache",
            "--select",
            "TID251",
            "--stdin-filename",
            str(IRT_DIR / "_probe.py"),
            "-",
        ],
        input=probe,
        capture_output=True,
        text=True,
        cwd=IRT_DIR.parent.parent,
        check=False,
    )
    for name in ("flask", "scipy", "sqlalchemy", "sqlmodel", "torch"):
        assert f"`{name}` is banned" in result.stdout
