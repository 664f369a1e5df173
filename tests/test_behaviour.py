"""Behaviour facts for segment rules: decision-speed and tempo bands, segments, in plans."""

from datetime import timedelta
from uuid import uuid4

import pytest
from sqlmodel import Session, select

from learnpath.models import (
    Adjustment,
    Attempt,
    LearnerStat,
    Module,
    Program,
    SegmentRule,
    SegmentRuleModule,
    TrajectoryStep,
)
from learnpath.models.base import pk, utcnow
from learnpath.models.progress import ProfileChange
from learnpath.services.learning import behaviour, trajectory
from learnpath.services.learning.results import DECISION_SPEED
from tests import factories
from tests.test_quiz_service import enroll


def _stat(db: Session, learner_id: int, value: float, n: int) -> None:
    db.add(LearnerStat(learner_id=learner_id, kind=DECISION_SPEED, value=value, n=n))
    db.flush()


def test_decision_speed_bands_need_five_answers(db: Session) -> None:
    values = {0.5: "fast", 0.8: "fast", 1.0: "typical", 1.2499: "typical", 1.25: "slow"}
    people = {value: factories.learner(db, f"S{i}") for i, value in enumerate(values)}
    for value, person in people.items():
        _stat(db, pk(person), value, 5)
    few = factories.learner(db, "FEW")
    _stat(db, pk(few), 0.5, 4)
    facts = behaviour.behaviour(db, [pk(p) for p in (*people.values(), few)])
    assert {v: facts[pk(p)].speed_band for v, p in people.items()} == values
    assert facts[pk(few)].speed_band == ""


def _complete(db: Session, enrollment_id: int, slug: str, seconds: int) -> None:
    module = db.exec(select(Module).where(Module.slug == slug)).one()
    db.add(
        TrajectoryStep(
            enrollment_id=enrollment_id,
            module_id=pk(module),
            position=0,
            status="completed",
            time_spent_s=seconds,
            completed_at=utcnow(),
        )
    )
    db.flush()


def test_tempo_is_time_spent_over_estimates_across_programs(catalog: Session) -> None:
    first = enroll(catalog)
    minutes = catalog.exec(select(Module.minutes).where(Module.slug == "dl-data-types")).one()
    _complete(catalog, pk(first), "dl-data-types", minutes * 60 * 2)  # twice the estimate
    assert behaviour.behaviour(catalog, [first.learner_id])[first.learner_id].tempo_band == "slow"
    second = enroll(catalog, "information-security-basics")
    second.learner_id = first.learner_id  # the same learner, in a second program
    quick = catalog.exec(select(Module.minutes).where(Module.slug == "sec-phishing")).one()
    _complete(catalog, pk(second), "sec-phishing", 1)
    ratio = (minutes * 60 * 2 + 1) / ((minutes + quick) * 60)
    assert 0.8 < ratio < 1.25  # both modules count: now typical
    assert (
        behaviour.behaviour(catalog, [first.learner_id])[first.learner_id].tempo_band == "typical"
    )
    second = enroll(catalog)
    _complete(catalog, pk(second), "dl-data-types", 0)  # completed without a time: no band
    assert behaviour.behaviour(catalog, [second.learner_id])[second.learner_id].tempo_band == ""


def _attempt(db: Session, learner_id: int, status: str) -> None:
    db.add(Attempt(uid=str(uuid4()), learner_id=learner_id, status=status, scope=str(uuid4())))
    db.flush()


def test_segments_from_quizzes_modules_and_own_changes(catalog: Session) -> None:
    new, quizzed, leaver, changer = (enroll(catalog) for _ in range(4))
    _attempt(catalog, quizzed.learner_id, "completed")
    _attempt(catalog, leaver.learner_id, "abandoned")
    catalog.add(Adjustment(enrollment_id=pk(changer), kind="drop", active=False))
    catalog.add(Adjustment(enrollment_id=pk(quizzed), kind="pace"))  # weekly time: not a path
    catalog.flush()
    ids = [e.learner_id for e in (new, quizzed, leaver, changer)]
    facts = behaviour.behaviour(catalog, ids)
    assert [facts[i].segments for i in ids] == [
        ("starter",),
        (),
        ("starter", "quiz-leaver"),
        ("starter", "customizer"),
    ]


def test_many_learners_are_read_without_an_in_list_and_give_the_same_facts(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [factories.learner(db, f"P{i}") for i in range(3)]
    _stat(db, pk(people[0]), 0.6, 9)
    ids = [pk(p) for p in people]
    few = behaviour.behaviour(db, ids)
    monkeypatch.setattr(behaviour, "IN_LIMIT", 1)
    assert behaviour.behaviour(db, ids[:2]) == {i: few[i] for i in ids[:2]}


def test_pace_chosen_once_the_learner_set_it_in_the_profile(db: Session) -> None:
    person = factories.learner(db)
    assert behaviour.pace_chosen(db, pk(person)) is False
    db.add(ProfileChange(learner_id=pk(person), setting="pace", payload={}, message=""))
    db.flush()
    assert behaviour.pace_chosen(db, pk(person)) is True


def _rule(db: Session, program: Program, then: str, **fields: object) -> SegmentRule:
    position = len(db.exec(select(SegmentRule).where(SegmentRule.program_id == program.id)).all())
    rule = SegmentRule(program_id=pk(program), position=position, action=then, **fields)  # type: ignore[arg-type]
    db.add(rule)
    db.flush()
    return rule


def test_a_plan_applies_behaviour_rules_from_the_learners_records(catalog: Session) -> None:
    enrollment = enroll(catalog, "team-lead-path")
    program = catalog.get(Program, enrollment.program_id)
    assert program is not None
    rule = _rule(
        catalog,
        program,
        "mandatory",
        name="Slow deciders practise commitments",
        conditions={"decision_speed": ["slow"]},
    )
    module = catalog.exec(select(Module).where(Module.slug == "fb-commitments")).one()
    catalog.add(SegmentRuleModule(rule_id=pk(rule), module_id=pk(module)))
    starters = {"behaviour": ["starter"]}
    _rule(
        catalog, program, "pace", name="Starters ease in", conditions=starters, minutes_per_week=45
    )
    before = trajectory.replan(catalog, enrollment)
    assert before.plan.pace_minutes_per_week == 45
    _stat(catalog, enrollment.learner_id, 1.5, 12)
    after = trajectory.replan(catalog, enrollment, utcnow().date() + timedelta(days=1))
    step = after.plan.step("fb-commitments")
    assert (step.reason_code, step.mandatory) == ("rule_mandatory", True)
    assert step.reason_text == "decision-speed rule: Slow deciders practise commitments"
