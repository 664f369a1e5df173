"""Departments: create, rename and merge rewrite the name everywhere it lives, in step."""

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, SQLModel, col, select

from learnpath.models import (
    Department,
    Enrollment,
    Job,
    Learner,
    Module,
    Program,
    SegmentRule,
    TrajectoryStep,
)
from learnpath.models.base import pk
from learnpath.services.accounts import departments
from learnpath.services.accounts.users import AccountError
from learnpath.services.audit import Actor
from learnpath.services.learning import trajectory
from learnpath.vocabulary import Depth
from tests import factories


def _program(db: Session, audience: str, status: str = "published") -> Program:
    program = Program(
        slug=factories.unique("dept"),
        title="For a department",
        depth=int(Depth.DEEP),
        status=status,
        audience_kind="department",
        audience_name=audience,
    )
    db.add(program)
    db.flush()
    return program


def _rule(db: Session, program: Program, names: list[str]) -> SegmentRule:
    rule = SegmentRule(
        program_id=pk(program),
        position=0,
        name="By department",
        conditions={"department": names, "role": ["analyst"]},
        action="include",
    )
    db.add(rule)
    db.flush()
    return rule


@pytest.fixture
def sales(db: Session) -> Department:
    """Sales, with two people, a published and a draft program, a rule naming it in lower case."""
    department = departments.create(db, "Sales")
    factories.learner(db, "S1", department="Sales")
    factories.learner(db, "S2", department="Sales")
    factories.learner(db, "O1", department="Ops")
    published = _program(db, "Sales")
    _program(db, "Sales", status="draft")
    _program(db, "Ops")
    _rule(db, published, ["sales", "Ops"])
    db.commit()
    return department


def _departments_of(db: Session) -> dict[str, list[str]]:
    db.expire_all()
    return {
        "learners": sorted(lr.department for lr in db.exec(select(Learner)).all()),
        "audiences": sorted(p.audience_name or "" for p in db.exec(select(Program)).all()),
        "rules": [r.conditions["department"] for r in db.exec(select(SegmentRule)).all()],
    }


def test_create_refuses_empty_and_case_twins_and_tidies_spaces(db: Session) -> None:
    assert departments.create(db, "  Field   Sales ").name == "Field Sales"
    with pytest.raises(AccountError, match=r"^name: a department called 'field sales' exists"):
        departments.create(db, "field sales")
    with pytest.raises(AccountError, match=r"^name: a department needs a name"):
        departments.create(db, "   ")


def test_a_name_only_hr_uses_is_known_and_can_be_listed_but_not_in_another_case(
    db: Session,
) -> None:
    factories.learner(db, "H1", department="Finance")
    assert departments.names(db) == ["Finance"]
    assert [r.department for r in departments.overview(db)] == [None]
    with pytest.raises(AccountError, match="people are already in 'Finance'"):
        departments.create(db, "finance")
    departments.create(db, "Finance")
    assert [(r.name, r.learners) for r in departments.overview(db)] == [("Finance", 1)]


def test_rename_rewrites_people_audiences_and_rules_published_ones_too(
    db: Session, sales: Department
) -> None:
    published = db.exec(select(Program).where(Program.status == "published")).first()
    assert published is not None
    revision = published.revision
    counts = departments.rename(db, sales, "Field Sales", "Ada")
    db.commit()
    assert counts == {"learners": 2, "program audiences": 2, "segment rules": 1}
    assert _departments_of(db) == {
        "learners": ["Field Sales", "Field Sales", "Ops"],
        "audiences": ["Field Sales", "Field Sales", "Ops"],
        "rules": [["Field Sales", "Ops"]],
    }
    assert db.get(Department, sales.id).name == "Field Sales"  # type: ignore[union-attr]
    db.refresh(published)
    assert published.revision > revision and published.updated_by == "Ada"


def test_rename_to_another_departments_name_is_refused(db: Session, sales: Department) -> None:
    departments.create(db, "Ops")
    with pytest.raises(AccountError, match=r"^name: 'Ops' exists; merge into it instead"):
        departments.rename(db, sales, "ops", "Ada")


def test_rename_may_change_only_the_case(db: Session, sales: Department) -> None:
    departments.rename(db, sales, "SALES", "Ada")
    assert _departments_of(db)["learners"] == ["Ops", "SALES", "SALES"]


def test_merge_moves_everything_and_removes_the_source(db: Session, sales: Department) -> None:
    ops = departments.create(db, "Ops")
    counts = departments.merge(db, sales, ops, "Ada")
    db.commit()
    assert counts == {"learners": 2, "program audiences": 2, "segment rules": 1}
    assert _departments_of(db) == {
        "learners": ["Ops", "Ops", "Ops"],
        "audiences": ["Ops", "Ops", "Ops"],
        "rules": [["Ops"]],  # one entry, not two
    }
    assert [d.name for d in db.exec(select(Department)).all()] == ["Ops"]


def test_a_department_cannot_merge_into_itself(db: Session, sales: Department) -> None:
    with pytest.raises(AccountError, match=r"^into: "):
        departments.merge(db, sales, sales, "Ada")


def test_every_column_naming_a_department_is_a_place_renames_rewrite() -> None:
    """A new column named like a department must be added to departments.PLACES (and here)."""
    found = {
        f"{table.name}.{column.name}"
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if "department" in column.name or column.name.startswith("audience")
    }
    rewritten_by = {
        "learner.department": "learners",
        "program.audience_name": "program audiences",
        "program.audience_kind": "program audiences",  # the kind selects which names to rewrite
    }
    assert found == set(rewritten_by)
    assert set(rewritten_by.values()) | {"segment rules"} == set(departments.PLACES)


def _stored_status(db: Session, enrollment: Enrollment, slug: str) -> str:
    """The stored plan's status of one module ('' when the plan does not hold it)."""
    db.expire_all()
    found = db.exec(
        select(TrajectoryStep.status)
        .join(Module, col(Module.id) == TrajectoryStep.module_id)
        .where(TrajectoryStep.enrollment_id == enrollment.id, Module.slug == slug)
    ).first()
    return found or ""


def _team_lead_in_ops(db: Session) -> tuple[Department, Department, Program, Enrollment]:
    """Finance and Ops, and an Ops team lead on Team Lead Path with a stored plan."""
    finance, ops = departments.create(db, "Finance"), departments.create(db, "Ops")
    learner = factories.learner(db, "MOVER", department="Ops", role="team-lead")
    program = db.exec(select(Program).where(Program.slug == "team-lead-path")).first()
    assert program is not None
    enrollment = Enrollment(learner_id=pk(learner), program_id=pk(program))
    db.add(enrollment)
    db.flush()
    trajectory.replan(db, enrollment)
    db.commit()
    return finance, ops, program, enrollment


def test_stored_plans_follow_a_merge_and_stay_right_after_a_rename(catalog: Session) -> None:
    """Team Lead Path includes the invoice-fraud case for Finance staff (a department rule)."""
    db = catalog
    finance, ops, program, enrollment = _team_lead_in_ops(db)
    case = "sec-fin-invoice-fraud"
    assert _stored_status(db, enrollment, case) in ("", "excluded")
    departments.merge(db, ops, finance, "Ada")
    db.commit()
    assert _stored_status(db, enrollment, case) == "planned"
    departments.rename(db, finance, "Money", "Ada")  # rule and learner renamed together
    db.commit()
    assert _stored_status(db, enrollment, case) == "planned"
    rule = db.exec(select(SegmentRule).where(SegmentRule.program_id == program.id)).all()
    assert ["Money"] in [r.conditions.get("department") for r in rule]


def test_many_learners_are_re_planned_by_a_job_after_a_merge(
    catalog: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the threshold the merge commits at once and a job re-plans (immediate in tests)."""
    monkeypatch.setattr(departments, "REPLAN_IN_REQUEST_UP_TO", 0)
    db = catalog
    finance, ops, _program, enrollment = _team_lead_in_ops(db)
    case = "sec-fin-invoice-fraud"
    counts = departments.merge(db, ops, finance, Actor(None, "Ada"))
    job = db.get(Job, counts[departments.REPLAN_JOB])
    assert job is not None and job.status == "queued"
    assert _stored_status(db, enrollment, case) in ("", "excluded")  # not re-planned in the call
    db.commit()  # the job runs now
    db.refresh(job)
    assert (job.kind, job.status, job.actor) == ("replan-learners", "done", "Ada")
    assert job.result == {"replanned": 1, "learners": 1}
    assert _stored_status(db, enrollment, case) == "planned"


def test_the_merge_page_links_the_re_planning_job(
    db: Session,
    sales: Department,
    client: FlaskClient,
    login: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(departments, "REPLAN_IN_REQUEST_UP_TO", 0)
    login("admin")
    ops = departments.create(db, "Ops")
    db.commit()
    response = client.post(
        f"/studio/people/departments/{sales.id}/merge",
        data={"into": str(ops.id)},
        follow_redirects=True,
    )
    job = db.exec(select(Job)).one()
    page = response.get_data(as_text=True)
    assert response.request.path == f"/studio/jobs/{job.id}"
    assert "Merged Sales into Ops: 2 learners" in page and "Re-planning their learners" in page
    assert (job.status, job.actor, len(job.args["learners"])) == ("done", "Pat", 3)
