"""Placement through the services: questions asked, false waivers and mastered modules kept.

Simulated learners with true abilities θ ~ N(0, R) (R: correlation `--rho` between the
program's competencies, unit variances) enroll in a program, take its placement through
`quiz.start_attempt` / `quiz.answer` with an injected seed (answers drawn from the 2PL model of
the attempt's own bank snapshot), and their path is planned as the learner pages show it.
Per module the path wants (planned or waived, not left out beyond a target): it is truly
mastered when θ of its competency ≥ the lower bound of its level (planning.Bands.threshold);
a false waiver is a module marked Tested Out that is not. Figures
are printed, never asserted. `--separate` runs the placement as before issue 18 (no joint prior,
no decisions: each competency to its SE target or its share of the cap). Run:

    PYTHONPATH=. .venv/bin/python benchmarks/bench_placement.py [--program team-lead-path]
        [--learners 200] [--rho 0.5] [--seed 0] [--separate] [--confidence 0.95]
        [--futility 0.1]

`--confidence` and `--futility` change when a placement stops, not the planner's Tested Out
rule (θ − 1.645·SE ≥ the level's bound).

It builds a throw-away SQLite database in a temporary directory (migrated, content/ imported).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from statistics import fmean
from typing import Any

import numpy as np
from sqlalchemy import event
from sqlmodel import Session, col, select

from learnpath.db import make_engine
from learnpath.irt import probability
from learnpath.migrate import upgrade
from learnpath.models import Attempt, Enrollment, Learner, Program
from learnpath.models.base import pk
from learnpath.planning import Bands
from learnpath.planning.levels import level_index
from learnpath.services.catalog import import_catalog
from learnpath.services.catalog.banks import BankSnapshot
from learnpath.services.learning import placement_cuts, quiz, quiz_rules, trajectory
from learnpath.services.learning.quiz import attempts as quiz_attempts

ROOT = Path(__file__).resolve().parent.parent


def separate_rules(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """The rules without the decision settings: the placement as it ran before issue 18."""
    config = quiz_rules.rules_for(*args, **kwargs)
    config.pop("decisions", None)
    return config


def take(
    session: Session, attempt: Attempt, theta: dict[int, float], rng: np.random.Generator
) -> None:
    """Answer the attempt to its end as a learner of true abilities θ (by competency id)."""
    snapshot = BankSnapshot.from_json(attempt.parameters)
    while (question := quiz.current_question(session, attempt)) is not None:
        row = snapshot.index_of(pk(question.item))
        p = probability(
            theta[question.item.competency_id],
            snapshot.a[row],
            snapshot.b[row],
            snapshot.c[row],
            snapshot.d[row],
        )
        right = rng.random() < p
        options = question.item.options
        keys = [str(o["key"]) for o in options if bool(o.get("correct")) == right]
        chosen = keys if right else keys[:1]
        quiz.answer(session, attempt, question.step, pk(question.item), chosen)


def run(args: argparse.Namespace) -> None:
    """Simulate the learners and print the figures."""
    if args.separate:
        quiz_attempts.rules_for = separate_rules
    placement_cuts.DECISION_CONFIDENCE = args.confidence  # read when an attempt starts
    placement_cuts.DECISION_FUTILITY = args.futility
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.sqlite")
        event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA synchronous=OFF"))
        upgrade(engine)
        with Session(engine) as session:
            import_catalog(session, ROOT / "content")
            session.commit()
            figures = simulate(session, args)
    print_figures(args, figures)


def simulate(session: Session, args: argparse.Namespace) -> dict[str, list[float]]:
    """Per learner: questions asked; per module: mastered, waived (lists of 0/1)."""
    program = session.exec(
        select(Program)
        .where(Program.slug == args.program, Program.status == "published")
        .order_by(col(Program.version).desc())
    ).first()
    if program is None:
        raise SystemExit(f"--program: no published program {args.program!r}")
    competencies = quiz_rules.placement_competencies(session, program)
    n = len(competencies)
    cov = np.full((n, n), args.rho) + (1 - args.rho) * np.eye(n)
    rng = np.random.default_rng(args.seed)
    bands = Bands.of(program.level_bands)
    out: dict[str, list[float]] = {"items": [], "mastered": [], "waived": [], "expected": []}
    for k in range(args.learners):
        true = rng.multivariate_normal(np.zeros(n), cov)
        theta = {pk(c): float(t) for c, t in zip(competencies, true, strict=True)}
        learner = Learner(external_id=f"S{k}", email=f"s{k}@example.com", name=f"Sim {k}")
        session.add(learner)
        session.flush()
        enrollment = Enrollment(learner_id=pk(learner), program_id=pk(program))
        session.add(enrollment)
        session.flush()
        attempt = quiz.start_attempt(
            session, pk(learner), "placement", competencies, enrollment, seed=rng
        )
        first = attempt.estimates[0]["competencies"].values()
        out["expected"].append(sum(state.get("remaining", np.nan) for state in first))
        take(session, attempt, theta, rng)
        out["items"].append(attempt.results["n_items"] if attempt.results else 0)
        plan = trajectory.view(session, enrollment)
        for step in plan.steps:
            module = plan.module(step)
            if module.competency_id not in theta or step.status not in ("planned", "waived"):
                continue  # only modules the path wants can be waived (not those beyond a target)
            bound = bands.threshold(level_index(module.level))
            out["mastered"].append(float(theta[module.competency_id] >= bound))
            out["waived"].append(float(step.reason_code == "tested_out"))
        session.commit()
    return out


def print_figures(args: argparse.Namespace, figures: dict[str, list[float]]) -> None:
    """Mean questions, false waivers among waived modules, mastered modules kept."""
    mastered, waived = np.array(figures["mastered"]), np.array(figures["waived"])
    false = float(np.sum(waived * (1 - mastered)) / max(np.sum(waived), 1))
    kept = float(np.sum((1 - waived) * mastered) / max(np.sum(mastered), 1))
    mode = "separate (before issue 18)" if args.separate else "joint prior + decisions"
    if not args.separate:
        mode += f" (confidence {args.confidence}, futility {args.futility})"
    print(f"{args.program}, {args.learners} learners, rho {args.rho}, seed {args.seed}: {mode}")
    items = np.array(figures["items"])
    print(f"  questions: mean {fmean(items):.2f}, max {items.max()}, at the cap: ", end="")
    print(f"{np.mean(items == items.max()):.0%}")
    expected = np.array(figures["expected"])
    if np.isfinite(expected).all():
        print(f"  expected at the start (progress): mean {expected.mean():.2f} questions")
    print(f"  false waivers: {false:.1%} of {int(waived.sum())} waived modules")
    print(f"  truly mastered modules still kept: {kept:.1%} of {int(mastered.sum())}")


def main() -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", default="team-lead-path")
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--rho", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--separate", action="store_true")
    parser.add_argument("--confidence", type=float, default=placement_cuts.DECISION_CONFIDENCE)
    parser.add_argument("--futility", type=float, default=placement_cuts.DECISION_FUTILITY)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
