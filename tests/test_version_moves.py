"""Moving learners to a newer program version: the per-learner preview, then the move."""

import pytest
from sqlmodel import Session, col, select

from learnpath.models import Enrollment, Module, Program, ProgramModule, TrajectoryStep
from learnpath.models.base import pk
from learnpath.services.learning import study, trajectory, versions
from learnpath.vocabulary import utcnow
from tests import factories
from tests.test_trajectory_service import module, set_level

SLUG = "project-management-foundations"


def version(db: Session, number: int) -> Program:
    return db.exec(select(Program).where(Program.slug == SLUG, Program.version == number)).one()


def enroll_v1(db: Session, external_id: str = "E1") -> Enrollment:
    learner = factories.learner(db, external_id)
    enrollment = Enrollment(learner_id=pk(learner), program_id=pk(version(db, 1)))
    db.add(enrollment)
    db.flush()
    trajectory.replan(db, enrollment)
    return enrollment


def without(db: Session, slug: str) -> Program:
    """A published version 3: version 2 without one module."""
    v2 = version(db, 2)
    v3 = Program(slug=SLUG, version=3, title=v2.title, depth=1, status="published")
    db.add(v3)
    db.flush()
    rows = db.exec(
        select(ProgramModule)
        .where(ProgramModule.program_id == v2.id)
        .order_by(col(ProgramModule.position))
    ).all()
    gone = pk(module(db, slug))
    for i, row in enumerate(r for r in rows if r.module_id != gone):
        db.add(
            ProgramModule(program_id=pk(v3), module_id=row.module_id, position=i, mandatory=True)
        )
    db.flush()
    return v3


def slugs(modules: tuple[Module, ...]) -> list[str]:
    return [m.slug for m in modules]


def steps(db: Session, enrollment: Enrollment) -> dict[str, TrajectoryStep]:
    rows = db.exec(select(TrajectoryStep).where(TrajectoryStep.enrollment_id == enrollment.id))
    return {db.get(Module, s.module_id).slug: s for s in rows.all()}  # type: ignore[union-attr]


def test_the_preview_says_what_changes_and_writes_nothing(catalog: Session) -> None:
    enrollment = enroll_v1(catalog)
    t = trajectory.replan(catalog, enrollment)
    study.complete(catalog, t, module(catalog, "pm-project-basics"), 20, utcnow())
    catalog.commit()
    before = factories.snapshot(catalog)
    preview = versions.preview_move(catalog, version(catalog, 2))
    assert factories.snapshot(catalog) == before
    (change,) = preview.changes
    assert change.enrollment.id == enrollment.id and change.from_version == 1
    assert slugs(change.added) == ["pm-agile"]
    assert slugs(change.completed) == ["pm-project-basics"]
    assert change.removed == () and change.kept_off_path == () and change.stays == ""
    assert change.minutes_after == change.minutes_before + module(catalog, "pm-agile").minutes


def test_the_move_keeps_progress_and_plans_the_new_modules(catalog: Session) -> None:
    enrollment = enroll_v1(catalog)
    t = trajectory.replan(catalog, enrollment)
    basics = module(catalog, "pm-project-basics")
    study.complete(catalog, t, basics, 20, utcnow())
    v2 = version(catalog, 2)
    moved = versions.move_learners(catalog, v2, versions.preview_move(catalog, v2).fingerprint)
    catalog.commit()
    assert [c.enrollment.id for c in moved] == [enrollment.id]
    catalog.refresh(enrollment)
    assert enrollment.program_id == v2.id
    after = steps(catalog, enrollment)
    assert after["pm-project-basics"].status == "completed"
    assert after["pm-project-basics"].time_spent_s == 20 * 60
    assert after["pm-agile"].status == "planned"


def test_a_module_leaving_keeps_its_progress_off_the_path(catalog: Session) -> None:
    enrollment = enroll_v1(catalog)
    started = steps(catalog, enrollment)["pm-risk"]
    started.started_at = utcnow()
    catalog.add(started)
    plain = enroll_v1(catalog, "E2")
    v3 = without(catalog, "pm-risk")
    preview = versions.preview_move(catalog, v3)
    by_id = {c.enrollment.id: c for c in preview.changes}
    assert slugs(by_id[enrollment.id].kept_off_path) == ["pm-risk"]
    assert slugs(by_id[plain.id].removed) == ["pm-risk"]
    versions.move_learners(catalog, v3, preview.fingerprint)
    kept = steps(catalog, enrollment)["pm-risk"]
    assert kept.status == "excluded" and kept.started_at is not None
    assert "pm-risk" not in steps(catalog, plain)


def test_tested_out_stays_tested_out(catalog: Session) -> None:
    enrollment = enroll_v1(catalog)
    set_level(catalog, enrollment, "project-management", theta=0.5, se=0.3)
    trajectory.replan(catalog, enrollment)
    waived = {s for s, row in steps(catalog, enrollment).items() if row.status == "waived"}
    assert waived
    v2 = version(catalog, 2)
    change = versions.preview_move(catalog, v2).changes[0]
    assert waived <= set(slugs(change.tested_out))
    versions.move_learners(catalog, v2, versions.preview_move(catalog, v2).fingerprint)
    after = steps(catalog, enrollment)
    assert {s for s in waived if after[s].status == "waived"} == waived
    assert {after[s].reason_text for s in waived} == {"Tested Out"}


def test_completed_enrollments_and_learners_already_on_the_target_stay(catalog: Session) -> None:
    done = enroll_v1(catalog)
    done.status = "completed"
    catalog.add(done)
    twice = enroll_v1(catalog, "E2")
    v2 = version(catalog, 2)
    catalog.add(Enrollment(learner_id=twice.learner_id, program_id=pk(v2)))
    catalog.flush()
    preview = versions.preview_move(catalog, v2)
    assert [c.enrollment.id for c in preview.changes] == [twice.id]
    assert preview.changes[0].stays == "already enrolled in version 2"
    assert versions.move_learners(catalog, v2, preview.fingerprint) == []
    catalog.refresh(twice)
    assert twice.program_id == pk(version(catalog, 1))


def test_a_stale_preview_is_refused_and_nothing_moves(catalog: Session) -> None:
    v2 = version(catalog, 2)
    old = versions.preview_move(catalog, v2).fingerprint
    enrollment = enroll_v1(catalog)
    catalog.commit()
    before = factories.snapshot(catalog)
    with pytest.raises(versions.MoveError, match="review it again"):
        versions.move_learners(catalog, v2, old)
    assert factories.snapshot(catalog) == before
    assert enrollment.program_id == pk(version(catalog, 1))


def test_only_a_published_version_takes_learners(catalog: Session) -> None:
    v2 = version(catalog, 2)
    v2.status = "draft"
    with pytest.raises(versions.MoveError, match="publish it first"):
        versions.preview_move(catalog, v2)


def test_the_program_page_counts_the_learners_waiting_on_older_versions(catalog: Session) -> None:
    enroll_v1(catalog)
    enroll_v1(catalog, "E2").status = "completed"
    catalog.flush()
    assert versions.waiting(catalog, version(catalog, 2)) == 1
    assert versions.waiting(catalog, version(catalog, 1)) == 0
