"""A broken catalog file is reported by file, line and field, and leaves the database as it was."""

import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlmodel import Session

from learnpath.services.catalog import CatalogError, import_catalog
from tests.conftest import CONTENT
from tests.factories import snapshot

# (file, text to find, replacement, field reported, words in the message)
BREAKAGES = {
    "malformed yaml": (
        "items/data-literacy.yaml",
        "\n  - id: dl-003\n",
        "\n  - id: dl-003\n    stem: [unclosed\n",
        "",
        "malformed YAML",
    ),
    "unknown reference": (
        "modules/data-literacy/dl-dashboards.md",
        "\nrequires: [",
        "\nrequires: [dl-no-such-module, ",
        "requires[0]",
        "unknown module 'dl-no-such-module'",
    ),
    "duplicate id": (
        "items/giving-feedback.yaml",
        "id: fb-002\n",
        "id: fb-001\n",
        "items[1].id",
        "duplicate item id 'fb-001'",
    ),
    "prerequisite cycle": (
        "competencies.yaml",
        "requires: []\n",
        "requires: [giving-feedback]\n",
        "competencies[0].requires[0]",
        "prerequisite cycle",
    ),
    "parameter out of range": (
        "items/project-management.yaml",
        "\n    b: ",
        "\n    b: 9.5\n    x_b: ",
        None,
        None,
    ),
    "department module owned by a program that is not deep": (
        "modules/information-security/sec-fin-month-end.md",
        "owner: secure-finance-operations",
        "owner: information-security-basics",
        "owner",
        "'information-security-basics' is not a deep (depth 4) program",
    ),
    "department item owned by a program that is not deep": (
        "items/information-security.yaml",
        "    owner: secure-finance-operations\n    stem: |\n      Under the team's call-back",
        "    owner: team-lead-path\n    stem: |\n      Under the team's call-back",
        "items[59].owner",
        "'team-lead-path' is not a deep (depth 4) program",
    ),
    "another line's department module in a rule": (
        "programs/team-lead-path.yaml",
        "modules: [sec-fin-invoice-fraud]",
        "modules: [sec-fin-month-end]",
        "rules[2].modules[0]",
        "'sec-fin-month-end' is department-only (secure-finance-operations)",
    ),
    "missing parent": (
        "programs/secure-finance-operations.yaml",
        "parent: {id: information-security-basics",
        "parent: {id: no-such-program",
        "parent",
        "parent program 'no-such-program' version 1 is missing",
    ),
}


def break_copy(tmp_path: Path, name: str) -> tuple[Path, str, int]:
    """A copy of content/ with one file broken; returns the folder, the file and the broken line."""
    rel, find, replace, _, _ = BREAKAGES[name]
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    path = folder / rel
    text = path.read_text()
    assert find in text, f"{rel} no longer contains {find!r}"
    start = text.index(find)
    broken = text[:start] + replace + text[start + len(find) :]
    path.write_text(broken)
    changed = next(
        i
        for i, (a, b) in enumerate(zip(text.splitlines(), broken.splitlines(), strict=False))
        if a != b
    )
    return folder, f"content/{rel}", changed + 1


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_broken_file_names_file_line_field_and_changes_nothing(
    catalog: Session, tmp_path: Path, name: str
) -> None:
    folder, rel, line = break_copy(tmp_path, name)
    before = snapshot(catalog)
    with pytest.raises(CatalogError) as caught:
        import_catalog(catalog, folder)
    catalog.rollback()
    assert snapshot(catalog) == before
    problem = caught.value.problems[0]
    assert problem.file == rel
    _, _, _, field, words = BREAKAGES[name]
    if name == "parameter out of range":
        assert "b" in problem.field and "less than or equal to 4" in problem.message
        assert any(
            p.field.endswith("x_b") and "Extra inputs" in p.message for p in caught.value.problems
        )
    else:
        assert problem.field == field
        assert words in problem.message
    assert abs(problem.line - line) <= 1, (problem, line)


def test_cli_reports_problems_and_exits_nonzero(
    runner: FlaskCliRunner, db: Session, tmp_path: Path
) -> None:
    folder, rel, line = break_copy(tmp_path, "duplicate id")
    before = snapshot(db)
    result = runner.invoke(args=["import-content", str(folder)])
    assert result.exit_code == 1
    assert f"error: {rel}:{line}: items[1].id: duplicate item id 'fb-001'" in result.output
    assert "nothing was imported" in result.output
    assert snapshot(db) == before


def test_cli_imports_and_second_run_reports_no_change(runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["import-content", str(CONTENT)])
    assert first.exit_code == 0, first.output
    assert "Item created" in first.output
    second = runner.invoke(args=["import-content", str(CONTENT)])
    assert second.exit_code == 0
    assert "nothing changed" in second.output


@pytest.mark.parametrize(
    ("rel", "bad", "reason"),
    [
        ("items/data-literacy.yaml", b"\x00", "contains a NUL character"),
        ("items/data-literacy.yaml", b"\xff\xfe", "not UTF-8 text: byte 0xff"),
        ("modules/data-literacy/dl-dashboards.md", b"\x00", "contains a NUL character"),
        ("modules/data-literacy/dl-dashboards.md", b"caf\xe9", "not UTF-8 text: byte 0xe9"),
    ],
)
def test_cli_reports_nul_bytes_and_invalid_utf8_by_file_and_line(
    runner: FlaskCliRunner, db: Session, tmp_path: Path, rel: str, bad: bytes, reason: str
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    lines = (folder / rel).read_bytes().splitlines(keepends=True)
    lines[5] = lines[5].rstrip(b"\n") + bad + b"\n"  # the 6th line of the file
    (folder / rel).write_bytes(b"".join(lines))
    before = snapshot(db)
    result = runner.invoke(args=["import-content", str(folder)])
    assert result.exit_code == 1 and result.exception is not None
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert f"error: content/{rel}:6: {reason}" in result.output
    assert "Traceback" not in result.output
    assert snapshot(db) == before
