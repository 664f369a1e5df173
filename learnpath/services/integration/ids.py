"""Public ids of the API: a type prefix and the row's database id, e.g. `prg_12`.

Prefixes: `prg_` programs (one per version), `enr_` enrollments, `mod_` modules, `cmp_`
competencies. They never change for a row, and the prefix says what an id names, so an id of the
wrong kind is rejected rather than looked up. Learners are addressed by the HR system's own
external id instead.
"""

from __future__ import annotations

import re

PREFIXES = {"program": "prg", "enrollment": "enr", "module": "mod", "competency": "cmp"}
MAX_ID = 2**31 - 1  # the database's integer range: larger numbers cannot name a row


def public_id(kind: str, row_id: int | None) -> str:
    """The public id of a row."""
    assert row_id is not None, f"{kind} has not been flushed"
    return f"{PREFIXES[kind]}_{row_id}"


def maybe_public_id(kind: str, row_id: int | None) -> str | None:
    """The public id of an optional reference."""
    return None if row_id is None else public_id(kind, row_id)


def pattern(kind: str) -> str:
    """The regular expression a public id of this kind matches."""
    return rf"^{PREFIXES[kind]}_[1-9][0-9]{{0,9}}$"


def row_id(kind: str, value: str) -> int | None:
    """The database id inside a public id, or None when it cannot name a row of this kind."""
    if not re.fullmatch(pattern(kind), value):
        return None
    number = int(value.split("_", 1)[1])
    return number if number <= MAX_ID else None
