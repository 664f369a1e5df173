"""Rule preview: whom a condition matches (as the planner decides), and a draft's trajectory."""

from datetime import date
from itertools import product

import pytest
from flask import Flask
from sqlmodel import Session, select

from learnpath import planning
from learnpath.models import (
    Competency,
    CompetencyLevel,
    Enrollment,
    Learner,
    LearnerStat,
    TrajectoryStep,
)
from learnpath.models.base import pk
from learnpath.planning.rules import holds
from learnpath.services.catalog import drafts
from learnpath.services.catalog.schema import RuleIn
from learnpath.services.learning import plancatalog, planinputs, preview
from learnpath.services.learning.results import DECISION_SPEED
from tests import factories
from tests.test_trajectory_service import module

TODAY = date(2026, 3, 2)
ROLES = ("team-lead", "Analyst", "")
DEPARTMENTS = ("Finance", "Qualität", "sales")


def _population(db: Session) -> list[Learner]:
    """Eighteen learners over roles × departments × two interest sets, with levels and stats."""
    competency = db.exec(select(Competency).where(Competency.slug == "data-literacy")).one()
    people = []
    for i, (role, department, interests) in enumerate(
        product(ROLES, DEPARTMENTS, (["charts"], ["Data-Quality"]))
    ):
        person = factories.learner(
            db, f"P{i:02}", role=role, department=department, interests=interests
        )
        people.append(person)
        if i % 3:
            theta = -1.0 + 0.4 * i / 3
            db.add(
                CompetencyLevel(
                    learner_id=pk(person),
                    competency_id=pk(competency),
                    theta=theta,
                    se=0.3,
                    level="",
                )
            )
        if i % 2:
            db.add(LearnerStat(learner_id=pk(person), kind=DECISION_SPEED, value=0.6 + i / 10, n=9))
    people[-1].active = False
    db.add(people[-1])
    db.flush()
    for person in people[2:6]:
        _completed(db, person, "fb-why-feedback", slow=person is not people[3])
    return people


def _completed(db: Session, person: Learner, slug: str, slow: bool) -> Enrollment:
    """Enrol the learner in the shipped personal program with one module done (slowly or not)."""
    program = drafts.find(db, "team-lead-path", 1)
    assert program is not None
    enrollment = Enrollment(learner_id=pk(person), program_id=pk(program))
    db.add(enrollment)
    db.flush()
    done = module(db, slug)
    seconds = done.minutes * 60 * (3 if slow else 1)
    db.add(
        TrajectoryStep(
            enrollment_id=pk(enrollment),
            module_id=pk(done),
            position=0,
            status="completed",
            time_spent_s=seconds,
        )
    )
    db.flush()
    return enrollment


CONDITIONS = [
    planning.Condition(),
    planning.Condition(roles=("TEAM-LEAD",)),
    planning.Condition(departments=("QUALITÄT",)),  # non-ASCII: folded by the planner, not SQL
    planning.Condition(roles=("analyst",), departments=("finance", "Sales")),
    planning.Condition(interests=("data-quality",)),
    planning.Condition(below={"data-literacy": "proficient"}),
    planning.Condition(at_least={"data-literacy": "developing"}, decision_speed=("slow",)),
    planning.Condition(decision_speed=("fast", "typical"), behaviour=("starter",)),
    planning.Condition(tempo=("slow",)),
]


def _expected(db: Session, people: list[Learner], when: planning.Condition) -> list[int]:
    """Ids the planner's own `holds` accepts, each learner read as a plan would read them."""
    competencies = plancatalog.all_competency_slugs(db)
    bands = planning.Bands.of(None)
    return sorted(
        pk(p)
        for p in people
        if p.active and holds(when, planinputs.learner_input(db, p, None, {}, competencies), bands)
    )


@pytest.mark.parametrize("when", CONDITIONS)
def test_the_count_and_the_list_agree_with_the_planner(
    catalog: Session, when: planning.Condition
) -> None:
    people = _population(catalog)
    found = preview.matching(catalog, when, per_page=100)
    assert sorted(p.id for p in found.people) == _expected(catalog, people, when)
    assert found.total == len(found.people)


def test_pages_are_the_same_whether_sql_or_the_planner_decides(catalog: Session) -> None:
    """Roles in ASCII are filtered in SQL; a non-ASCII department is left to the planner."""
    _population(catalog)
    by_sql = planning.Condition(roles=("analyst",))
    by_planner = planning.Condition(roles=("analyst",), departments=tuple(DEPARTMENTS))
    for page in (1, 2, 3):
        ours = preview.matching(catalog, by_sql, page=page, per_page=2)
        theirs = preview.matching(catalog, by_planner, page=page, per_page=2)
        assert ours == theirs and ours.total == 6  # one of the seven analysts is inactive


def test_matches_are_paged_by_name(catalog: Session) -> None:
    _population(catalog)
    first = preview.matching(catalog, planning.Condition(), page=1, per_page=5)
    last = preview.matching(catalog, planning.Condition(), page=4, per_page=5)
    assert (first.total, first.pages, len(first.people), len(last.people)) == (17, 4, 5, 2)
    assert [p.name for p in first.people] == sorted(p.name for p in first.people)
    assert first.people[-1].name < last.people[0].name


def test_level_conditions_use_the_programs_bands(catalog: Session) -> None:
    person = _population(catalog)[
        4
    ]  # θ = -0.47: proficient by default, developing if it starts at 0
    when = planning.Condition(below={"data-literacy": "proficient"})
    assert person.id not in [p.id for p in preview.matching(catalog, when, per_page=100).people]
    shifted = preview.matching(catalog, when, {"proficient": 0.0, "advanced": 1.0}, per_page=100)
    assert person.id in [p.id for p in shifted.people]


def _draft(db: Session):  # type: ignore[no-untyped-def]
    published = drafts.find(db, "team-lead-path", 1)
    assert published is not None
    return drafts.open_draft(db, published, "Ana")


def test_a_learners_trajectory_under_the_draft_writes_nothing(app: Flask, catalog: Session) -> None:
    program = _draft(catalog)
    lead = factories.learner(catalog, "L1", role="team-lead")
    catalog.commit()
    with factories.count_writes(app.extensions["learnpath.engine"]) as writes:
        result = preview.trajectory(catalog, program, lead, TODAY)
        catalog.flush()
    assert writes.statements == []
    step = result.plan.step("fb-one-on-ones")
    assert (step.status, step.reason_code) == ("planned", "rule_mandatory")
    assert result.titles["fb-one-on-ones"] and result.enrollment is None


def test_an_unsaved_rule_is_previewed_in_its_place(catalog: Session) -> None:
    program = _draft(catalog)
    analyst = factories.learner(catalog, "A1", role="analyst")
    rule = RuleIn.model_validate(
        {
            "name": "Analysts do agile after all",
            "when": {"role": ["analyst"]},
            "then": "include",
            "modules": ["pm-agile"],
        }
    )
    stored = preview.trajectory(catalog, program, analyst, TODAY)
    assert stored.plan.step("pm-agile").reason_code == "rule_exclude"
    replaced = preview.trajectory(catalog, program, analyst, TODAY, (4, preview.as_planning(rule)))
    assert replaced.plan.step("pm-agile").reason_text == "role rule: Analysts do agile after all"
    appended = preview.trajectory(
        catalog, program, analyst, TODAY, (None, preview.as_planning(rule))
    )
    assert appended.plan.step("pm-agile").status == "planned"  # the later rule wins


def test_an_enrolled_learner_keeps_their_progress_in_the_preview(catalog: Session) -> None:
    person = factories.learner(catalog, "E9", role="team-lead")
    enrollment = _completed(catalog, person, "fb-why-feedback", slow=False)
    result = preview.trajectory(catalog, _draft(catalog), person, TODAY)
    assert result.enrollment is not None and result.enrollment.id == enrollment.id
    assert result.plan.step("fb-why-feedback").status == "completed"


def test_an_interest_written_in_other_letters_is_still_found(catalog: Session) -> None:
    """ "\u212aanban" (Kelvin sign) casefolds to "kanban": the planner matches it, so must we."""
    odd = factories.learner(catalog, "K1", interests=["\u212aanban"])
    plain = factories.learner(catalog, "K2", interests=["KANBAN", "charts"])
    factories.learner(catalog, "K3", interests=["kanban-boards"])
    found = preview.matching(catalog, planning.Condition(interests=("kanban",)))
    assert sorted(p.id for p in found.people) == sorted([pk(odd), pk(plain)])


def test_the_preview_of_the_enrolled_version_is_the_learners_real_plan(catalog: Session) -> None:
    from learnpath.services.learning import trajectory

    person = factories.learner(catalog, "RP", role="analyst", interests=["charts"])
    enrollment = _completed(catalog, person, "dl-averages-and-spread", slow=True)
    catalog.add(LearnerStat(learner_id=pk(person), kind=DECISION_SPEED, value=1.4, n=9))
    trajectory.replan(catalog, enrollment, TODAY)
    done = trajectory.adjust(
        catalog, enrollment, None, planning.Adjustment("drop", "dl-dashboards")
    )
    assert not isinstance(done, planning.Refusal)
    real = trajectory.replan(catalog, enrollment, TODAY)
    published = drafts.find(catalog, "team-lead-path", 1)
    assert published is not None
    previewed = preview.trajectory(catalog, published, person, TODAY)
    assert previewed.plan == real.plan
    assert previewed.plan.step("dl-dashboards").reason_code == "dropped"
