"""Benchmark of learnpath.planning.plan() on a large synthetic personal program (target ≤ 10 ms).

Program: 500 modules over 50 competencies, a random prerequisite DAG (up to 3 earlier modules
each, mostly in the same competency), 5 % alternative formats, role targets for every
competency, 20 segment rules; a learner with 50 level estimates, 30 completed modules, quiz
times and 20 adjustments (some of them refused). The same program is also timed at depth 1. Run:

    .venv/bin/python benchmarks/bench_planning.py [--seed 0] [--repeat 300] [--modules 500]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
import timeit
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from learnpath.planning import (
    Adjustment,
    Completion,
    Condition,
    Learner,
    LevelEstimate,
    ModuleInfo,
    Plan,
    PlanInput,
    PoolEntry,
    Program,
    ResponseTime,
    Rule,
    RuleAction,
    Target,
    plan,
    validate_adjustment,
)
from learnpath.vocabulary import LEVELS

START = date(2026, 1, 5)
FORMATS = ("reading", "video", "exercise", "workshop", "case")
TAGS = tuple(f"tag{k}" for k in range(20))


def make_modules(rng: random.Random, n: int, n_comps: int) -> list[ModuleInfo]:
    """Modules in a random DAG: each requires up to 3 earlier ones, 5 % are alternatives."""
    modules: list[ModuleInfo] = []
    for i in range(n):
        roots = [m for m in modules[-40:] if m.alternative_of is None]
        if roots and rng.random() < 0.05:
            root = rng.choice(roots)
            modules.append(replace(root, id=f"m{i}", format="video", alternative_of=root.id))
            continue
        comp = f"c{rng.randrange(n_comps)}"
        same = [m.id for m in roots if m.competency == comp]
        reqs = rng.sample(
            same or [m.id for m in roots], k=min(len(same or roots), rng.randint(0, 3))
        )
        modules.append(
            ModuleInfo(
                f"m{i}",
                comp,
                rng.choice(LEVELS[1:4]),
                rng.choice((15, 20, 30, 45, 60)),
                title=f"Module {i}",
                format=rng.choice(FORMATS),
                prerequisites=tuple(reqs),
                tags=tuple(rng.sample(TAGS, 2)),
            )
        )
    return modules


def make_program(rng: random.Random, modules: list[ModuleInfo], n_comps: int) -> Program:
    """A depth-5 pool of all modules, targets per competency and 20 rules."""
    ids = [m.id for m in modules]
    entries = tuple(PoolEntry(m, rng.random() < 0.1) for m in ids)
    level = LEVELS[1:5]
    targets = tuple(
        Target(f"c{k}", rng.choice(level), {"lead": rng.choice(level)}) for k in range(n_comps)
    )
    conditions = (
        Condition(roles=("lead",)),
        Condition(departments=("Finance",)),
        Condition(interests=("tag3",)),
        Condition(below={"c1": "proficient"}),
    )
    actions: tuple[RuleAction, ...] = ("include", "exclude", "mandatory", "optional")
    rules = tuple(
        Rule(f"rule {k}", rng.choice(conditions), rng.choice(actions), tuple(rng.sample(ids, 5)))
        for k in range(20)
    )
    return Program("bench", 1, 5, entries, targets, rules)


def make_learner(rng: random.Random, modules: list[ModuleInfo], n_comps: int) -> Learner:
    """A team lead with levels on every competency, 30 completions and quiz times."""
    done = rng.sample([m.id for m in modules], 30)
    return Learner(
        role="lead",
        department="Finance",
        interests=("tag3", "tag7"),
        preferred_formats=("video",),
        pace_minutes_per_week=180,
        levels={
            f"c{k}": LevelEstimate(rng.gauss(0, 1.2), rng.uniform(0.2, 0.6)) for k in range(n_comps)
        },
        completed=tuple(
            Completion(m, START - timedelta(days=k + 1), rng.uniform(10, 70))
            for k, m in enumerate(done)
        ),
        response_times=tuple(ResponseTime(rng.uniform(10, 80), 40) for _ in range(40)),
    )


def make_adjustments(rng: random.Random, inp: PlanInput, n: int) -> tuple[Adjustment, ...]:
    """n adjustments drawn against the current plan: most valid, some refused."""
    current = plan(inp)
    planned, waived = current.planned, current.modules("waived")
    excluded = current.modules("excluded")
    pool = [
        lambda: Adjustment("move", rng.choice(planned), before=rng.choice(planned)),
        lambda: Adjustment("move", rng.choice(planned), position=rng.randrange(len(planned))),
        lambda: Adjustment("add", rng.choice(excluded)),
        lambda: Adjustment("take_waived", rng.choice(waived)),
        lambda: Adjustment("drop", rng.choice(planned)),
        lambda: Adjustment("pace", pace_minutes_per_week=rng.choice((90, 240))),
        lambda: Adjustment("due_date", due_date=START + timedelta(days=rng.randint(60, 400))),
    ]
    return tuple(rng.choice(pool)() for _ in range(n))


def timing(stmt: Callable[[], object], repeat: int, clock: Callable[[], float]) -> list[float]:
    """Median and 95th percentile of one call in milliseconds, on a wall or CPU clock."""
    timer = timeit.Timer(stmt, timer=clock)
    runs = sorted(t * 1e3 for t in timer.repeat(number=1, repeat=repeat))
    return [statistics.median(runs), runs[min(len(runs) - 1, int(0.95 * len(runs)))]]


def build_input(seed: int, n_modules: int, n_comps: int) -> PlanInput:
    """The synthetic input: program, catalog, learner and 20 adjustments from one seed."""
    rng = random.Random(seed)
    modules = make_modules(rng, n_modules, n_comps)
    prog = make_program(rng, modules, n_comps)
    learner = make_learner(rng, modules, n_comps)
    inp = PlanInput(prog, tuple(modules), learner, START, START + timedelta(days=180))
    return replace(inp, adjustments=make_adjustments(rng, inp, 20))


def describe(inp: PlanInput, result: Plan) -> None:
    """Print what was planned, so that the figures can be read against the workload."""
    counts = {s: len(result.modules(s)) for s in ("planned", "completed", "waived", "excluded")}
    print(
        f"input: {len(inp.modules)} modules, "
        f"{len({m.competency for m in inp.modules})} competencies, "
        f"{sum(len(m.prerequisites) for m in inp.modules)} prerequisite edges, "
        f"{len(inp.program.rules)} rules, {len(inp.adjustments)} adjustments "
        f"({len(result.applied)} applied, {len(result.refused)} refused)"
    )
    print(f"plan:  {counts}, finish {result.finish}, feasible {result.feasible}")


def main() -> None:
    """Build the synthetic input, time plan() and validate_adjustment(), print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--modules", type=int, default=500)
    parser.add_argument("--competencies", type=int, default=50)
    args = parser.parse_args()
    inp = build_input(args.seed, args.modules, args.competencies)
    result = plan(inp)
    assert plan(inp) == result, "plan() must be deterministic"
    describe(inp, result)
    depth1 = replace(inp, program=replace(inp.program, depth=1), adjustments=())
    extra = Adjustment("drop", result.planned[-1])
    rows = [
        ("plan() depth 5, 20 adjustments", lambda: plan(inp)),
        ("plan() depth 1, no adjustments", lambda: plan(depth1)),
        ("validate_adjustment() depth 5", lambda: validate_adjustment(inp, extra)),
    ]
    print(f"\nms per call, repeat={args.repeat}    wall median    p95    CPU median    p95")
    for name, stmt in rows:
        wall = timing(stmt, args.repeat, time.perf_counter)
        cpu = timing(stmt, args.repeat, time.process_time)
        print(f"{name:32} {wall[0]:11.2f} {wall[1]:6.2f} {cpu[0]:13.2f} {cpu[1]:6.2f}")
    print(
        f"\ntarget: ≤ 10 ms per plan; load average now {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs (wall times suffer under load, CPU times much less)"
    )


if __name__ == "__main__":
    main()
