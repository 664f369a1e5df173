"""The layer fences fail: a forbidden import planted in a copy of the package breaks its contract.

The contracts are in pyproject.toml ([tool.importlinter]); `make lint` runs them on the real
package. Here each case copies learnpath to a temporary folder, plants one import, runs
lint-imports on the copy and reads which contracts it reports broken.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
RESULT = re.compile(r"^(?P<name>.+) (?P<verdict>KEPT|BROKEN)$")

LAYERS = "Layers: each imports only the layers below it; siblings split by | ignore each other"
CORES = "Cores (irt, planning) import nothing of the app, the web, the database or heavy numerics"
PLANNING_STDLIB = "The planning core is standard library only (irt may use numpy)"
SERVICES_NO_WEB = "Services never import the web: no flask request, session, templates or forms"
DATABASE = "Only db, migrate, models and services import the database libraries"
NO_TORCH = "Nothing the web app loads imports torch, pyro or py-irt (calibration runs apart)"


def lint_imports(root: Path) -> tuple[int, str]:
    """Run lint-imports on the learnpath under `root`: its exit code and its output, uncoloured."""
    env = {**os.environ, "PYTHONPATH": str(root), "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)


def run_contracts(root: Path) -> tuple[int, dict[str, str]]:
    """The exit code of lint-imports on `root` and each contract's verdict (KEPT or BROKEN)."""
    code, output = lint_imports(root)
    verdicts = {}
    for line in output.splitlines():
        if found := RESULT.match(line.strip()):
            verdicts[found["name"]] = found["verdict"]
    assert verdicts, output
    return code, verdicts


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the package and its pyproject.toml, to plant imports in."""
    shutil.copytree(
        ROOT / "learnpath",
        tmp_path / "learnpath",
        ignore=shutil.ignore_patterns("__pycache__", "templates", "static"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def plant(root: Path, module: str, line: str) -> None:
    """Append `line` to the module's file (dotted path below learnpath)."""
    path = root / "learnpath" / (module.replace(".", "/") + ".py")
    assert path.exists(), path
    path.write_text(path.read_text() + "\n" + line + "\n")


def test_the_copy_as_it_is_keeps_every_contract(copy: Path) -> None:
    code, verdicts = run_contracts(copy)
    assert code == 0
    assert verdicts == dict.fromkeys(
        [LAYERS, CORES, PLANNING_STDLIB, NO_TORCH, SERVICES_NO_WEB, DATABASE], "KEPT"
    )


LAZY = "def _planted():\n    import sqlalchemy  # noqa\n"
CASES = [
    # services import the irt core, so flask there reaches the services too
    ("irt.bank", "import flask", {CORES, SERVICES_NO_WEB}),
    ("irt.models", "from learnpath.models import Program", {LAYERS, CORES}),
    ("irt.estimation", "from learnpath.services.catalog import banks", {LAYERS, CORES}),
    ("irt.quadrature", "import torch", {CORES, NO_TORCH}),
    ("irt.selection", "from learnpath import planning", {LAYERS}),
    ("irt.pricing", LAZY, {CORES, DATABASE}),
    ("planning.pool", "import flask", {CORES, SERVICES_NO_WEB}),
    ("planning.graph", "from learnpath.models import Program", {LAYERS, CORES}),
    # ...and the services import numpy (through irt), so planning would reach it
    (
        "planning.rules",
        "from learnpath.services.learning import results",
        {LAYERS, CORES, PLANNING_STDLIB},
    ),
    ("planning.tempo", "import numpy", {PLANNING_STDLIB}),
    ("planning.levels", "import scipy", {CORES}),
    ("services.learning.study", "from flask import request", {SERVICES_NO_WEB}),
    ("services.learning.results", "import py_irt", {NO_TORCH}),
    ("services.accounts.users", "from learnpath.db import get_session", {LAYERS, SERVICES_NO_WEB}),
    ("services.integration.sync", "from learnpath.learner import views", {LAYERS, SERVICES_NO_WEB}),
    ("models.program", "from learnpath.services.catalog import browse", {LAYERS}),
    ("learner.views", "from learnpath.api import views as api_views", {LAYERS}),
    ("learner.views", "from sqlmodel import Session", {DATABASE}),
    ("api.views", "from sqlalchemy import create_engine", {DATABASE}),
    ("cli", "from sqlmodel import select", {DATABASE}),
]


@pytest.mark.parametrize(
    ("module", "line", "broken"), CASES, ids=[f"{m}: {c}" for m, c, _ in CASES]
)
def test_a_planted_import_breaks_its_contract(
    copy: Path, module: str, line: str, broken: set[str]
) -> None:
    plant(copy, module, line)
    code, verdicts = run_contracts(copy)
    assert code != 0
    assert {name for name, verdict in verdicts.items() if verdict == "BROKEN"} == broken


def test_a_new_top_level_module_must_be_given_a_layer(copy: Path) -> None:
    (copy / "learnpath" / "helpers.py").write_text('"""Somewhere to put things."""\n')
    code, verdicts = run_contracts(copy)
    assert code != 0 and verdicts[LAYERS] == "BROKEN"


def test_an_exception_that_matches_no_import_fails(copy: Path) -> None:
    """The list of views allowed to query directly can only shrink: a stale entry is an error."""
    config = copy / "pyproject.toml"
    text = config.read_text()
    assert "ignore_imports = [\n" in text
    config.write_text(
        text.replace(
            "ignore_imports = [\n", 'ignore_imports = [\n    "learnpath.auth -> sqlmodel",\n'
        )
    )
    code, output = lint_imports(copy)
    assert code != 0
    assert "No matches for ignored import learnpath.auth -> sqlmodel." in output


def test_the_cores_import_only_the_standard_library_and_numpy() -> None:
    """What no forbidden list can foresee: a new third-party import in a core (or vocabulary)."""
    graph = grimp.build_graph("learnpath", include_external_packages=True, cache_dir=None)
    allowed = {"learnpath.irt": {"numpy"}, "learnpath.planning": set()}
    if "learnpath.vocabulary" in graph.modules:
        allowed["learnpath.vocabulary"] = set()
    for core, extra in allowed.items():
        modules = {core} | graph.find_descendants(core)
        imported = {i for m in modules for i in graph.find_modules_directly_imported_by(m)}
        outside = {i for i in imported - modules if i.split(".")[0] != "learnpath"}
        assert outside - set(sys.stdlib_module_names) == extra, core
