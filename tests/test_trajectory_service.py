"""Trajectories from the database: stored steps, test-out, adjustments, completion, events."""

from datetime import timedelta

import pytest
from sqlmodel import Session, col, func, select

from learnpath import planning
from learnpath.models import (
    Adjustment,
    Competency,
    CompetencyLevel,
    Enrollment,
    Module,
    ProgressEvent,
    TrajectoryStep,
)
from learnpath.models.base import pk
from learnpath.services.learning import quiz, study, trajectory
from learnpath.vocabulary import utcnow
from tests import factories
from tests.test_quiz_service import answer_current, enroll, start_placement


def module(db: Session, slug: str) -> Module:
    """A shipped module by slug."""
    return db.exec(select(Module).where(Module.slug == slug)).one()


def set_level(db: Session, enrollment: Enrollment, slug: str, theta: float, se: float) -> None:
    """Give the enrolled learner a measured level in a competency."""
    competency = db.exec(select(Competency).where(Competency.slug == slug)).one()
    db.merge(
        CompetencyLevel(
            learner_id=enrollment.learner_id,
            competency_id=pk(competency),
            theta=theta,
            se=se,
            level="",
        )
    )
    db.flush()


def statuses(t: trajectory.Trajectory) -> dict[str, str]:
    """Module slug → step status."""
    return {t.module(s).slug: s.status for s in t.steps}


def planned(t: trajectory.Trajectory) -> list[str]:
    """Planned module slugs in order."""
    return [t.module(s).slug for s in t.steps if s.status == "planned"]


def test_a_boxed_program_is_the_same_list_for_everyone_with_reasons(catalog: Session) -> None:
    t = trajectory.replan(catalog, enroll(catalog))
    assert planned(t) == [
        "dl-data-types",
        "dl-averages-and-spread",
        "dl-reading-charts",
        "dl-data-quality",
        "dl-correlation-causation",
        "dl-dashboards",
    ]
    assert {s.reason_text for s in t.steps} == {"in the program"}
    assert t.steps[0].planned_week == 1 and t.steps[0].planned_date is not None
    rows = catalog.exec(select(TrajectoryStep).order_by(col(TrajectoryStep.position))).all()
    assert [r.module_id for r in rows] == [s.module_id for s in t.steps]


def test_replanning_unchanged_inputs_writes_nothing(catalog: Session) -> None:
    enrollment = enroll(catalog)
    trajectory.replan(catalog, enrollment)
    catalog.commit()
    before = factories.snapshot(catalog)
    trajectory.replan(catalog, enrollment)
    catalog.commit()
    assert factories.snapshot(catalog) == before


def test_mastered_modules_are_waived_as_tested_out_once(catalog: Session) -> None:
    enrollment = enroll(catalog)
    set_level(catalog, enrollment, "data-literacy", theta=0.5, se=0.3)
    t = trajectory.replan(catalog, enrollment)
    waived = [t.module(s).slug for s in t.steps if s.status == "waived"]
    # θ − 1.645·SE = 0.01 is past the proficient bound (−0.5), not the advanced one (0.5).
    assert sorted(waived) == [
        "dl-averages-and-spread",
        "dl-data-quality",
        "dl-data-types",
        "dl-reading-charts",
    ]
    assert planned(t) == ["dl-correlation-causation", "dl-dashboards"]
    assert all(s.reason_text == "Tested Out" for s in t.steps if s.status == "waived")
    trajectory.replan(catalog, enrollment)
    waived_events = catalog.exec(select(func.count()).where(ProgressEvent.verb == "waived")).one()
    assert waived_events == len(waived)


def test_an_uncertain_estimate_does_not_test_out(catalog: Session) -> None:
    enrollment = enroll(catalog)
    # θ = 0 is proficient, but θ − 1.645·SE = −1.645 is not even surely developing.
    set_level(catalog, enrollment, "data-literacy", theta=0.0, se=1.0)
    t = trajectory.replan(catalog, enrollment)
    assert "waived" not in statuses(t).values()


def test_a_move_before_a_prerequisite_is_refused_and_changes_nothing(catalog: Session) -> None:
    enrollment = enroll(catalog)
    trajectory.replan(catalog, enrollment)
    catalog.commit()
    before = factories.snapshot(catalog)
    change = planning.Adjustment("move", module="dl-dashboards", before="dl-data-types")
    refusal = trajectory.adjust(catalog, enrollment, None, change)
    assert isinstance(refusal, planning.Refusal)
    assert "requires" in refusal.message or "prerequisite" in refusal.message
    catalog.rollback()
    assert factories.snapshot(catalog) == before


def test_an_allowed_move_is_logged_and_survives_new_levels(catalog: Session) -> None:
    enrollment = enroll(catalog)
    change = planning.Adjustment("move", module="dl-data-quality", before="dl-averages-and-spread")
    t = trajectory.adjust(catalog, enrollment, None, change)
    assert isinstance(t, trajectory.Trajectory)
    assert planned(t)[:3] == ["dl-data-types", "dl-data-quality", "dl-averages-and-spread"]
    row = catalog.exec(select(Adjustment)).one()
    assert row.active and row.message.startswith("Moved “")
    set_level(catalog, enrollment, "data-literacy", theta=-1.0, se=0.4)
    again = trajectory.replan(catalog, enrollment)
    assert planned(again).index("dl-data-quality") < planned(again).index("dl-averages-and-spread")
    assert again.plan.refused == ()


def test_the_same_change_twice_is_recorded_once(catalog: Session) -> None:
    enrollment = enroll(catalog)
    change = planning.Adjustment("move", module="dl-data-quality", before="dl-averages-and-spread")
    trajectory.adjust(catalog, enrollment, None, change)
    trajectory.adjust(catalog, enrollment, None, change)
    assert catalog.exec(select(func.count()).select_from(Adjustment)).one() == 1


def test_a_waived_module_can_be_taken_anyway_and_the_change_undone(catalog: Session) -> None:
    enrollment = enroll(catalog)
    set_level(catalog, enrollment, "data-literacy", theta=1.2, se=0.3)
    change = planning.Adjustment("take_waived", module="dl-data-types")
    t = trajectory.adjust(catalog, enrollment, None, change)
    assert isinstance(t, trajectory.Trajectory)
    step = t.step_of(module(catalog, "dl-data-types"))
    assert step is not None and (step.status, step.reason_code) == ("planned", "taken_anyway")
    row = catalog.exec(select(Adjustment)).one()
    undone = trajectory.undo(catalog, enrollment, pk(row))
    assert statuses(undone)["dl-data-types"] == "waived"
    assert row.active is False and len(trajectory.log(catalog, enrollment)) == 1


def test_dropping_a_mandatory_module_is_refused(catalog: Session) -> None:
    enrollment = enroll(catalog, "team-lead-path")
    refusal = trajectory.adjust(
        catalog, enrollment, None, planning.Adjustment("drop", module="pm-scope")
    )
    assert isinstance(refusal, planning.Refusal) and "mandatory" in refusal.message


def test_a_locked_module_cannot_be_completed(catalog: Session) -> None:
    enrollment = enroll(catalog)
    t = trajectory.replan(catalog, enrollment)
    charts = module(catalog, "dl-reading-charts")
    step = t.step_of(charts)
    assert step is not None and [b.slug for b in t.blockers(step)] == ["dl-averages-and-spread"]
    with pytest.raises(trajectory.TrajectoryError, match="locked until you complete"):
        study.complete(catalog, t, charts, 30, utcnow())


def test_completing_keeps_progress_through_replans_and_finishes_the_program(
    catalog: Session,
) -> None:
    enrollment = enroll(catalog)
    now = utcnow()
    t = trajectory.replan(catalog, enrollment)
    for slug in planned(t):
        t = study.complete(catalog, t, module(catalog, slug), 25, now)
    done = catalog.exec(select(TrajectoryStep).where(TrajectoryStep.status == "completed")).all()
    assert len(done) == 6 and {s.time_spent_s for s in done} == {1500}
    catalog.refresh(enrollment)
    assert enrollment.status == "completed" and enrollment.completed_at is not None
    verbs = catalog.exec(select(ProgressEvent.verb).where(col(ProgressEvent.module_id).is_(None)))
    # No levels measured: the program is completed, neither passed nor failed.
    assert sorted(verbs.all()) == ["completed"]


def test_completed_time_shapes_the_tempo_of_the_rest(catalog: Session) -> None:
    enrollment = enroll(catalog)
    t = trajectory.replan(catalog, enrollment)
    first = module(catalog, "dl-data-types")
    t = study.complete(catalog, t, first, first.minutes * 2, utcnow())
    assert t.plan.tempo.source == "modules" and t.plan.tempo.factor == 2.0
    second = module(catalog, "dl-averages-and-spread")
    rest = t.step_of(second)
    assert rest is not None and rest.planned_minutes == 2 * second.minutes


def test_measured_minutes_are_capped_at_three_times_the_estimate(catalog: Session) -> None:
    enrollment = enroll(catalog)
    t = trajectory.replan(catalog, enrollment)
    first = module(catalog, "dl-data-types")
    step = t.step_of(first)
    assert step is not None
    trajectory.mark_started(catalog, step, utcnow() - timedelta(minutes=12))
    assert study.measured_minutes(t, first, utcnow()) == 12
    step.started_at = utcnow() - timedelta(days=1)
    assert study.measured_minutes(t, first, utcnow()) == 3 * first.minutes


def test_a_placement_answered_well_waives_modules(catalog: Session) -> None:
    enrollment = enroll(catalog)
    attempt = start_placement(catalog, enrollment)
    while attempt.status == "active":
        answer_current(catalog, attempt, right=True)
    steps = catalog.exec(
        select(TrajectoryStep).where(TrajectoryStep.enrollment_id == enrollment.id)
    ).all()
    assert any(s.status == "waived" and s.reason_text == "Tested Out" for s in steps)


def test_a_checkpoint_after_study_updates_the_level_and_keeps_adjustments(
    catalog: Session,
) -> None:
    enrollment = enroll(catalog)
    change = planning.Adjustment("move", module="dl-data-quality", before="dl-averages-and-spread")
    t = trajectory.adjust(catalog, enrollment, None, change)
    assert isinstance(t, trajectory.Trajectory)
    t = study.complete(catalog, t, module(catalog, "dl-data-types"), 20, utcnow())
    [due] = trajectory.checkpoints_due(catalog, t)
    assert due.slug == "data-literacy"
    attempt = quiz.start_attempt(catalog, enrollment.learner_id, "check", [due])
    while attempt.status == "active":
        answer_current(catalog, attempt, right=True)
    after = trajectory.replan(catalog, enrollment)
    assert trajectory.checkpoints_due(catalog, after) == []
    assert "waived" in statuses(after).values()
    kept = planned(after)
    if "dl-data-quality" in kept and "dl-averages-and-spread" in kept:
        assert kept.index("dl-data-quality") < kept.index("dl-averages-and-spread")
    assert catalog.exec(select(Adjustment)).one().active
