"""A plan loads only what it reads: its program's modules, not the catalog; same plan either way."""

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from learnpath import planning
from learnpath.models import (
    Competency,
    CompetencyLevel,
    Enrollment,
    Learner,
    Module,
    ModulePrerequisite,
    Program,
    ProgramModule,
    SegmentRule,
    SegmentRuleModule,
)
from learnpath.models.base import pk
from learnpath.services.learning import plancatalog, planinputs, trajectory
from learnpath.vocabulary import utcnow
from tests import factories
from tests.test_learner_get_pages import statements

PROGRAMS = ("data-literacy-essentials", "team-lead-path", "data-literacy-northwind-cohort")


def add_unrelated(db: Session, n: int) -> list[Module]:
    """n modules in a competency of their own, each requiring the one before; half also build
    on a module of the shipped catalog (so they are its dependents, never its prerequisites)."""
    competency = Competency(slug="unrelated", name="Unrelated")
    db.add(competency)
    db.flush()
    shipped = db.exec(select(Module).order_by(col(Module.id))).all()
    made = [
        Module(slug=f"u{i}", title=f"Unrelated {i}", competency_id=pk(competency)) for i in range(n)
    ]
    db.add_all(made)
    db.flush()
    for i, module in enumerate(made):
        if i:
            db.add(ModulePrerequisite(module_id=pk(module), requires_id=pk(made[i - 1])))
        if i % 2:
            db.add(ModulePrerequisite(module_id=pk(module), requires_id=pk(shipped[i % 10])))
    db.commit()
    return made


def enrollment_in(db: Session, slug: str, **profile: object) -> Enrollment:
    """An enrollment of a new learner in a shipped program, its plan stored."""
    learner = factories.learner(db, f"E{slug[:12]}", **profile)
    program = db.exec(select(Program).where(Program.slug == slug)).one()
    enrollment = Enrollment(learner_id=pk(learner), program_id=pk(program))
    db.add(enrollment)
    db.flush()
    trajectory.replan(db, enrollment)
    db.commit()
    return enrollment


def expected_modules(db: Session, enrollment: Enrollment) -> set[str]:
    """What the plan reads, found the long way: listed, rule-named, stored, their direct
    prerequisites, then alternative_of chains."""
    program_id = enrollment.program_id
    ids = set(
        db.exec(select(ProgramModule.module_id).where(ProgramModule.program_id == program_id))
    )
    rules = select(SegmentRule.id).where(SegmentRule.program_id == program_id)
    ids |= set(
        db.exec(
            select(SegmentRuleModule.module_id).where(col(SegmentRuleModule.rule_id).in_(rules))
        )
    )
    stored = trajectory.replan(db, enrollment).steps
    ids |= {s.module_id for s in stored}
    edges = db.exec(select(ModulePrerequisite)).all()
    ids |= {e.requires_id for e in edges if e.module_id in ids}
    modules = {pk(m): m for m in db.exec(select(Module)).all()}
    todo = list(ids)
    while todo:
        alternative = modules[todo.pop()].alternative_of_id
        if alternative is not None and alternative not in ids:
            ids.add(alternative)
            todo.append(alternative)
    return {modules[i].slug for i in ids}


@pytest.mark.parametrize("slug", PROGRAMS)
def test_a_plan_loads_its_programs_modules_not_the_catalog(catalog: Session, slug: str) -> None:
    unrelated = {m.slug for m in add_unrelated(catalog, 60)}
    enrollment = enrollment_in(catalog, slug, role="team-lead")
    _, modules = planinputs.plan_input(catalog, enrollment, utcnow().date())
    loaded = {m.slug for m in modules.values()}
    assert loaded == expected_modules(catalog, enrollment)
    assert not loaded & unrelated
    every = catalog.exec(select(Module)).all()
    assert len(loaded) < len(every) - len(unrelated)  # not even the whole shipped catalog


@pytest.mark.parametrize("slug", PROGRAMS)
@pytest.mark.parametrize("role", ["team-lead", "analyst"])
def test_the_plan_is_the_one_the_whole_catalog_gives(
    catalog: Session, monkeypatch: pytest.MonkeyPatch, slug: str, role: str
) -> None:
    enrollment = enrollment_in(catalog, slug, role=role, interests=["charts", "coaching"])
    for competency, theta in ((1, 1.4), (2, -0.3)):
        catalog.add(
            CompetencyLevel(
                learner_id=enrollment.learner_id,
                competency_id=competency,
                theta=theta,
                se=0.3,
                level="",
            )
        )
    catalog.commit()
    today = utcnow().date()
    scoped, _ = planinputs.plan_input(catalog, enrollment, today)
    monkeypatch.setattr(plancatalog, "needed_modules", lambda *_: select(Module.id))
    whole, _ = planinputs.plan_input(catalog, enrollment, today)
    assert len(whole.modules) > len(scoped.modules)
    assert planning.plan(scoped) == planning.plan(whole)


def test_the_path_page_asks_as_many_queries_whatever_the_catalogs_size(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = login("learner")
    learner = catalog.get(Learner, user.learner_id)
    assert learner is not None
    program = catalog.exec(select(Program).where(Program.slug == "team-lead-path")).one()
    enrollment = Enrollment(learner_id=pk(learner), program_id=pk(program))
    catalog.add(enrollment)
    catalog.flush()
    trajectory.replan(catalog, enrollment)
    catalog.commit()
    engine = app.extensions["learnpath.engine"]
    url = f"/path/{enrollment.id}"
    client.get(url)
    with statements(engine) as small:
        assert client.get(url).status_code == 200
    add_unrelated(catalog, 300)
    with statements(engine) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small) <= 36  # 33 today: page, plan inputs, behaviour facts, sessions
