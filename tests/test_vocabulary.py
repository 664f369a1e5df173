"""The shared vocabulary: one home per rule, standard library only, no magic depth numbers."""

import ast
import re
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from learnpath import vocabulary
from learnpath.models import Program
from learnpath.planning import Program as PlannedProgram
from learnpath.vocabulary import (
    DEPTH_RANGE,
    LEVELS,
    ROLES,
    STAFF_ROLES,
    Depth,
    aware,
    iso_utc,
)

PACKAGE = Path(vocabulary.__file__).parent


def test_vocabulary_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(vocabulary.__file__).read_text())
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    roots = {name.split(".")[0] for name in imported}
    assert roots <= set(sys.stdlib_module_names) | {"__future__"}, roots


@pytest.mark.parametrize(
    ("depth", "label", "derived", "personal"),
    [
        (1, "boxed", False, False),
        (2, "facilitated", True, False),
        (3, "specialized", True, False),
        (4, "deep", True, False),
        (5, "personal", False, True),
    ],
)
def test_each_depth_has_its_label_and_predicates(
    depth: int, label: str, derived: bool, personal: bool
) -> None:
    kind = Depth(depth)
    assert (kind.label, kind.is_derived, kind.is_personal) == (label, derived, personal)
    assert kind.keeps_parent_modules == (depth == 2)
    assert Program(slug="p", title="P", depth=depth).is_personal == personal
    assert PlannedProgram("p", 1, depth, ()).personal == personal


def test_depth_range_spans_the_enum() -> None:
    assert DEPTH_RANGE == (1, 5)
    assert [int(d) for d in Depth] == list(range(DEPTH_RANGE[0], DEPTH_RANGE[1] + 1))


def test_levels_and_roles() -> None:
    assert LEVELS == ("novice", "developing", "proficient", "advanced", "expert")
    assert STAFF_ROLES == set(ROLES) - {"learner"} == {"author", "facilitator", "admin"}


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2025, 3, 1, 12, 0, 0), "2025-03-01T12:00:00Z"),  # naive = UTC (SQLite)
        (datetime(2025, 3, 1, 12, 0, 0, 250000, tzinfo=UTC), "2025-03-01T12:00:00.250000Z"),
        (datetime(2025, 3, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))), "2025-03-01T12:00:00Z"),
    ],
)
def test_iso_utc_writes_utc_with_a_z(moment: datetime, text: str) -> None:
    assert iso_utc(moment) == text
    assert aware(moment).utcoffset() is not None


# A depth compared with a number, or a list of depth numbers, outside vocabulary.py: each such
# rule belongs to Depth (or a predicate such as Program.is_personal).
MAGIC_DEPTH = re.compile(r"depth\s*(==|!=|<=|>=|<|>)\s*\d|depth\s+(not\s+)?in\s*[(\[{]\s*\d")


def test_no_depth_is_compared_with_a_number() -> None:
    sources = [
        path
        for pattern in ("**/*.py", "**/*.html")
        for path in PACKAGE.glob(pattern)
        if "migrations" not in path.parts and path.name != "vocabulary.py"
    ]
    offending = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if MAGIC_DEPTH.search(line)
    ]
    assert len(sources) > 50
    assert offending == []
