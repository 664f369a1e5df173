"""Benchmark of the HR API's enrollment records on PostgreSQL: page latency and sync throughput.

Creates its own PostgreSQL database (dropped at the end), migrates it, imports content/ and seeds
N enrollments (N/4 learners in 4 program versions), each with a trajectory of its program's
modules (a third completed with time spent, some waived "Tested Out"), current levels for every
learner and a finished placement for half of the enrollments. Then, through Flask's test client
(the whole request: token check, rate limit, queries, records, JSON), it reports:

- the latency of one page of `--page` records (random pages of a listing, p50/p95);
- a full sync (no updated_since, pages of `--page` until the end): records per second;
- an incremental sync after 1% of enrollments changed: records per second.

Figures are printed, never asserted. Run (about two minutes for 100,000 enrollments):

    .venv/bin/python benchmarks/bench_api.py [--enrollments 100000] [--page 500] [--samples 60]

To iterate faster: `--keep` leaves the database in place and `--reuse` measures one left by an
earlier `--keep` run instead of seeding anew (`--skip-sync` reports the page latency only).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, insert, text
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ("data-literacy-essentials", "information-security-basics", "team-lead-path")
PROGRAMS += ("project-management-foundations",)


def setup(server: str, name: str, n: int) -> Engine:
    """A fresh database holding the catalog and n enrollments with their records."""
    from learnpath.db import make_engine
    from learnpath.migrate import upgrade
    from learnpath.services.catalog import import_catalog

    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = make_engine(f"{server}/{name}")
    upgrade(engine)
    with Session(engine) as session:
        import_catalog(session, ROOT / "content")
        session.commit()
        seed(session, n)
        session.commit()
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    return engine


def seed(session: Session, n: int) -> None:
    """Learners, enrollments, trajectory steps, levels and placements, inserted in bulk."""
    from learnpath.models import (
        Attempt,
        Competency,
        CompetencyLevel,
        Enrollment,
        Learner,
        Program,
        ProgramModule,
        TrajectoryStep,
    )

    programs = [_program(session, Program, slug) for slug in PROGRAMS]
    modules = {
        p.id: session.exec(
            select(ProgramModule.module_id)
            .where(ProgramModule.program_id == p.id)
            .order_by(ProgramModule.position)  # type: ignore[arg-type]
        ).all()
        for p in programs
    }
    rng, learners = random.Random(7), n // len(programs)
    session.execute(
        insert(Learner),
        [_learner(i) for i in range(learners)],
    )
    learner_ids = session.exec(select(Learner.id).order_by(Learner.id)).all()  # type: ignore[arg-type]
    rows = [
        {"learner_id": lid, "program_id": p.id, "status": rng.choice(["assigned", "in_progress"])}
        for lid in learner_ids
        for p in programs
    ]
    session.execute(insert(Enrollment), rows)
    enrollments = session.exec(
        select(Enrollment.id, Enrollment.program_id, Enrollment.learner_id)
    ).all()
    steps, attempts = [], []
    for eid, pid, lid in enrollments:
        for position, mid in enumerate(modules[pid]):
            status = rng.choices(["completed", "waived", "planned"], [3, 1, 6])[0]
            steps.append(
                {
                    "enrollment_id": eid,
                    "module_id": mid,
                    "position": position,
                    "status": status,
                    "time_spent_s": rng.randint(600, 3600) if status == "completed" else 0,
                    "reason_code": "tested_out" if status == "waived" else "",
                    "reason_text": "Tested Out" if status == "waived" else "",
                }
            )
        if eid % 2 == 0:
            attempts.append(_placement(eid, lid, rng))
    for chunk in range(0, len(steps), 50_000):
        session.execute(insert(TrajectoryStep), steps[chunk : chunk + 50_000])
    session.execute(insert(Attempt), attempts)
    competencies = session.exec(select(Competency.id).order_by(Competency.id)).all()  # type: ignore[arg-type]
    session.execute(
        insert(CompetencyLevel),
        [
            {"learner_id": lid, "competency_id": c, "theta": 0.1, "se": 0.3, "level": "proficient"}
            for lid in learner_ids
            for c in competencies[:2]
        ],
    )


def _program(session: Session, model: Any, slug: str) -> Any:
    return session.exec(
        select(model).where(model.slug == slug).order_by(model.version.desc())
    ).first()


def _learner(i: int) -> dict[str, Any]:
    return {
        "external_id": f"B{i:06d}",
        "email": f"b{i}@bench.learnpath",
        "name": f"Bench {i}",
        "interests": [],
        "preferred_formats": [],
    }


def _placement(eid: int, lid: int, rng: random.Random) -> dict[str, Any]:
    from learnpath.vocabulary import utcnow

    theta = rng.uniform(-2, 2)
    state = {"theta": theta, "se": 0.3, "level": "proficient", "n_items": 8, "seconds": 200.0}
    return {
        "uid": f"bench-{eid}",
        "learner_id": lid,
        "enrollment_id": eid,
        "kind": "placement",
        "status": "completed",
        "competency_ids": [1],
        "config": {"ids": {"data-literacy": 1}},
        "parameters": {},
        "estimates": [],
        "results": {"competencies": {"data-literacy": state}, "seconds": 200.0},
        "finished_at": utcnow(),
    }


def token(app: Any, engine: Engine) -> dict[str, str]:
    """Bearer headers for a client allowed to read enrollments."""
    from learnpath.services.integration.clients import create_client

    with Session(engine, expire_on_commit=False) as session:
        row, secret = create_client(session, "bench", "enrollments:read")
        session.commit()
    form = {"grant_type": "client_credentials", "client_id": row.client_id, "client_secret": secret}
    body = app.test_client().post("/oauth/token", data=form).json
    return {"Authorization": f"Bearer {body['access_token']}"}


def sync(
    client: Any, headers: dict[str, str], page: int, since: str | None
) -> tuple[int, float, str, list[str]]:
    """Follow a listing to its end: records, seconds, watermark, and the cursors met."""
    base = f"/api/v1/enrollments?limit={page}" + (f"&updated_since={since}" if since else "")
    url, count, cursors, started = base, 0, [], time.perf_counter()
    while True:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        body = response.json
        count += len(body["data"])
        if not body["has_more"]:
            return (
                count,
                time.perf_counter() - started,
                response.headers["X-Consistent-Through"],
                cursors,
            )
        cursors.append(body["next_cursor"])
        url = f"{base}&cursor={body['next_cursor']}"


def page_cursors(engine: Engine, page: int, secret_key: str) -> list[str]:
    """The cursors of a listing's pages, read from the table (without following the listing)."""
    from learnpath.services.integration.sync import Seal, Window
    from learnpath.vocabulary import aware

    with engine.connect() as conn:
        rows = conn.execute(text("SELECT updated_at, id FROM enrollment ORDER BY 1, 2")).all()
    window = Window(through=aware(rows[-1][0]), limit=page, seal=Seal(secret_key))
    return [window.cursor((aware(t), i)) for t, i in rows[page - 1 : -1 : page]]


def main() -> None:
    """Seed, measure, report, drop."""
    from learnpath import create_app

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enrollments", type=int, default=100_000)
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--keep", action="store_true", help="leave the database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database")
    parser.add_argument("--skip-sync", action="store_true", help="page latency only")
    args = parser.parse_args()
    name = "learnpath_bench_api"
    started = time.perf_counter()
    if args.reuse:
        from learnpath.db import make_engine

        engine = make_engine(f"{args.server}/{name}")
    else:
        engine = setup(args.server, name, args.enrollments)
        print(f"seeded {args.enrollments:,} enrollments in {time.perf_counter() - started:.0f} s")
    # Not TESTING: the app is built as in production (create_app freezes the startup heap).
    app = create_app(
        {
            "DATABASE_URL": f"{args.server}/{name}",
            "SECRET_KEY": "bench",
            "API_RATE_LIMIT": "1000000 per minute",
        }
    )
    try:
        report(app, token(app, engine), engine, args)
    finally:
        app.extensions["learnpath.engine"].dispose()
        engine.dispose()
        if not args.keep:
            admin = create_engine(f"{args.server}/postgres", isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def report(app: Any, headers: dict[str, str], engine: Engine, args: argparse.Namespace) -> None:
    """Print the figures."""
    client = app.test_client()
    if args.skip_sync:
        cursors, watermark = page_cursors(engine, args.page, app.secret_key), ""
    else:
        count, seconds, watermark, cursors = sync(client, headers, args.page, None)
        print(f"full sync: {count:,} records in {seconds:.1f} s = {count / seconds:,.0f} records/s")
    base = f"/api/v1/enrollments?limit={args.page}"
    times = []
    for cursor in random.Random(1).choices(cursors, k=args.samples):
        begun = time.perf_counter()
        assert client.get(f"{base}&cursor={cursor}", headers=headers).status_code == 200
        times.append((time.perf_counter() - begun) * 1000)
    cuts = statistics.quantiles(times, n=20)
    print(f"one page of {args.page}: p50 {statistics.median(times):.0f} ms, p95 {cuts[18]:.0f} ms")
    if args.skip_sync:
        return
    with engine.begin() as conn:
        conn.execute(text("UPDATE enrollment SET last_activity_at = now() WHERE id % 100 = 0"))
    count, seconds, _, _ = sync(client, headers, args.page, watermark)
    print(
        f"incremental sync (1% changed): {count:,} records in {seconds:.2f} s "
        f"= {count / seconds:,.0f} records/s"
    )


if __name__ == "__main__":
    main()
