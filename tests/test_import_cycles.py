"""No module of learnpath imports a module that imports it back, directly or round a longer loop.

The graph comes from grimp (import-linter's graph library). It reads the source, not the running
interpreter, so it sees imports made inside functions and under `if TYPE_CHECKING:` as well as
those at the top of a file: a "lazy" import does not hide a circle.
"""

import sys
from pathlib import Path

import grimp
import pytest


def import_cycles(package: str) -> list[list[str]]:
    """Each group of modules that reach one another through imports, sorted (Tarjan's SCCs)."""
    graph = grimp.build_graph(package, cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = stack[stack.index(module) :]
            del stack[stack.index(module) :]
            if len(group) > 1 or graph.direct_import_exists(importer=module, imported=module):
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return sorted(cycles)


def test_learnpath_has_no_import_cycle() -> None:
    assert import_cycles("learnpath") == []


@pytest.fixture
def circular_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A throwaway package whose two modules import each other, one of them inside a function."""
    package = tmp_path / "circular_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from circular_pkg.b import helper\n")
    (package / "b.py").write_text("def helper():\n    from circular_pkg import a\n\n    return a\n")
    (package / "c.py").write_text("import circular_pkg.a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "circular_pkg", raising=False)
    return "circular_pkg"


def test_a_circle_through_a_function_level_import_is_found(circular_package: str) -> None:
    assert import_cycles(circular_package) == [["circular_pkg.a", "circular_pkg.b"]]
