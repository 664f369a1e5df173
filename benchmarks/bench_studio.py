"""Benchmark of the studio (issue 13): rule preview over 10,000 learners, and studio pages.

Builds its own database (a temporary SQLite file, or a PostgreSQL database it creates and drops
with `--pg`): migrates it, imports content/, adds 2,000 synthetic modules (with prerequisites and
tags, 200 of them in the personal program's pool) and 10,000 learners over 8 roles and 12
departments with interests, levels in the four shipped competencies (70 %), a decision-speed
statistic (60 %), an enrollment in the personal program with timed completed modules (30 %),
finished and abandoned quizzes and their own path changes. A draft (v2) of the personal program
is opened, so its editor and rule pages are those of a draft.

A boxed, a facilitated, a specialized and a deep program get a draft v2 too, so that every
depth's program page and editor is measured on a draft (the publish check runs on those).

It reports, never asserts:

- rule preview: `services.learning.preview.matching` over all learners for seven conditions
  (role, department, interests, levels, decision speed, tempo, behaviour, and everyone), p50/p95;
- the preview pages through Flask's test client (whole request: login session, form, matching,
  a sample learner's trajectory under the draft, template), p50/p95 (target ≤ 300 ms);
- every kind of studio page (home, programs list, each depth's program page and editor, modules
  list, module page and editor, competency page with its items, item page and editor, rule
  forms), p50/p95 (target ≤ 100 ms), and the SQL statements each one sends.

    .venv/bin/python benchmarks/bench_studio.py [--learners 10000] [--modules 2000] [--repeat 30]
        [--pages-only] [--match 'program page']
    .venv/bin/python benchmarks/bench_studio.py --pg postgresql+psycopg://postgres@127.0.0.1:5432
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, text
from sqlmodel import Session, select

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("team-lead", "analyst", "project-manager", "engineer", "sales-rep", "designer", "hr", "")
DEPARTMENTS = ("Finance", "Sales", "Operations", "Engineering", "Marketing", "Legal", "HR")
DEPARTMENTS += ("Support", "Logistics", "Research", "Procurement", "IT")
TAGS = ("charts", "dashboards", "coaching", "statistics", "spreadsheets", "negotiation", "agile")
FORMATS = ("reading", "video", "exercise", "workshop", "case")
LEVELS = ("developing", "proficient", "advanced")
PASSWORD = "bench password 1"


def database(pg: str | None) -> tuple[str, Callable[[], None]]:
    """A fresh database URL and a function that removes it afterwards."""
    if pg:
        admin = create_engine(f"{pg}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('DROP DATABASE IF EXISTS "bench_studio" WITH (FORCE)'))
            conn.execute(text('CREATE DATABASE "bench_studio"'))

        def drop() -> None:
            with admin.connect() as conn:
                conn.execute(text('DROP DATABASE IF EXISTS "bench_studio" WITH (FORCE)'))
            admin.dispose()

        return f"{pg}/bench_studio", drop
    folder = tempfile.TemporaryDirectory()
    return f"sqlite:///{folder.name}/bench.sqlite", folder.cleanup


def build(url: str, n_learners: int, n_modules: int) -> Engine:
    """Migrate, import the catalog, then add synthetic modules, learners and a draft."""
    from learnpath.db import make_engine
    from learnpath.migrate import upgrade
    from learnpath.services.catalog import import_catalog

    engine = make_engine(url)
    upgrade(engine)
    rng = random.Random(13)
    with Session(engine) as session:
        import_catalog(session, ROOT / "content")
        session.commit()
        synthetic_modules(session, n_modules, rng)
        learners(session, n_learners, rng)
        personal_draft(session, rng)
        other_drafts(session)
        author(session)
        session.commit()
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    return engine


def synthetic_modules(session: Session, n: int, rng: random.Random) -> None:
    """n modules over the shipped competencies, each requiring an earlier one of its competency."""
    from learnpath.models import Competency, Module, ModulePrerequisite, ModuleTag

    competencies = list(session.exec(select(Competency.id)).all())
    rows = [
        {
            "slug": f"syn-{i:05d}",
            "title": f"Synthetic lesson {i}: {rng.choice(TAGS)} in practice",
            "summary": "A generated module for the studio benchmark.",
            "body": "# Goal\n\nPractise.\n\n" + "A paragraph of explanation. " * 40,
            "format": rng.choice(FORMATS),
            "minutes": rng.choice((15, 20, 30, 45, 60)),
            "competency_id": competencies[i % len(competencies)],
            "level": rng.choice(LEVELS),
        }
        for i in range(n)
    ]
    session.execute(insert(Module), rows)
    ids = list(
        session.exec(select(Module.id).where(Module.slug.startswith("syn-")).order_by(Module.id))  # type: ignore[union-attr, arg-type]
    )
    edges = [
        {"module_id": ids[i], "requires_id": ids[i - len(competencies)]}
        for i in range(len(competencies), len(ids))
        if i % 3
    ]
    session.execute(insert(ModulePrerequisite), edges)
    session.execute(insert(ModuleTag), [{"module_id": m, "tag": rng.choice(TAGS)} for m in ids])


def learners(session: Session, n: int, rng: random.Random) -> None:
    """n learners with profiles, levels, decision speed, enrollments, quizzes and changes."""
    from learnpath.models import (
        Adjustment,
        Attempt,
        Competency,
        CompetencyLevel,
        Enrollment,
        Learner,
        LearnerStat,
        Module,
        Program,
        ProgramModule,
        TrajectoryStep,
    )

    session.execute(
        insert(Learner),
        [
            {
                "external_id": f"S{i:06d}",
                "email": f"s{i}@bench.learnpath",
                "name": f"Bench Learner {i:05d}",
                "role": rng.choice(ROLES),
                "department": rng.choice(DEPARTMENTS),
                "interests": rng.sample(TAGS, rng.randint(0, 3)),
                "preferred_formats": [],
            }
            for i in range(n)
        ],
    )
    ids = list(session.exec(select(Learner.id).order_by(Learner.id)).all())  # type: ignore[arg-type]
    competencies = list(session.exec(select(Competency.id)).all())
    session.execute(
        insert(CompetencyLevel),
        [
            {"learner_id": i, "competency_id": c, "theta": rng.gauss(0, 1), "se": 0.3, "level": ""}
            for i in ids
            if rng.random() < 0.7
            for c in competencies
        ],
    )
    session.execute(
        insert(LearnerStat),
        [
            {
                "learner_id": i,
                "kind": "decision_speed",
                "value": rng.lognormvariate(0, 0.3),
                "n": 12,
            }
            for i in ids
            if rng.random() < 0.6
        ],
    )
    program = session.exec(select(Program).where(Program.slug == "team-lead-path")).one()
    enrolled = [i for i in ids if rng.random() < 0.3]
    session.execute(
        insert(Enrollment), [{"learner_id": i, "program_id": program.id} for i in enrolled]
    )
    enrollments = list(
        session.exec(select(Enrollment.id).where(Enrollment.program_id == program.id))
    )
    pool = list(
        session.exec(
            select(ProgramModule.module_id, Module.minutes)
            .join(Module, Module.id == ProgramModule.module_id)  # type: ignore[arg-type]
            .where(ProgramModule.program_id == program.id)
        )
    )
    steps = []
    for e in enrollments:
        for position, (module, minutes) in enumerate(rng.sample(pool, 2)):
            spent = int(minutes * 60 * rng.uniform(0.5, 1.8))
            steps.append(
                {
                    "enrollment_id": e,
                    "module_id": module,
                    "position": position,
                    "status": "completed",
                    "time_spent_s": spent,
                }
            )
    session.execute(insert(TrajectoryStep), steps)
    attempts = [
        {
            "uid": f"bench-{i}",
            "learner_id": i,
            "kind": "placement",
            "scope": f"s{i}",
            "status": rng.choice(("completed", "completed", "abandoned")),
            "competency_ids": [],
            "config": {},
            "parameters": {},
            "estimates": [],
        }
        for i in ids
        if rng.random() < 0.5
    ]
    session.execute(insert(Attempt), attempts)
    session.execute(
        insert(Adjustment),
        [{"enrollment_id": e, "kind": "drop", "payload": {}} for e in enrollments[::10]],
    )


DRAFTS = {
    "boxed": "data-literacy-essentials",
    "facilitated": "data-literacy-northwind-cohort",
    "specialized": "data-literacy-for-northwind",
    "deep": "secure-finance-operations",
}
"""A draft of one shipped program of each derived depth and of a boxed one (v2 of each)."""


def other_drafts(session: Session) -> None:
    """Open v2 of a boxed, a facilitated, a specialized and a deep program."""
    from learnpath.services.catalog import drafts

    for slug in DRAFTS.values():
        published = drafts.find(session, slug, 1)
        assert published is not None, slug
        drafts.open_draft(session, published, "Bench")


def personal_draft(session: Session, rng: random.Random) -> None:
    """Open v2 of the personal program and put 200 synthetic modules in its pool."""
    from learnpath.models import Module, ProgramModule
    from learnpath.services.catalog import drafts

    published = drafts.find(session, "team-lead-path", 1)
    assert published is not None
    draft = drafts.open_draft(session, published, "Bench")
    start = len(
        session.exec(select(ProgramModule).where(ProgramModule.program_id == draft.id)).all()
    )
    synthetic = list(
        session.exec(select(Module.id).where(Module.slug.startswith("syn-")).limit(200))
    )  # type: ignore[union-attr]
    session.execute(
        insert(ProgramModule),
        [
            {"program_id": draft.id, "module_id": m, "position": start + k, "mandatory": False}
            for k, m in enumerate(synthetic)
        ],
    )


def author(session: Session) -> None:
    """An author who is also an admin, so the people, audit and client pages open too."""
    from learnpath.services.accounts.users import create_user

    roles = ["author", "admin"]
    create_user(session, "bench-author@example.com", "Bench Author", PASSWORD, roles)


def timings(run: Callable[[], Any], repeat: int) -> tuple[float, float, float, float]:
    """Wall-clock p50 and p95, and CPU p50 and p95, of `repeat` runs after two warm-ups, in ms.

    CPU time is this process's: on a shared machine the wall clock also counts the time other
    processes hold the CPU, so both are printed.
    """
    for _ in range(2):
        run()
    wall, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    cuts = statistics.quantiles(wall, n=20, method="inclusive")
    cpu_cuts = statistics.quantiles(cpu, n=20, method="inclusive")
    return statistics.median(wall), cuts[18], statistics.median(cpu), cpu_cuts[18]


def bench_matching(engine: Engine, repeat: int) -> None:
    """The rule preview's matching over every learner, for conditions of each kind."""
    from learnpath import planning
    from learnpath.services.learning import preview

    conditions = {
        "role team-lead": planning.Condition(roles=("team-lead",)),
        "department Finance or Sales": planning.Condition(departments=("Finance", "Sales")),
        "interested in charts": planning.Condition(interests=("charts",)),
        "below proficient in PM": planning.Condition(below={"project-management": "proficient"}),
        "at least advanced + slow decider": planning.Condition(
            at_least={"data-literacy": "advanced"}, decision_speed=("slow",)
        ),
        "slow tempo": planning.Condition(tempo=("slow",)),
        "starter or quiz-leaver": planning.Condition(behaviour=("starter", "quiz-leaver")),
        "everyone": planning.Condition(),
    }
    print("\nRule preview: matching over all learners (service, ms)")
    print(f"{'condition':38} {'matches':>8} {'p50':>8} {'p95':>8} {'cpu p50':>8}")
    with Session(engine) as session:
        for name, when in conditions.items():
            total = preview.matching(session, when).total
            p50, p95, cpu, _ = timings(lambda w=when: preview.matching(session, w), repeat)  # type: ignore[misc]
            print(f"{name:42} {total:8d} {p50:8.1f} {p95:8.1f} {cpu:8.1f}")


def client_for(url: str) -> Any:
    """A test client of the app on this database, logged in as the author."""
    from learnpath import create_app

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    client = app.test_client()
    response = client.post(
        "/auth/login", data={"email": "bench-author@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    return client


def bench_pages(client: Any, pages: dict[str, str], repeat: int, target: float) -> None:
    """p50/p95 of GET pages through the whole request, and the SQL statements each one runs."""
    engine = client.application.extensions["learnpath.engine"]
    counter = [0]

    def count(*_: object) -> None:
        counter[0] += 1

    print(f"{'page':42} {'p50':>7} {'p95':>7} {'cpu p50':>7} {'cpu p95':>7} {'queries':>7}", end="")
    print(f"   (target p95 ≤ {target:.0f} ms)")
    for name, url in pages.items():

        def get(u: str = url) -> None:
            response = client.get(u)
            assert response.status_code == 200, (u, response.status_code)

        event.listen(engine, "before_cursor_execute", count)
        try:
            counter[0] = 0
            get()
            queries = counter[0]
        finally:
            event.remove(engine, "before_cursor_execute", count)
        p50, p95, cpu, cpu95 = timings(get, repeat)
        print(f"{name:42} {p50:7.1f} {p95:7.1f} {cpu:7.1f} {cpu95:7.1f} {queries:7d}")


DRAFT = "/studio/programs/team-lead-path/v2"


def studio_pages() -> dict[str, str]:
    """Every kind of studio page an author opens: lists, each depth's program page and editor,
    module, item and competency pages and their editors, the rule forms."""
    pages = {
        "home": "/studio/",
        "programs list": "/studio/programs",
        "programs list (depth 1, by title, page 1)": "/studio/programs?depth=1&sort=title",
        "program page (personal draft)": DRAFT,
        "program editor (personal draft)": f"{DRAFT}/edit",
        "program editor, picker search": f"{DRAFT}/edit?find=practice&page=3",
        "program editor, pool page 4": f"{DRAFT}/edit?pool_page=4",
        "rules list": f"{DRAFT}/rules",
        "new rule form": f"{DRAFT}/rules/new",
        "edit rule form": f"{DRAFT}/rules/0",
    }
    for depth, slug in DRAFTS.items():
        base = f"/studio/programs/{slug}/v2"
        pages[f"program page ({depth} draft)"] = base
        editor = {"facilitated": "facilitation", "specialized": "derivation", "deep": "derivation"}
        pages[f"program editor ({depth} draft)"] = f"{base}/{editor.get(depth, 'edit')}"
        if depth != "boxed":
            pages[f"settings editor ({depth} draft)"] = f"{base}/edit"
    pages["program page (published personal)"] = "/studio/programs/team-lead-path/v1"
    pages |= {
        "modules list": "/studio/modules",
        "modules list (filtered, sorted, page 5)": "/studio/modules?competency=data-literacy"
        "&sort=minutes&order=desc&page=5",
        "modules list (search)": "/studio/modules?q=charts",
        "module page": "/studio/modules/dl-dashboards",
        "module editor": "/studio/modules/dl-dashboards/edit",
        "module editor, prerequisite search": "/studio/modules/dl-dashboards/edit?find=charts",
        "new module form": "/studio/modules/new",
        "competencies list": "/studio/competencies",
        "competency page (items, modules)": "/studio/competencies/data-literacy",
        "competency page (modules page 5)": "/studio/competencies/data-literacy?modules_page=5",
        "competency page (active items)": "/studio/competencies/data-literacy?status=active",
        "competency editor": "/studio/competencies/data-literacy/edit",
        "item page": "/studio/items/dl-001",
        "item editor": "/studio/items/dl-001/edit",
        "new item form": "/studio/competencies/data-literacy/items/new",
    }
    return pages | ASSIGNMENT_AND_ADMIN_PAGES


PUBLISHED = "/studio/programs/team-lead-path/v1"
# Issue 14's pages: the personal program's v1 holds the bench's enrolled learners (30 %).
ASSIGNMENT_AND_ADMIN_PAGES = {
    "assign: published versions": "/studio/assign",
    "assign form (published personal)": f"{PUBLISHED}/assign",
    "learners of a version (page 1)": f"{PUBLISHED}/learners",
    "learners of a version (page 20)": f"{PUBLISHED}/learners?page=20",
    "people: users": "/studio/people/users",
    "people: departments": "/studio/people/departments",
    "audit log": "/studio/audit",
    "jobs": "/studio/jobs",
    "API clients": "/studio/api-clients",
}


PREVIEW_PAGES = {
    "rules list + a learner's trajectory": f"{DRAFT}/rules?who=S000007",
    "stored rule preview (role)": f"{DRAFT}/rules/0/preview",
    "stored rule preview (levels)": f"{DRAFT}/rules/3/preview",
    "typed rule preview (behaviour+tempo)": f"{DRAFT}/rules/new?preview=1&name=x&tempo=slow"
    "&behaviour=customizer&then=pace&minutes_per_week=60",
    "typed rule preview (everyone, page 40)": f"{DRAFT}/rules/new?preview=1&name=x&then=include"
    "&modules=pm-agile&page=40",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--modules", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--pages-only", action="store_true", help="skip the rule preview")
    parser.add_argument("--match", default="", help="only the studio pages whose name has this")
    parser.add_argument("--pg", help="PostgreSQL server URL (a database bench_studio is made)")
    args = parser.parse_args()
    url, remove = database(args.pg)
    try:
        started = time.perf_counter()
        engine = build(url, args.learners, args.modules)
        print(
            f"{'PostgreSQL' if args.pg else 'SQLite'}: shipped catalog + {args.modules} modules, "
            f"{args.learners} learners, built in {time.perf_counter() - started:.0f} s; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        client = client_for(url)
        if not args.pages_only:
            bench_matching(engine, args.repeat)
            print("\nRule preview pages (whole request)")
            bench_pages(client, PREVIEW_PAGES, args.repeat, 300)
        print("\nStudio pages (whole request)")
        pages = {k: v for k, v in studio_pages().items() if args.match in k}
        bench_pages(client, pages, args.repeat, 100)
        engine.dispose()
    finally:
        remove()


if __name__ == "__main__":
    main()
