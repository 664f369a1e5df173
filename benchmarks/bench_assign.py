"""Benchmark of assigning a department: the preview and the one-transaction enrolment.

Builds a SQLite database in a temporary folder with the shipped catalog and N learners in one
department, then times `assignment.preview` (nothing written) and `assignment.confirm` (every
learner enrolled and their plan stored, one transaction) on Data Literacy Essentials v1, and a
second confirm (nobody enrolled twice). Prints the figures; asserts nothing. Run:

    .venv/bin/python benchmarks/bench_assign.py [--learners 1000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, select

from learnpath import migrate
from learnpath.db import make_engine
from learnpath.models import Learner, Program
from learnpath.services.catalog import import_catalog
from learnpath.services.learning import assignment

CONTENT = Path(__file__).resolve().parent.parent / "content"


def main() -> None:
    """Print preview and confirm times for one department of N learners."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    args = parser.parse_args()
    chosen = assignment.Selection("department", "Bench")
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.sqlite")
        migrate.upgrade(engine)
        with Session(engine, expire_on_commit=False) as session:
            import_catalog(session, CONTENT)
            for k in range(args.learners):
                email = f"b{k}@example.com"
                session.add(
                    Learner(external_id=f"B{k}", email=email, name=f"B {k}", department="Bench")
                )
            session.commit()
            program = session.exec(
                select(Program).where(Program.slug == "data-literacy-essentials")
            ).one()
            timings = {}
            start = time.perf_counter()
            assignment.preview(session, program, chosen)
            timings["preview"] = time.perf_counter() - start
            start = time.perf_counter()
            _, changed = assignment.confirm(session, program, chosen, None)
            session.commit()
            timings["confirm"] = time.perf_counter() - start
            start = time.perf_counter()
            _, again = assignment.confirm(session, program, chosen, None)
            timings["again"] = time.perf_counter() - start
        engine.dispose()
    print(f"learners: {args.learners}; enrolled {changed}, then {again} on a second confirm")
    for name, seconds in timings.items():
        print(
            f"{name:8} {seconds:.2f} s total, {1000 * seconds / args.learners:.2f} ms per learner"
        )


if __name__ == "__main__":
    main()
