"""Benchmark of moving learners to a new program version: the preview and the move.

Builds a SQLite database in a temporary folder with the shipped catalog and N learners on
Project Management Foundations v1, each with a trajectory and one completed module, then
times `preview_move` (two plans per learner, nothing written) and `move_learners` (one
transaction: re-point and re-plan every enrollment). Prints the figures; asserts nothing. Run:

    .venv/bin/python benchmarks/bench_move_learners.py [--learners 500]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, select

from learnpath import migrate
from learnpath.db import make_engine
from learnpath.models import Enrollment, Learner, Program, TrajectoryStep
from learnpath.models.base import pk
from learnpath.services.catalog import import_catalog
from learnpath.services.learning import trajectory, versions
from learnpath.vocabulary import utcnow

CONTENT = Path(__file__).resolve().parent.parent / "content"
SLUG = "project-management-foundations"


def version(session: Session, number: int) -> Program:
    return session.exec(
        select(Program).where(Program.slug == SLUG, Program.version == number)
    ).one()


def populate(session: Session, learners: int) -> None:
    """N learners on v1, each planned once, with their first step completed."""
    v1 = version(session, 1)
    for k in range(learners):
        learner = Learner(external_id=f"B{k}", email=f"b{k}@example.com", name=f"Bench {k}")
        session.add(learner)
        session.flush()
        enrollment = Enrollment(learner_id=pk(learner), program_id=pk(v1))
        session.add(enrollment)
        session.flush()
        planned = trajectory.replan(session, enrollment)
        first: TrajectoryStep = planned.steps[0]
        first.status, first.completed_at, first.time_spent_s = "completed", utcnow(), 1200
        session.add(first)
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.sqlite")
        migrate.upgrade(engine)
        with Session(engine, expire_on_commit=False) as session:
            import_catalog(session, CONTENT)
            session.commit()
            populate(session, args.learners)
            v2 = version(session, 2)
            start = time.perf_counter()
            preview = versions.preview_move(session, v2)
            previewed = time.perf_counter() - start
            start = time.perf_counter()
            moved = versions.move_learners(session, v2, preview.fingerprint)
            session.commit()
            ran = time.perf_counter() - start
        engine.dispose()
    n = len(moved)
    print(f"learners moved: {n} (of {args.learners})")
    print(f"preview: {previewed:.2f} s total, {1000 * previewed / n:.1f} ms per learner")
    print(f"move:    {ran:.2f} s total, {1000 * ran / n:.1f} ms per learner (one transaction)")


if __name__ == "__main__":
    main()
