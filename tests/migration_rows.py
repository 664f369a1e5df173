"""Rows for every table of a database at any revision, generated from its reflected schema."""

import re
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine

ROWS = 3  # generic rows per table; row i references row i of every table it points at
# Rows the generic values cannot stand for: what a downgrade used to drop or a backfill rewrites.
# Each applies where its table exists at the revision, with the columns that exist there.
TRICKY: list[tuple[str, dict[str, Any]]] = [
    ("segmentrule", {"action": "prefer_format", "format": "video", "minutes_per_week": None}),
    ("segmentrule", {"action": "pace", "format": "", "minutes_per_week": 90}),
    ("segmentrule", {"action": "include", "format": "", "minutes_per_week": None}),
    ("attempt", {"status": "active", "kind": "quiz", "learner_id": 1, "scope": "1:1,2"}),
    ("attempt", {"status": "active", "kind": "quiz", "learner_id": 1, "scope": "1:1,2#5"}),
    ("item", {"active": False, "status": "draft", "revision": 4, "updated_by": "Ana"}),
    ("adjustment", {"active": False, "withdrawn_at": datetime(2026, 3, 1, 9, 30)}),
    ("profilechange", {"setting": "interests", "payload": {"before": [], "after": ["sql"]}}),
]
# Values the generic ones cannot be: CHECK constraints over several columns, invariants.
DOMAIN: dict[tuple[str, str], list[Any]] = {
    ("itemparameter", "c"): [0.2],
    ("itemparameter", "d"): [1.0],
    # From 0011 on every department name in use has a department row (the upgrade registers them).
    ("learner", "department"): [f"name-department-{i}" for i in range(ROWS)],
}
ATTIC = "attic_"
WHEN = datetime(2026, 1, 2, 3, 4, 5, 678901)
QUOTED = re.compile(r"'([^']*)'")
NUMBER = re.compile(r"(?<![\w.])(-?\d+)(?![\w.])")


def fill(engine: Engine) -> None:
    """Insert ROWS generic rows into every table, then the TRICKY ones, in foreign-key order."""
    metadata = reflect(engine)
    with engine.begin() as conn:
        checks = {t.name: _check_values(conn, t) for t in metadata.sorted_tables}
        for table in metadata.sorted_tables:
            for i in range(ROWS):
                conn.execute(table.insert().values(_row(table, i, checks[table.name])))
        for n, (name, values) in enumerate(TRICKY):
            if name in metadata.tables:
                table = metadata.tables[name]
                row = _row(table, ROWS + n, checks[name])
                row.update({k: v for k, v in values.items() if k in table.columns})
                conn.execute(table.insert().values(row))


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table but the attic, by table name, ordered by primary key."""
    metadata = reflect(engine)
    with engine.connect() as conn:
        return {
            table.name: [
                dict(row._mapping)
                for row in conn.execute(
                    sa.select(table).order_by(*(table.primary_key.columns or table.columns))
                )
            ]
            for table in metadata.sorted_tables
            if not table.name.startswith(ATTIC)
        }


def reflect(engine: Engine) -> sa.MetaData:
    """The database's tables as they are, without alembic's own."""
    metadata = sa.MetaData()
    metadata.reflect(bind=engine)
    if "alembic_version" in metadata.tables:
        metadata.remove(metadata.tables["alembic_version"])
    return metadata


def _row(table: sa.Table, i: int, checks: dict[str, list[Any]]) -> dict[str, Any]:
    """Row i: every column given a value (nullable ones too), unique where a key needs it."""
    row: dict[str, Any] = {}
    for column in table.columns:
        targets = [fk.column for fk in column.foreign_keys]
        if targets:
            # Self-references point at the row before (the first row has none to point at).
            index = min(i, ROWS) - 1 if targets[0].table is table else i % ROWS
            row[column.name] = None if index < 0 and column.nullable else max(index, 0) + 1
        elif column.name in checks:
            row[column.name] = checks[column.name][i % len(checks[column.name])]
        else:
            row[column.name] = _value(table.name, column, i)
    return row


def _value(table: str, column: sa.Column[Any], i: int) -> Any:
    """A value of the column's type, distinct per row."""
    kind = column.type
    if isinstance(kind, sa.JSON):
        return {"row": i, "list": [table, i], "text": "ü"}
    python = kind.python_type
    if python is bool:
        return i % 2 == 0
    if python is int:
        return i + 1
    if python is float:
        return i + 0.25
    if python is datetime:
        return WHEN.replace(day=1 + i, tzinfo=UTC if getattr(kind, "timezone", False) else None)
    if python is date:
        return date(2026, 2, 1 + i)
    if python is time:
        return time(9, 15 + i)
    text = f"{column.name}-{table}-{i}"
    length = getattr(kind, "length", None)
    return text[-length:] if length else text


def _check_values(conn: Connection, table: sa.Table) -> dict[str, list[Any]]:
    """Values satisfying the table's CHECK constraints: DOMAIN's, or found for one-column ones."""
    found: dict[str, list[Any]] = {
        column: values for (name, column), values in DOMAIN.items() if name == table.name
    }
    for check in sa.inspect(conn).get_check_constraints(table.name):
        text = str(check["sqltext"])
        columns = [c.name for c in table.columns if re.search(rf"\b{c.name}\b", text)]
        if len(columns) != 1 or columns[0] in found:
            continue
        numbers = [int(n) for n in NUMBER.findall(text)]
        if table.columns[columns[0]].type.python_type is str:
            candidates: list[Any] = QUOTED.findall(text)
        else:
            candidates = [*numbers, *(n + 1 for n in numbers), 0.5]
        fitting = [v for v in candidates if _satisfies(conn, text, columns[0], v)]
        if fitting:
            found[columns[0]] = fitting
    return found


def _satisfies(conn: Connection, check: str, column: str, value: Any) -> bool:
    """Whether the CHECK expression holds when `column` is `value`."""
    query = f"SELECT CASE WHEN ({check}) THEN 1 ELSE 0 END FROM (SELECT :v AS {column}) AS t"
    return bool(conn.execute(sa.text(query), {"v": value}).scalar())
