"""The mutation score per module from cosmic-ray's sessions, and the survivors with their diffs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from cosmic_ray.work_db import WorkDB, use_db
from cosmic_ray.work_item import TestOutcome, WorkerOutcome


def report(selected: list[Any], work: Path) -> str:
    """A Markdown table of scores; writes every survivor to `work`/survivors.txt."""
    rows = [
        "| module | mutants | killed | survived | score | pending |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    totals: Counter[str] = Counter()
    survivors: list[str] = []
    for target in selected:
        if not target.session.exists():
            rows.append(f"| {target.module} | not run | | | | |")
            continue
        counts, lost = _tally(target.session)
        survivors += lost
        totals.update(counts)
        rows.append(_row(target.module, counts))
    rows.append(_row("**all**", totals))
    (work / "survivors.txt").write_text("\n".join(survivors))
    return "\n".join(rows) + f"\n\n{len(survivors)} survivors: {work / 'survivors.txt'}"


def _row(name: str, counts: Counter[str]) -> str:
    tried = counts["killed"] + counts["survived"]
    score = f"{100 * counts['killed'] / tried:.1f} %" if tried else "-"
    return (
        f"| {name} | {tried} | {counts['killed']} | {counts['survived']} | {score} "
        f"| {counts['pending']} |"
    )


def _tally(session: Path) -> tuple[Counter[str], list[str]]:
    counts: Counter[str] = Counter()
    survivors = []
    with use_db(str(session), WorkDB.Mode.open) as db:
        counts["pending"] = len(db.pending_work_items)
        for item, result in db.completed_work_items:
            if result.worker_outcome in (WorkerOutcome.SKIPPED, WorkerOutcome.NO_TEST):
                counts["skipped"] += 1
            elif result.test_outcome == TestOutcome.SURVIVED:
                counts["survived"] += 1
                (mutation,) = item.mutations
                where = f"{mutation.module_path}:{mutation.start_pos[0]}"
                survivors.append(f"## {where} {mutation.operator_name}\n{_diff(result.diff)}\n")
            else:
                # Killed by a failing test, a timeout (a hang), or an error on import.
                counts["killed"] += 1
    return counts, survivors


def _diff(diff: str | None) -> str:
    """The changed lines of a mutant's diff."""
    lines = (diff or "").splitlines()
    return "\n".join(line for line in lines if line[:1] in "-+" and line[:3] not in ("---", "+++"))
