"""Benchmark of the learner's path page: queries and milliseconds per page (p50/p95).

Builds a temporary SQLite database (migrated, content/ imported), creates a team-lead learner
enrolled in every published program of the shipped catalog, with levels in two competencies
(some modules Tested Out), a completed module, a started one and a change of their own, each
plan stored as its events store it. Through Flask's test client (the whole request: session,
queries, planning, template) it asks GET /path/<id> for every enrollment and reports queries
(counted with before_cursor_execute) and milliseconds per page.

Then it adds a synthetic catalog of `--modules` modules (competencies of 20 modules in a
prerequisite chain, cross-competency prerequisites, tags, alternative formats) with a personal
program whose pool is 40 of them (role targets, segment rules), enrolls the learner in it, and
measures again: every path page, the synthetic program's included.

    .venv/bin/python benchmarks/bench_path_page.py [--modules 2000] [--samples 100]

Figures are printed, never asserted; the target is a p95 under 50 ms at 2,000 modules. CPU
milliseconds (the process's) are printed beside wall-clock ones: on a shared machine the wall
clock also counts the time other processes hold the CPU.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, func
from sqlmodel import Session, col, select

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark password"
LEVELS = ("novice", "developing", "proficient", "advanced", "expert")
FORMATS = ("reading", "video", "exercise", "case")
PER_COMPETENCY = 20
POOL = 40


def build(folder: Path) -> Flask:
    """The app on a fresh SQLite database holding content/ and the benchmark learner."""
    from learnpath import create_app, migrate
    from learnpath.services.catalog import import_catalog

    url = f"sqlite:///{folder / 'bench.sqlite'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    engine = app.extensions["learnpath.engine"]
    migrate.upgrade(engine)
    with Session(engine) as session:
        import_catalog(session, ROOT / "content")
        session.commit()
        learner_id = learner(session)
        programs = session.exec(select_published()).all()
        for program in programs:
            enroll(session, learner_id, program.id)
        session.commit()
    return app


def select_published() -> Any:
    """Published program versions."""
    from learnpath.models import Program

    return select(Program).where(Program.status == "published").order_by(col(Program.id))


def learner(session: Session) -> int:
    """A team-lead learner with a login and levels in two competencies; their learner id."""
    from learnpath.models import Competency, CompetencyLevel, Learner
    from learnpath.services.accounts.users import create_user

    profile = Learner(external_id="B1", email="bench@example.com", name="Bench", role="team-lead")
    session.add(profile)
    session.flush()
    create_user(session, profile.email, profile.name, PASSWORD, ["learner"], learner=profile)
    for slug, theta in (("data-literacy", 1.6), ("giving-feedback", -0.2)):
        competency = session.exec(select(Competency).where(Competency.slug == slug)).one()
        level = CompetencyLevel(
            learner_id=profile.id, competency_id=competency.id, theta=theta, se=0.3, level=""
        )
        session.add(level)
    session.flush()
    assert profile.id is not None
    return profile.id


def enroll(session: Session, learner_id: int, program_id: Any) -> None:
    """An enrollment with its plan stored, a module completed, one started, a change made."""
    from learnpath import planning
    from learnpath.models import Enrollment
    from learnpath.services.learning import study, trajectory
    from learnpath.vocabulary import utcnow

    enrollment = Enrollment(learner_id=learner_id, program_id=program_id)
    session.add(enrollment)
    session.flush()
    current = trajectory.replan(session, enrollment)
    open_steps = [s for s in current.steps if s.status == "planned" and not current.blockers(s)]
    if open_steps:
        done = current.module(open_steps[0])
        current = study.complete(session, current, done, done.minutes, utcnow())
    planned = [s for s in current.steps if s.status == "planned"]
    if planned:
        trajectory.mark_started(session, planned[0], utcnow() - timedelta(minutes=20))
    if len(planned) > 1:
        change = planning.Adjustment("pace", pace_minutes_per_week=180)
        trajectory.adjust(session, enrollment, None, change)


def add_synthetic(session: Session, n: int, rng: random.Random) -> int:
    """n modules in competencies of 20, and a personal program over 40 of them; its id."""
    from learnpath.models import Competency

    competencies = [
        Competency(slug=f"syn-c{i}", name=f"Synthetic competency {i}", description="")
        for i in range(max(1, n // PER_COMPETENCY))
    ]
    session.add_all(competencies)
    session.flush()
    modules = synthetic_modules(session, [c.id for c in competencies], n, rng)
    link(session, modules, rng)
    chosen = rng.sample([c.id for c in competencies], max(1, POOL // PER_COMPETENCY))
    return personal_program(session, chosen, modules, rng)


def synthetic_modules(
    session: Session, competency_ids: list[int], n: int, rng: random.Random
) -> list[Any]:
    """n modules, 20 per competency from novice to expert; every tenth another format."""
    from learnpath.models import Module

    modules: list[Module] = []
    for i in range(n):
        position = i % PER_COMPETENCY
        alternative = modules[-1] if position % 10 == 9 else None
        modules.append(
            Module(
                slug=f"syn-m{i}",
                title=f"Synthetic module {i}",
                summary="A module of the synthetic catalog.",
                body=f"# Synthetic module {i}\n\n" + "A paragraph of the lesson. " * 80,
                format=rng.choice(FORMATS),
                minutes=rng.randint(10, 60),
                competency_id=competency_ids[i // PER_COMPETENCY % len(competency_ids)],
                level=alternative.level if alternative else LEVELS[position * 5 // PER_COMPETENCY],
                alternative_of_id=alternative.id if alternative else None,
            )
        )
        session.add(modules[-1])
        if position % 10 == 8:
            session.flush()  # the next module, an alternative of this one, needs its id
    session.flush()
    return modules


def link(session: Session, modules: list[Any], rng: random.Random) -> None:
    """Prerequisites: a chain per competency, a fifth of the modules also build on another
    competency's module; two tags each."""
    from learnpath.models import ModulePrerequisite, ModuleTag

    for i, module in enumerate(modules):
        if i % PER_COMPETENCY and module.alternative_of_id is None:
            before = modules[i - 1 if i % 10 != 0 else i - 2]  # not the alternative format
            session.add(ModulePrerequisite(module_id=module.id, requires_id=before.id))
        if i >= PER_COMPETENCY and rng.random() < 0.2:
            other = modules[rng.randrange(i - i % PER_COMPETENCY)]
            session.add(ModulePrerequisite(module_id=module.id, requires_id=other.id))
        for tag in rng.sample(range(30), 2):
            session.add(ModuleTag(module_id=module.id, tag=f"topic-{tag}"))
    session.flush()


def personal_program(
    session: Session, competency_ids: list[int], modules: list[Any], rng: random.Random
) -> int:
    """A published depth-5 program: its competencies' modules as its pool, targets, rules."""
    from learnpath.models import Program, ProgramModule, ProgramTarget

    program = Program(
        slug="syn-personal", title="Synthetic personal program", depth=5, status="published"
    )
    session.add(program)
    session.flush()
    pool = [m for m in modules if m.competency_id in competency_ids][:POOL]
    for position, module in enumerate(pool):
        mandatory = position % 7 == 0
        session.add(
            ProgramModule(
                program_id=program.id, module_id=module.id, position=position, mandatory=mandatory
            )
        )
    for competency_id in competency_ids:
        for role, level in (("", "proficient"), ("team-lead", "advanced")):
            target = ProgramTarget(
                program_id=program.id, competency_id=competency_id, role=role, level=level
            )
            session.add(target)
    rules(session, program.id, [rng.choice(modules) for _ in range(3)])
    assert program.id is not None
    return program.id


def rules(session: Session, program_id: int, named: list[Any]) -> None:
    """Three segment rules, each naming a module (it may lie outside the pool)."""
    from learnpath.models import SegmentRule, SegmentRuleModule

    written = [
        ("Team leads add a case", {"role": ["team-lead"]}, "include"),
        ("Analysts skip the advanced cases", {"role": ["analyst"]}, "exclude"),
        ("Topic 3 fans get the extra module", {"interests": ["topic-3"]}, "include"),
    ]
    for position, ((name, conditions, action), module) in enumerate(
        zip(written, named, strict=True)
    ):
        rule = SegmentRule(
            program_id=program_id,
            position=position,
            name=name,
            conditions=conditions,
            action=action,
        )
        session.add(rule)
        session.flush()
        session.add(SegmentRuleModule(rule_id=rule.id, module_id=module.id))
    session.flush()


def measure(app: Flask, samples: int) -> dict[str, Any]:
    """Every path page of the learner, `samples` times: queries and ms per page."""
    from learnpath.models import Enrollment

    engine: Engine = app.extensions["learnpath.engine"]
    client: FlaskClient = app.test_client()
    response = client.post("/auth/login", data={"email": "bench@example.com", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    with Session(engine) as session:
        ids = session.exec(select(Enrollment.id).order_by(col(Enrollment.id))).all()
    urls = [f"/path/{i}" for i in ids]
    queries: list[int] = []
    seconds: list[float] = []
    cpu: list[float] = []
    counter = [0]

    def count(*_: object) -> None:
        counter[0] += 1

    for url in urls:  # warm-up: templates compiled, caches filled
        assert client.get(url).status_code == 200, url
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(samples):
            for url in urls:
                counter[0] = 0
                started, used = time.perf_counter(), time.process_time()
                response = client.get(url)
                seconds.append(time.perf_counter() - started)
                cpu.append(time.process_time() - used)
                assert response.status_code == 200, url
                queries.append(counter[0])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return {"pages": len(urls), "queries": queries, "seconds": seconds, "cpu": cpu}


def catalog_size(app: Flask) -> int:
    """How many modules the catalog holds."""
    from learnpath.models import Module

    with Session(app.extensions["learnpath.engine"]) as session:
        return int(session.exec(select(func.count()).select_from(Module)).one())


def report(name: str, figures: dict[str, Any]) -> None:
    """Print queries, and wall-clock and CPU milliseconds per page (p50, p95, max)."""
    print(f"{name}: {figures['pages']} path pages, {len(figures['seconds'])} requests")
    print(f"  queries per page  min {min(figures['queries'])}  max {max(figures['queries'])}")
    for label, key in (("ms per page", "seconds"), ("CPU ms per page", "cpu")):
        ms = sorted(1000 * s for s in figures[key])
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        median = statistics.median(ms)
        print(f"  {label:16s}  p50 {median:6.1f}  p95 {p95:6.1f}  max {ms[-1]:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modules", type=int, default=2000, help="synthetic catalog size")
    parser.add_argument("--samples", type=int, default=100, help="requests per page")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build(Path(folder))
        report(f"shipped catalog ({catalog_size(app)} modules)", measure(app, args.samples))
        with Session(app.extensions["learnpath.engine"]) as session:
            from learnpath.models import Learner

            program_id = add_synthetic(session, args.modules, random.Random(args.seed))
            learner_id = session.exec(select(Learner.id).where(Learner.external_id == "B1")).one()
            enroll(session, learner_id, program_id)
            session.commit()
        report(
            f"with a synthetic catalog ({catalog_size(app)} modules)", measure(app, args.samples)
        )
        app.extensions["learnpath.engine"].dispose()


if __name__ == "__main__":
    main()
