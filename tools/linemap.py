"""pytest plugin for tools/mutate.py: which lines of one module each test runs.

Loaded with `-p tools.linemap` and MUTATE_TRACE=<module file>, it writes MUTATE_LINEMAP (JSON):
the lines run at import (module constants, decorators, signatures) and, per test, the lines that
test ran. A mutant is then tested only by the tests that run its lines (by all of them when the
line runs at import), and a mutant no test runs survives without a test run.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

TARGET = str(Path(os.environ.get("MUTATE_TRACE", "-")).resolve())
IMPORT = ""  # the key of the lines run outside any test
lines: dict[str, set[int]] = {IMPORT: set()}
current = lines[IMPORT]


def _in_target(frame: FrameType, event: str, arg: Any) -> Any:
    if event == "line":
        current.add(frame.f_lineno)
    return _in_target


def _any(frame: FrameType, event: str, arg: Any) -> Any:
    if frame.f_code.co_filename != TARGET:
        return None
    current.add(frame.f_lineno)
    return _in_target


# Trace from this plugin's import on (before conftest.py), and import the target now: its
# module-level lines (constants, decorators, signatures) run for every test, not for the first
# test that happens to import it.
sys.settrace(_any)
threading.settrace(_any)
if "MUTATE_TRACE" in os.environ:
    _name = os.environ["MUTATE_TRACE"].removesuffix(".py").removesuffix("/__init__")
    importlib.import_module(_name.replace("/", "."))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    """Lines run while a test sets up, runs and tears down are that test's."""
    global current
    current = lines.setdefault(item.nodeid, set())
    yield
    current = lines[IMPORT]


def pytest_unconfigure(config: pytest.Config) -> None:
    """Write the map, with the module's source to diff mutants against."""
    sys.settrace(None)
    threading.settrace(None)
    found = {name: sorted(run) for name, run in lines.items() if run or name == IMPORT}
    out = {"source": Path(TARGET).read_text(), "lines": found}
    Path(os.environ["MUTATE_LINEMAP"]).write_text(json.dumps(out))
