"""The person × item CSV of pilot responses: header of item ids, cells 1, 0 or blank."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np


class MatrixError(ValueError):
    """A response file that cannot be read; the message names file, line and column."""


@dataclass
class Responses:
    """Responses with the item ids of the columns; NaN where an item was not presented."""

    item_ids: list[str]
    matrix: np.ndarray


def read_csv(path: Path) -> Responses:
    """Read and check a response matrix; raise MatrixError at the first bad cell."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError) as exc:
        raise MatrixError(f"{path}: cannot read: {exc}") from exc
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise MatrixError(f"{path}: line 1: a header of item ids is required")
    header = [cell.strip() for cell in rows[0]]
    for column, item in enumerate(header, start=1):
        if not item:
            raise MatrixError(f"{path}: line 1, column {column}: empty item id")
        if header.index(item) != column - 1:
            raise MatrixError(f"{path}: line 1, column {column}: item id {item!r} repeated")
    values = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise MatrixError(f"{path}: line {line}: {len(row)} cells, header has {len(header)}")
        values.append([_cell(path, line, column, cell) for column, cell in enumerate(row, 1)])
    if not values:
        raise MatrixError(f"{path}: no responses after the header")
    return Responses(item_ids=header, matrix=np.array(values, dtype=float))


def _cell(path: Path, line: int, column: int, cell: str) -> float:
    """1, 0 or blank (not presented)."""
    text = cell.strip()
    if text in ("1", "0"):
        return float(text)
    if text == "":
        return float("nan")
    raise MatrixError(f"{path}: line {line}, column {column}: {text!r} is not 1, 0 or blank")
