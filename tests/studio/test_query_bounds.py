"""Studio pages ask as many queries with 500 modules as with 50: nothing is read per module."""

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlmodel import Session, col, select

from learnpath.models import Competency, Module, ModulePrerequisite, Program, ProgramModule
from learnpath.models.base import pk
from learnpath.services.catalog import drafts
from tests.test_learner_get_pages import statements

DRAFTS = (
    "data-literacy-essentials",
    "data-literacy-northwind-cohort",
    "data-literacy-for-northwind",
    "secure-finance-operations",
    "team-lead-path",
)
"""A boxed, a facilitated, a specialized, a deep and a personal program: v2 of each is a draft."""


def pages() -> list[str]:
    """Every kind of studio page, lists and pickers included, on the drafts of each depth."""
    urls = ["/studio/", "/studio/programs", "/studio/programs?sort=learners&order=desc"]
    for slug in DRAFTS:
        base = f"/studio/programs/{slug}/v2"
        urls += [base, f"{base}/edit", f"/studio/programs/{slug}/v1"]
    urls += [
        "/studio/programs/data-literacy-essentials/v2/edit?find=grown&page=2",
        "/studio/programs/data-literacy-northwind-cohort/v2/facilitation",
        "/studio/programs/data-literacy-for-northwind/v2/derivation",
        "/studio/programs/secure-finance-operations/v2/derivation?find=grown",
        "/studio/programs/team-lead-path/v2/rules",
        "/studio/modules",
        "/studio/modules?competency=data-literacy&sort=minutes&order=desc&page=2",
        "/studio/modules?q=grown",
        "/studio/modules/dl-dashboards",
        "/studio/modules/dl-dashboards/edit",
        "/studio/modules/new",
        "/studio/competencies",
        "/studio/competencies/data-literacy",
        "/studio/competencies/data-literacy?items_page=2&modules_page=2",
        "/studio/items/dl-001",
        "/studio/items/dl-001/edit",
    ]
    return urls


def grow(db: Session, n: int) -> None:
    """n more modules in data literacy, each requiring the one before; the boxed and personal
    drafts, if open, get them at the end of their list and pool (the order keeps prerequisites)."""
    competency = db.exec(select(Competency).where(Competency.slug == "data-literacy")).one()
    start = db.exec(
        select(func.count()).select_from(Module).where(col(Module.slug).like("grown-%"))
    )
    first = int(start.one())
    made = [
        Module(
            slug=f"grown-{i:04d}",
            title=f"Grown lesson {i}",
            competency_id=pk(competency),
            minutes=20,
            body="Practise.\n",
        )
        for i in range(first, first + n)
    ]
    db.add_all(made)
    db.flush()
    previous = db.exec(select(Module).where(Module.slug == f"grown-{first - 1:04d}")).first()
    for module in made:
        if previous is not None:
            db.add(ModulePrerequisite(module_id=pk(module), requires_id=pk(previous)))
        previous = module
    for slug in ("data-literacy-essentials", "team-lead-path"):
        draft = drafts.find(db, slug, 2)
        if draft is None:
            continue
        end = len(db.exec(select(ProgramModule).where(ProgramModule.program_id == draft.id)).all())
        db.add_all(
            ProgramModule(program_id=pk(draft), module_id=pk(m), position=end + k, mandatory=False)
            for k, m in enumerate(made)
        )
    db.commit()


def counts(client: FlaskClient, app: Flask) -> dict[str, int]:
    """How many statements each page sends."""
    engine = app.extensions["learnpath.engine"]
    found = {}
    for url in pages():
        with statements(engine) as seen:
            response = client.get(url)
        assert response.status_code == 200, url
        found[url] = len(seen)
    return found


@pytest.fixture
def drafted(catalog: Session) -> Session:
    """The shipped catalog with a v2 draft of a program of each depth."""
    for slug in DRAFTS:
        published = catalog.exec(
            select(Program).where(Program.slug == slug, Program.version == 1)
        ).one()
        drafts.open_draft(catalog, published, "Ana")
    catalog.commit()
    return catalog


def test_no_studio_page_asks_more_queries_for_a_larger_catalog(
    app: Flask, client: FlaskClient, drafted: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    grow(drafted, 50)
    small = counts(client, app)
    grow(drafted, 450)
    large = counts(client, app)
    assert large == small
    assert max(large.values()) <= 60


def test_the_publish_check_reads_every_module_the_pool_reaches(drafted: Session) -> None:
    """Batched, the check still sees a cycle among modules reached only as prerequisites."""
    from learnpath.services.catalog import publishing

    grow(drafted, 3)
    competency = drafted.exec(select(Competency).where(Competency.slug == "data-literacy")).one()
    a, b = (Module(slug=s, title=s, competency_id=pk(competency), body="x") for s in "xy")
    drafted.add_all([a, b])
    drafted.flush()
    first = drafted.exec(select(Module).where(Module.slug == "grown-0000")).one()
    for module, required in ((first, a), (a, b), (b, a)):
        drafted.add(ModulePrerequisite(module_id=pk(module), requires_id=pk(required)))
    drafted.flush()
    draft = drafts.find(drafted, "team-lead-path", 2)
    assert draft is not None
    reached = [m.slug for m in publishing.reached_modules(drafted, draft)]
    listed = drafted.exec(
        select(Module.slug)
        .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
        .where(ProgramModule.program_id == draft.id)
        .order_by(col(ProgramModule.position))
    ).all()
    assert reached[: len(listed)] == list(listed) and {"x", "y"} <= set(reached[len(listed) :])
    problems = publishing.publish_problems(drafted, draft)
    assert any("prerequisite cycle among modules" in p for p in problems), problems
