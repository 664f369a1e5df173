"""Progress through re-planning: locks on other formats, kept completions, late dates, finishing."""

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from learnpath import planning
from learnpath.models import (
    Adjustment,
    Competency,
    CompetencyLevel,
    Enrollment,
    Learner,
    Module,
    ProgressEvent,
    TrajectoryStep,
)
from learnpath.models.base import pk
from learnpath.services.learning import study, trajectory
from learnpath.vocabulary import utcnow
from tests.test_quiz_service import enroll


def module(db: Session, slug: str) -> Module:
    """A shipped module by slug."""
    return db.exec(select(Module).where(Module.slug == slug)).one()


def measure(
    db: Session, enrollment: Enrollment, slug: str, theta: float, level: str, se: float = 0.3
) -> None:
    """Store a measured level, as a finished quiz does."""
    competency = db.exec(select(Competency).where(Competency.slug == slug)).one()
    db.merge(
        CompetencyLevel(
            learner_id=enrollment.learner_id,
            competency_id=pk(competency),
            theta=theta,
            se=se,
            level=level,
            updated_at=utcnow(),
        )
    )
    db.flush()


def status_of(t: trajectory.Trajectory, slug: str) -> str:
    """The stored status of a module's step."""
    return next(s.status for s in t.steps if t.module(s).slug == slug)


def program_verbs(db: Session, enrollment: Enrollment) -> list[str]:
    """The program-level learning events of an enrollment, sorted."""
    rows = db.exec(
        select(ProgressEvent.verb).where(
            ProgressEvent.enrollment_id == enrollment.id, col(ProgressEvent.module_id).is_(None)
        )
    )
    return sorted(rows.all())


def complete_all(db: Session, t: trajectory.Trajectory, but: int = 0) -> trajectory.Trajectory:
    """Complete the planned steps in order, leaving the last `but` of them."""
    slugs = [t.module(s).slug for s in t.steps if s.status == "planned"]
    for slug in slugs[: len(slugs) - but]:
        t = study.complete(db, t, module(db, slug), 20, utcnow())
    return t


def test_a_prerequisite_in_another_format_locks_its_dependents_on_the_northwind_program(
    catalog: Session,
) -> None:
    enrollment = enroll(catalog, "data-literacy-for-northwind")
    t = trajectory.replan(catalog, enrollment)
    for slug in ("dl-data-types", "dl-data-quality"):
        t = study.complete(catalog, t, module(catalog, slug), 20, utcnow())
    for slug in ("dl-dashboards", "pm-tracking"):
        step = t.step_of(module(catalog, slug))
        assert step is not None and step.status == "planned"
        assert [b.slug for b in t.blockers(step)] == ["dl-reading-charts-video"]
        with pytest.raises(trajectory.TrajectoryError, match="locked until you complete"):
            study.complete(catalog, t, module(catalog, slug), 30, utcnow())
    video = t.step_of(module(catalog, "dl-reading-charts-video"))
    assert video is not None
    assert [b.slug for b in t.blockers(video)] == ["dl-averages-and-spread"]
    assert status_of(t, "dl-dashboards") == status_of(t, "pm-tracking") == "planned"
    for slug in ("dl-averages-and-spread", "dl-reading-charts-video"):
        t = study.complete(catalog, t, module(catalog, slug), 20, utcnow())
    dashboards = t.step_of(module(catalog, "dl-dashboards"))
    assert dashboards is not None and t.blockers(dashboards) == []


def finance_learner_with_the_fraud_case_done(db: Session) -> tuple[Enrollment, Learner]:
    """A Finance learner on the team-lead path who completed the invoice-fraud case."""
    enrollment = enroll(db, "team-lead-path")
    learner = db.get(Learner, enrollment.learner_id)
    assert learner is not None
    learner.department = "Finance"
    db.add(learner)
    t = trajectory.replan(db, enrollment)
    for slug in ("sec-phishing", "sec-fin-invoice-fraud"):
        t = study.complete(db, t, module(db, slug), 40, utcnow())
    return enrollment, learner


def test_completed_progress_is_kept_when_a_rule_no_longer_adds_the_module(
    catalog: Session,
) -> None:
    enrollment, learner = finance_learner_with_the_fraud_case_done(catalog)
    fraud = module(catalog, "sec-fin-invoice-fraud")
    row = catalog.exec(select(TrajectoryStep).where(TrajectoryStep.module_id == fraud.id)).one()
    done_at = row.completed_at
    learner.department = "Sales"
    catalog.add(learner)
    moved = trajectory.replan(catalog, enrollment)
    step = moved.step_of(fraud)
    assert step is not None and step.id == row.id
    assert (step.status, step.time_spent_s, step.completed_at) == ("completed", 2400, done_at)
    assert step.reason_text.startswith("completed earlier, on ")
    learner.department = "Finance"
    catalog.add(learner)
    back = trajectory.replan(catalog, enrollment)
    step = back.step_of(fraud)
    assert step is not None and (step.id, step.status) == (row.id, "completed")
    assert step.reason_text.startswith("completed on ")
    completions = catalog.exec(
        select(ProgressEvent).where(
            ProgressEvent.module_id == fraud.id, ProgressEvent.verb == "completed"
        )
    ).all()
    assert len(completions) == 1


def test_a_started_module_that_leaves_the_pool_keeps_its_start(catalog: Session) -> None:
    enrollment = enroll(catalog, "team-lead-path")
    learner = catalog.get(Learner, enrollment.learner_id)
    assert learner is not None
    learner.department = "Finance"
    catalog.add(learner)
    t = trajectory.replan(catalog, enrollment)
    fraud = module(catalog, "sec-fin-invoice-fraud")
    step = t.step_of(fraud)
    assert step is not None
    trajectory.mark_started(catalog, step, utcnow() - timedelta(minutes=10))
    learner.department = "Sales"
    catalog.add(learner)
    left = trajectory.replan(catalog, enrollment).step_of(fraud)
    assert left is not None and (left.id, left.status) == (step.id, "excluded")
    assert left.started_at is not None and left.reason_code == "not_in_pool"
    learner.department = "Finance"
    catalog.add(learner)
    back = trajectory.replan(catalog, enrollment).step_of(fraud)
    assert back is not None and back.status == "planned" and back.started_at is not None


def test_a_due_date_that_has_passed_is_kept_and_the_plan_says_it_is_late(
    catalog: Session,
) -> None:
    enrollment = enroll(catalog)
    due = utcnow().date() + timedelta(days=14)
    t = trajectory.adjust(catalog, enrollment, None, planning.Adjustment("due_date", due_date=due))
    assert isinstance(t, trajectory.Trajectory) and t.plan.due == due
    late = trajectory.replan(catalog, enrollment, today=due + timedelta(days=3))
    assert late.plan.due == due and late.plan.refused == ()
    assert late.plan.summary.startswith(f"cannot meet the due date {due.isoformat()}")
    assert "would finish on" in late.plan.summary
    assert catalog.exec(select(Adjustment)).one().active


def test_waiving_the_last_planned_module_finishes_and_passes_the_program(
    catalog: Session,
) -> None:
    enrollment = enroll(catalog)
    t = complete_all(catalog, trajectory.replan(catalog, enrollment), but=1)
    assert [t.module(s).slug for s in t.steps if s.status == "planned"] == ["dl-dashboards"]
    assert enrollment.status == "in_progress"
    measure(catalog, enrollment, "data-literacy", theta=1.5, level="advanced")
    trajectory.replan_learner(catalog, enrollment.learner_id)  # what a finished quiz does
    catalog.refresh(enrollment)
    assert enrollment.status == "completed" and enrollment.completed_at is not None
    assert program_verbs(catalog, enrollment) == ["completed", "passed"]


def test_dropping_the_last_planned_module_finishes_the_program(catalog: Session) -> None:
    enrollment = enroll(catalog, "team-lead-path")
    for slug in ("giving-feedback", "project-management", "information-security"):
        measure(catalog, enrollment, slug, theta=2.5, level="expert")
    measure(catalog, enrollment, "data-literacy", theta=-1.2, level="developing", se=0.5)
    t = trajectory.replan(catalog, enrollment)
    assert [t.module(s).slug for s in t.steps if s.status == "planned"] == [
        "dl-averages-and-spread"
    ]
    drop = planning.Adjustment("drop", module="dl-averages-and-spread")
    t = trajectory.adjust(catalog, enrollment, None, drop)
    assert isinstance(t, trajectory.Trajectory) and t.plan.planned == []
    catalog.refresh(enrollment)
    assert enrollment.status == "completed"
    assert program_verbs(catalog, enrollment) == ["completed", "passed"]


def test_a_program_finished_below_target_fails_then_passes_once_after_a_better_quiz(
    catalog: Session,
) -> None:
    enrollment = enroll(catalog)
    measure(catalog, enrollment, "data-literacy", theta=-1.0, level="developing")
    complete_all(catalog, trajectory.replan(catalog, enrollment))
    catalog.refresh(enrollment)
    assert enrollment.status == "completed"
    assert program_verbs(catalog, enrollment) == ["completed", "failed"]
    measure(catalog, enrollment, "data-literacy", theta=0.2, level="proficient")
    trajectory.replan_learner(catalog, enrollment.learner_id)
    trajectory.replan_learner(catalog, enrollment.learner_id)
    assert program_verbs(catalog, enrollment) == ["completed", "failed", "passed"]


def test_a_program_finished_with_targets_unmeasured_is_neither_passed_nor_failed(
    catalog: Session,
) -> None:
    enrollment = enroll(catalog)
    complete_all(catalog, trajectory.replan(catalog, enrollment))
    assert program_verbs(catalog, enrollment) == ["completed"]


def test_saving_a_profile_pace_withdraws_the_plans_pace_and_the_newest_wins(
    catalog: Session,
) -> None:
    enrollment = enroll(catalog)
    learner = catalog.get(Learner, enrollment.learner_id)
    assert learner is not None
    pace = planning.Adjustment("pace", pace_minutes_per_week=240)
    t = trajectory.adjust(catalog, enrollment, None, pace)
    assert isinstance(t, trajectory.Trajectory) and t.plan.pace_minutes_per_week == 240
    changes = trajectory.change_profile(catalog, learner, None, pace=60, now=utcnow())
    assert [c.message for c in changes] == [
        "Set the weekly time in your profile to 60 minutes (was 120); it replaces the weekly "
        "time set on a plan"
    ]
    row = catalog.exec(select(Adjustment)).one()
    assert row.active is False and row.withdrawn_at is not None
    assert trajectory.replan(catalog, enrollment).plan.pace_minutes_per_week == 60
    later = planning.Adjustment("pace", pace_minutes_per_week=300)
    t = trajectory.adjust(catalog, enrollment, None, later)
    assert isinstance(t, trajectory.Trajectory) and t.plan.pace_minutes_per_week == 300
    trajectory.change_profile(catalog, learner, None, interests=["charts"], now=utcnow())
    assert trajectory.replan(catalog, enrollment).plan.pace_minutes_per_week == 300
    assert trajectory.change_profile(catalog, learner, None, pace=60, now=utcnow()) == []


def test_profile_changes_and_withdrawals_are_in_the_plans_log(catalog: Session) -> None:
    enrollment = enroll(catalog)
    learner = catalog.get(Learner, enrollment.learner_id)
    assert learner is not None
    move = planning.Adjustment("move", module="dl-data-quality", before="dl-averages-and-spread")
    trajectory.adjust(catalog, enrollment, None, move)
    row = catalog.exec(select(Adjustment)).one()
    trajectory.undo(catalog, enrollment, pk(row))
    assert row.active is False and row.withdrawn_at is not None
    trajectory.change_profile(
        catalog, learner, None, interests=["charts"], formats=["video"], now=utcnow()
    )
    entries = trajectory.log(catalog, enrollment)
    assert [e.message for e in entries][:2] == [
        "Set your preferred formats to video (were none)",
        "Set the topics that interest you to charts (were none)",
    ]
    moved = entries[-1]
    assert moved.adjustment_id == row.id and moved.withdrawn_at == row.withdrawn_at
    assert not any(e.undoable for e in entries)
