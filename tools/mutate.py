"""Mutation testing of the modules that hold permissions and promises (`make mutate`).

Runs cosmic-ray over the targets of tools/mutation.toml: each module is mutated in a private copy
of the tree (never in place), one cosmic-ray session per module, and each mutant runs only the
tests its target names. Prints the score per module; details land in .mutation/ (survivors.txt
lists every surviving mutant with its diff). How to read and act on it: docs/testing.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import queue
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
CONFIG = ROOT / "tools" / "mutation.toml"
PYTEST = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--no-header"]


@dataclass(frozen=True)
class Target:
    """One module to mutate, the tests that must kill its mutants, and its session file."""

    module: str
    tests: tuple[str, ...]  # globs, matched in the copy

    @property
    def session(self) -> Path:
        """Where cosmic-ray keeps this module's mutants and results."""
        return WORK / "sessions" / (self.module.replace("/", ".") + ".sqlite")


def targets(config: dict, only: list[str]) -> list[Target]:
    """The modules the config names (first target wins), narrowed to those matching `only`."""
    found: dict[str, Target] = {}
    for entry in config["targets"]:
        tests = tuple(entry["tests"])
        for pattern in entry["modules"]:
            for module in _glob(pattern):
                if not module.endswith("__init__.py") or Path(ROOT, module).stat().st_size:
                    found.setdefault(module, Target(module, tests))
    picked = [
        t for t in found.values() if not only or any(fnmatch.fnmatch(t.module, o) for o in only)
    ]
    return sorted(picked, key=lambda t: t.module)


def _glob(pattern: str, root: Path = ROOT) -> list[str]:
    return sorted(
        str(p.relative_to(root)) for p in root.glob(pattern) if "__pycache__" not in p.parts
    )


def make_copy(slot: Path, revision: str | None) -> None:
    """A copy of the work tree's files (tracked and not ignored), or of a commit's, to mutate."""
    shutil.rmtree(slot, ignore_errors=True)
    slot.mkdir(parents=True)
    if revision:
        archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(slot)], input=archive.stdout, check=True)
        return
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not name.startswith(".mutation/"):
            (slot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, slot / name)


def environment(slot: Path) -> dict[str, str]:
    """Tests import the copy, run on a private SQLite database, and load no pytest plugins."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # ROOT after the copy: our tools/ when the copy is of a commit older than them.
    env["PYTHONPATH"] = os.pathsep.join([str(slot), str(ROOT)])
    env.update(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONDONTWRITEBYTECODE="1")
    return env


def cosmic_ray(slot: Path, log: Path, *args: str) -> None:
    """Run a cosmic-ray command in the copy (through this script, which adds our operators)."""
    command = [sys.executable, str(Path(__file__)), "--cosmic-ray", *args]
    with log.open("a") as out:
        subprocess.run(command, cwd=slot, env=environment(slot), stdout=out, stderr=out, check=True)


def run_target(target: Target, slot: Path, config: dict, survivors_only: bool) -> str:
    """Mutate one module in the copy at `slot`; a line saying how it went."""
    from tools.mutation_filters import mark_skipped, reopen_survivors  # cosmic-ray is imported late

    log = WORK / "logs" / (target.session.stem + ".log")
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    tests = [t for pattern in target.tests for t in _glob(pattern, slot)]
    if not tests:
        return f"{target.module}: no tests match its target; not run"
    linemap = WORK / "linemaps" / (target.session.stem + ".json")
    linemap.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    baseline = subprocess.run(
        [sys.executable, *PYTEST, "-p", "tools.linemap", *tests],
        cwd=slot,
        env={**environment(slot), "MUTATE_TRACE": target.module, "MUTATE_LINEMAP": str(linemap)},
        capture_output=True,
        text=True,
    )
    took = time.monotonic() - start
    if baseline.returncode != 0:
        log.write_text(baseline.stdout + baseline.stderr)
        return f"{target.module}: its tests fail unmutated (see {log}); not run"
    select = [
        sys.executable,
        str(ROOT / "tools" / "mutation_select.py"),
        target.module,
        str(linemap),
    ]
    command = shlex.join([*select, *tests])
    session_config = slot / (target.session.stem + ".toml")
    session_config.write_text(
        "[cosmic-ray]\n"
        f"module-path = {target.module!r}\n"
        f"timeout = {config['timeout-factor'] * took + 10:.0f}\n"
        "excluded-modules = []\n"
        f"test-command = {command!r}\n"
        '[cosmic-ray.distributor]\nname = "local"\n'
    )
    target.session.parent.mkdir(parents=True, exist_ok=True)
    if survivors_only and target.session.exists():
        reopen_survivors(target.session)
    else:
        target.session.unlink(missing_ok=True)
        cosmic_ray(slot, log, "init", str(session_config), str(target.session))
        mark_skipped(target.session, slot, config["operators"])
    cosmic_ray(slot, log, "exec", str(session_config), str(target.session))
    return f"{target.module}: done in {time.monotonic() - start:.0f} s (tests {took:.1f} s)"


def run(
    selected: list[Target], config: dict, jobs: int, survivors_only: bool, revision: str | None
) -> None:
    """Mutate the selected modules, `jobs` at a time, each job in its own copy of the tree."""
    slots: queue.Queue[Path] = queue.Queue()
    for i in range(min(jobs, len(selected))):
        slot = WORK / f"copy-{os.getpid()}-{i}"  # runs for other modules may go on meanwhile
        make_copy(slot, revision)
        slots.put(slot)

    def one(target: Target) -> None:
        slot = slots.get()
        try:
            print(run_target(target, slot, config, survivors_only), flush=True)
        finally:
            slots.put(slot)

    smallest_first = sorted(selected, key=lambda t: (ROOT / t.module).stat().st_size)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(one, smallest_first))
    while not slots.empty():
        shutil.rmtree(slots.get(), ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line; run, or only report with --report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="module glob (repeatable)")
    parser.add_argument("--jobs", type=int, default=1, help="modules mutated at once")
    parser.add_argument("--survivors", action="store_true", help="retest only last survivors")
    parser.add_argument("--at", help="mutate this commit's tree instead of the work tree")
    parser.add_argument("--report", action="store_true", help="report the last results, run none")
    args = parser.parse_args(argv)
    config = tomllib.loads(CONFIG.read_text())
    selected = targets(config, args.only)
    if not selected:
        parser.error("no module matches")
    if not args.report:
        run(selected, config, max(1, args.jobs), args.survivors, args.at)
    from tools.mutation_report import report

    print(report(selected, WORK))
    return 0


def _cosmic_ray(argv: list[str]) -> int:
    """cosmic-ray's own command line, with our string operator registered as `learnpath/...`."""
    import cosmic_ray.cli
    import cosmic_ray.plugins

    from tools.mutation_filters import Operators

    cosmic_ray.plugins.OPERATOR_PROVIDERS["learnpath"] = Operators()
    return int(cosmic_ray.cli.main(argv) or 0)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:2] == ["--cosmic-ray"]:
        sys.exit(_cosmic_ray(sys.argv[2:]))
    sys.exit(main())
