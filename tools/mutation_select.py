"""cosmic-ray's test command: run only the tests that run a mutant's lines (see tools/linemap.py).

`python tools/mutation_select.py MODULE LINEMAP TEST...` in the copy where cosmic-ray wrote the
mutant: diffs MODULE against the source in LINEMAP, widens the changed lines to their statements,
and runs pytest on the tests that ran any of those lines (all TESTs when the lines run at import).
Exits 0 when no test runs them: the mutant survives, unseen by any test.
"""

from __future__ import annotations

import ast
import difflib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

PYTEST = ["-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--no-header"]


def changed_lines(original: str, mutated: str) -> set[int]:
    """Line numbers (in `original`) of the statements a mutant changed."""
    before, after = original.splitlines(), mutated.splitlines()
    changed: set[int] = set()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            changed.update(range(i1 + 1, max(i2, i1 + 1) + 1))
    wide = set(changed)
    for span in _statements(original):
        if changed & set(span):
            wide.update(span)
    return wide


def _statements(source: str) -> Iterator[range]:
    """Each statement's lines; a compound statement's header only (decorators included)."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.stmt):
            continue
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        end = node.end_lineno or node.lineno
        body = getattr(node, "body", None)
        if isinstance(body, list) and body:
            end = body[0].lineno - 1
        yield range(start, end + 1)


def tests_for(linemap: dict, mutated: str, every: list[str]) -> list[str]:
    """The tests to run against this mutant, in the order they were run."""
    changed = changed_lines(linemap["source"], mutated)
    lines = {name: set(run) for name, run in linemap["lines"].items()}
    if changed & lines.pop(""):
        return every
    return [name for name, run in lines.items() if changed & run]


def main(argv: list[str]) -> int:
    """Pick the tests and hand over to pytest (exit 0 when there is none to run)."""
    module, linemap_path, *every = argv
    linemap = json.loads(Path(linemap_path).read_text())
    tests = tests_for(linemap, Path(module).read_text(), every)
    if not tests:
        print("no test runs the mutated lines")
        return 0
    os.execv(sys.executable, [sys.executable, *PYTEST, *tests])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
