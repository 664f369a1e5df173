"""Our cosmic-ray additions: a string-constant operator and the filters of mutants never run.

cosmic-ray mutates no strings; the promises we guard include string constants (OAuth scopes in
decorators, a namespace UUID, statuses), so `ReplaceConstantString` mutates the strings that are
module or class constants or decorator arguments (not docstrings, not strings inside functions,
whose mutants would mostly be message wording).
"""

from __future__ import annotations

import ast
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cosmic_ray.operators.operator import Example, Operator
from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import WorkerOutcome, WorkResult

Span = tuple[tuple[int, int], tuple[int, int]]


class ReplaceConstantString(Operator):
    """Prefix "XX" to a string constant: a module or class constant, or a decorator's argument."""

    def mutation_positions(self, node: Any) -> Iterator[Span]:
        """Where this operator mutates `node`: once, if it is such a string."""
        if node.type == "string" and _is_constant(node):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        """The string with "XX" after its opening quote."""
        body = node.value.lstrip("rRbBuU")
        prefix = node.value[: len(node.value) - len(body)]
        quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
        node.value = prefix + quote + "XX" + body[len(quote) :]
        return node

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        """What the operator does and leaves alone."""
        return (Example('A = "b"\n', 'A = "XXb"\n'),)


def _is_constant(node: Any) -> bool:
    parent = node.parent
    if parent.type == "simple_stmt":  # a docstring or a lone string statement
        return False
    while parent is not None:
        if parent.type == "decorator":
            return True
        if parent.type in ("funcdef", "lambdef"):
            return False
        parent = parent.parent
    return True


class Operators:
    """The `learnpath` operator provider (registered by tools/mutate.py)."""

    operators = {"ReplaceConstantString": ReplaceConstantString}

    def __iter__(self) -> Iterator[str]:
        return iter(self.operators)

    def __getitem__(self, name: str) -> type[Operator]:
        return self.operators[name]


def mark_skipped(session: Path, root: Path, operators: list[str]) -> None:
    """Skip mutants of operators not listed, and mutants of type annotations (never run code).

    Annotations are not evaluated at run time here (`from __future__ import annotations` or only
    read by type checkers), so `int | None` → `int & None` is equivalent, not a missed bug.
    """
    keep = re.compile("|".join(f"(?:{o})" for o in operators))
    annotations: dict[Path, list[Span]] = {}
    with use_db(str(session), WorkDB.Mode.open) as db:
        for item in db.pending_work_items:
            (mutation,) = item.mutations
            path = root / mutation.module_path
            spans = annotations.setdefault(path, _annotation_spans(path.read_text()))
            inside = any(a <= mutation.start_pos and mutation.end_pos <= b for a, b in spans)
            bare_star = _is_bare_star(path.read_text().splitlines(), mutation.start_pos)
            if inside or bare_star or not keep.fullmatch(mutation.operator_name):
                reason = "type annotation" if inside else "not an operator" if bare_star else "off"
                db.set_result(
                    item.job_id, WorkResult(output=reason, worker_outcome=WorkerOutcome.SKIPPED)
                )


def _is_bare_star(lines: list[str], position: tuple[int, int]) -> bool:
    """A `*` that ends positional parameters, which cosmic-ray takes for a multiplication."""
    line, column = position
    text = lines[line - 1]
    return text[column : column + 1] == "*" and text[column + 1 :].lstrip()[:1] in (",", ")", "")


def _annotation_spans(source: str) -> list[Span]:
    """(line, column) spans of every annotation, in parso's columns (characters, not bytes)."""
    lines = source.splitlines()

    def column(line: int, offset: int) -> int:
        return len(lines[line - 1].encode()[:offset].decode())

    spans = []
    for node in ast.walk(ast.parse(source)):
        found: list[ast.expr | None] = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found.append(node.returns)
        elif isinstance(node, ast.arg | ast.AnnAssign):
            found.append(node.annotation)
        for a in filter(None, found):
            end_line, end_col = a.end_lineno or a.lineno, a.end_col_offset or 0
            spans.append(
                ((a.lineno, column(a.lineno, a.col_offset)), (end_line, column(end_line, end_col)))
            )
    return spans


def reopen_survivors(session: Path) -> None:
    """Forget the survivors' results so that `cosmic-ray exec` tests them again."""
    with sqlite3.connect(session) as db:
        db.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'")
