"""CSV export: cells a spreadsheet would evaluate start with an apostrophe; the rest as is."""

import csv
import io

import pytest

from learnpath.services.export import csv_text, safe_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Ana = Bob", "Ana = Bob"),
        (None, ""),
        (3, "3"),
    ],
)
def test_formula_cells_are_neutralised(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_a_file_reads_back_with_every_cell_neutralised() -> None:
    text = csv_text(["name", "=header"], [["=1+1", 'a "quoted", text']])
    assert list(csv.reader(io.StringIO(text))) == [
        ["name", "'=header"],
        ["'=1+1", 'a "quoted", text'],
    ]
