"""Enrolling, withdrawing and enrolling again: one rule for the HR API, the studio and learners."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from learnpath.models import Enrollment, Learner, Module, TrajectoryStep
from learnpath.services.learning import enrolment, study, trajectory
from tests import factories
from tests.api.conftest import program

DUE = datetime(2027, 3, 31, 23, 59, 59, tzinfo=UTC)


def steps_of(db: Session, enrollment: Enrollment) -> list[tuple[object, ...]]:
    rows = db.exec(select(TrajectoryStep).where(TrajectoryStep.enrollment_id == enrollment.id))
    return sorted((s.module_id, s.status, s.time_spent_s, s.completed_at) for s in rows)


def test_enrolling_creates_an_enrollment_with_its_plan_and_twice_changes_nothing(
    catalog: Session,
) -> None:
    learner = factories.learner(catalog)
    enrollment, change = enrolment.enrol(catalog, learner, program(catalog), "admin", DUE)
    assert change == "created" and enrollment.status == "assigned" and enrollment.source == "admin"
    assert enrollment.due_at is not None and steps_of(catalog, enrollment)
    again, change = enrolment.enrol(catalog, learner, program(catalog), "self")
    assert change == "unchanged" and again.id == enrollment.id and again.source == "admin"
    assert len(catalog.exec(select(Enrollment)).all()) == 1


def test_a_draft_or_a_deactivated_learner_is_refused(catalog: Session) -> None:
    learner = factories.learner(catalog)
    draft = factories.boxed_program(catalog, ["dl-data-types"], publish=False)
    with pytest.raises(enrolment.EnrolmentError) as refused:
        enrolment.enrol(catalog, learner, draft, "admin")
    assert refused.value.side == "program"
    learner.active = False
    with pytest.raises(enrolment.EnrolmentError) as refused:
        enrolment.enrol(catalog, learner, program(catalog), "admin")
    assert refused.value.side == "learner" and refused.value.status == 409
    assert catalog.exec(select(Enrollment)).all() == []


def started(catalog: Session) -> tuple[Enrollment, list[tuple[object, ...]]]:
    """An enrollment with one module completed."""
    learner = factories.learner(catalog)
    enrollment, _ = enrolment.enrol(catalog, learner, program(catalog), "admin")
    plan = trajectory.replan(catalog, enrollment)
    first = next(s for s in plan.steps if s.status == "planned" and not plan.blockers(s))
    module = catalog.get(Module, first.module_id)
    assert module is not None
    study.complete(catalog, plan, module, 20, datetime.now(UTC))
    catalog.refresh(enrollment)
    assert enrollment.status == "in_progress"
    return enrollment, steps_of(catalog, enrollment)


def test_withdrawing_keeps_progress_and_enrolling_again_continues(catalog: Session) -> None:
    enrollment, progress = started(catalog)
    assert enrolment.withdraw(catalog, enrollment)
    assert enrollment.status == "withdrawn" and steps_of(catalog, enrollment) == progress
    assert not enrolment.withdraw(catalog, enrollment)  # twice: nothing more
    learner = catalog.get(Learner, enrollment.learner_id)
    assert learner is not None
    again, change = enrolment.enrol(catalog, learner, program(catalog), "admin", DUE)
    assert change == "reopened" and again.id == enrollment.id and again.status == "in_progress"
    assert again.due_at is not None
    completed = [row for row in steps_of(catalog, again) if row[1] == "completed"]
    assert completed == [row for row in progress if row[1] == "completed"]


def test_withdrawing_a_completed_enrollment_is_refused(catalog: Session) -> None:
    learner = factories.learner(catalog)
    enrollment, _ = enrolment.enrol(catalog, learner, program(catalog), "admin")
    enrollment.status = "completed"
    assert not enrolment.withdraw(catalog, enrollment)
    assert enrollment.status == "completed"


def test_due_dates_change_only_where_they_differ(catalog: Session) -> None:
    learners = [factories.learner(catalog, external_id=f"D{i}") for i in range(3)]
    rows = [enrolment.enrol(catalog, x, program(catalog), "admin")[0] for x in learners]
    assert enrolment.set_due(catalog, rows[:1], DUE) == 1
    assert enrolment.set_due(catalog, rows, DUE) == 2
    assert {r.due_at for r in rows} == {DUE}
    assert enrolment.set_due(catalog, rows, None) == 3


def test_enrolling_many_inserts_new_ones_reopens_withdrawn_ones_and_skips_the_rest(
    catalog: Session,
) -> None:
    learners = [factories.learner(catalog, external_id=f"M{i}") for i in range(4)]
    chosen = program(catalog)
    open_one, _ = enrolment.enrol(catalog, learners[0], chosen, "api")
    withdrawn, _ = enrolment.enrol(catalog, learners[1], chosen, "api")
    enrolment.withdraw(catalog, withdrawn)
    assert enrolment.enrol_many(catalog, learners, chosen, "admin", DUE) == 3
    rows = {e.learner_id: e for e in catalog.exec(select(Enrollment))}
    assert len(rows) == 4 and rows[open_one.learner_id].due_at is None
    assert rows[withdrawn.learner_id].status == "assigned" and withdrawn.source == "api"
    assert {rows[x.id].source for x in learners[2:]} == {"admin"}  # type: ignore[index]
    assert enrolment.enrol_many(catalog, learners, chosen, "admin", DUE) == 0


def test_enrolling_many_falls_back_one_by_one_when_the_insert_collides(catalog: Session) -> None:
    # The same learner twice stands for a row another request inserted meanwhile.
    learner = factories.learner(catalog)
    assert enrolment.enrol_many(catalog, [learner, learner], program(catalog), "admin") == 1
    assert len(catalog.exec(select(Enrollment)).all()) == 1
