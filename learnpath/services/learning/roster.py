"""Reading an uploaded roster: a CSV of e-mail addresses or external ids, checked line by line.

The file must be UTF-8 (a byte-order mark is allowed), at most MAX_BYTES, with a header row
naming an `email` or an `external_id` column. Every problem is reported with its line: a cell
that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return),
a row repeating an earlier one, a row with neither value. A roster with any problem is refused
whole, so nothing is written from a file that was not what its author meant.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

MAX_BYTES = 10 * 1024 * 1024
KEYS = ("email", "external_id")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Row:
    """One roster line: its number in the file and the value that names a learner."""

    line: int
    key: str  # "email" or "external_id"
    value: str


@dataclass
class Roster:
    """The rows of an uploaded file, or the problems that refuse it."""

    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read(data: bytes) -> Roster:
    """Check and read a roster file; problems name their line."""
    if len(data) > MAX_BYTES:
        return Roster(problems=[f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB"])
    text, problem = _decode(data)
    if problem:
        return Roster(problems=[problem])
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    columns = [c.strip().lower() for c in header or []]
    key = next((k for k in KEYS if k in columns), None)
    if key is None:
        return Roster(problems=["line 1: the header row must name an email or external_id column"])
    roster, seen = Roster(), dict[str, int]()
    for cells in reader:
        line = reader.line_num
        _check_row(roster, seen, line, cells, key, columns.index(key))
    if not roster.rows and not roster.problems:
        roster.problems.append("the file has a header but no rows")
    return roster


def _decode(data: bytes) -> tuple[str, str]:
    """The file as text, or a problem naming the first line that is not UTF-8."""
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return "", f"line {line}: the file is not UTF-8 text (save it as CSV UTF-8)"


def _check_row(
    roster: Roster, seen: dict[str, int], line: int, cells: list[str], key: str, index: int
) -> None:
    """Add one data row to the roster, or its problems."""
    if not any(c.strip() for c in cells):
        return  # blank lines are no rows
    formulas = [c for c in cells if c.startswith(FORMULA_STARTS)]
    if formulas:
        roster.problems.append(
            f"line {line}: the cell {formulas[0][:20]!r} starts like a formula; "
            "formulas are refused"
        )
        return
    value = cells[index].strip() if index < len(cells) else ""
    if not value:
        roster.problems.append(f"line {line}: no {key}")
        return
    folded = value.casefold()
    if folded in seen:
        roster.problems.append(f"line {line}: repeats line {seen[folded]} ({value})")
        return
    seen[folded] = line
    roster.rows.append(Row(line, key, value))
