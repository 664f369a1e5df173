"""The normalized enrollment record, built by the service from steps, quizzes and levels."""

from datetime import timedelta

from sqlmodel import Session, select

from learnpath.models import (
    Attempt,
    Competency,
    CompetencyLevel,
    Module,
    ProgramModule,
    TrajectoryStep,
)
from learnpath.models.base import pk
from learnpath.services.integration import records
from learnpath.vocabulary import utcnow
from tests import factories
from tests.api.conftest import enroll, program


def _record(db: Session, enrollment_id: int):  # type: ignore[no-untyped-def]
    from learnpath.models import Enrollment
    from learnpath.services.integration.enrollments import record

    return record(db, db.get(Enrollment, enrollment_id))  # type: ignore[arg-type]


def _modules(db: Session, program_id: int) -> list[Module]:
    return list(
        db.exec(
            select(Module)
            .join(ProgramModule, ProgramModule.module_id == Module.id)  # type: ignore[arg-type]
            .where(ProgramModule.program_id == program_id)
            .order_by(ProgramModule.position)  # type: ignore[arg-type]
        ).all()
    )


def test_before_a_trajectory_every_program_module_remains(catalog: Session) -> None:
    chosen = program(catalog)
    enrollment = enroll(catalog, factories.learner(catalog, "E1"), chosen)
    found = _record(catalog, pk(enrollment))
    total = len(_modules(catalog, pk(chosen)))
    assert found.modules.model_dump() == {
        "total": total,
        "completed": 0,
        "waived": 0,
        "remaining": total,
    }
    assert found.progress_pct == 0.0 and found.placement is None and found.status == "assigned"


def test_steps_give_counts_progress_time_and_waived_reasons(catalog: Session) -> None:
    chosen = program(catalog)
    enrollment = enroll(catalog, factories.learner(catalog, "E1"), chosen)
    a, b, c, d = _modules(catalog, pk(chosen))[:4]
    for position, (module, status, seconds) in enumerate(
        [(a, "completed", 1800), (b, "waived", 0), (c, "planned", 0), (d, "excluded", 0)]
    ):
        catalog.add(
            TrajectoryStep(
                enrollment_id=pk(enrollment),
                module_id=pk(module),
                position=position,
                status=status,
                time_spent_s=seconds,
                reason_text="Tested Out" if status == "waived" else "",
            )
        )
    catalog.commit()
    found = _record(catalog, pk(enrollment))
    assert found.modules.model_dump() == {"total": 3, "completed": 1, "waived": 1, "remaining": 1}
    assert found.progress_pct == 66.7 and found.time_spent_s == 1800
    assert [(w.id, w.reason) for w in found.waived_modules] == [(f"mod_{b.id}", "Tested Out")]


def test_the_latest_finished_placement_and_current_levels_are_in_the_record(
    catalog: Session,
) -> None:
    learner = factories.learner(catalog, "E1", role="analyst")
    chosen = program(catalog, "team-lead-path")
    enrollment = enroll(catalog, learner, chosen)
    data = catalog.exec(select(Competency).where(Competency.slug == "data-literacy")).one()
    now = utcnow()
    for minutes, theta in ((30, -1.0), (10, 0.7)):
        catalog.add(
            Attempt(
                uid=f"u{minutes}",
                learner_id=pk(learner),
                enrollment_id=pk(enrollment),
                kind="placement",
                status="completed",
                config={"ids": {"data-literacy": pk(data)}},
                results={
                    "competencies": {
                        "data-literacy": {
                            "theta": theta,
                            "se": 0.3,
                            "level": "advanced",
                            "n_items": 9,
                        }
                    },
                    "seconds": 120.4,
                },
                finished_at=now - timedelta(minutes=minutes),
            )
        )
    catalog.add(
        CompetencyLevel(
            learner_id=pk(learner), competency_id=pk(data), theta=0.7, se=0.3, level="advanced"
        )
    )
    catalog.commit()
    found = _record(catalog, pk(enrollment))
    assert found.placement is not None
    assert [(c.id, c.theta) for c in found.placement.competencies] == [(f"cmp_{data.id}", 0.7)]
    assert found.time_spent_s == 240
    by_id = {c.id: c for c in found.competencies}
    literacy = by_id[f"cmp_{data.id}"]
    # team-lead-path targets data literacy at advanced for analysts (personal program, by role)
    assert (literacy.level, literacy.target_level, literacy.proficient) == (
        "advanced",
        "advanced",
        True,
    )
    others = [c for c in found.competencies if c.id != literacy.id]
    assert all(c.level is None and not c.proficient for c in others)


def test_an_unfinished_enrollment_past_its_due_date_is_overdue(catalog: Session) -> None:
    enrollment = enroll(
        catalog,
        factories.learner(catalog, "E1"),
        program(catalog),
        due_at=utcnow() - timedelta(days=1),
    )
    assert _record(catalog, pk(enrollment)).overdue is True


def test_a_target_falls_back_to_the_default_role_then_proficient() -> None:
    targets = {(1, ""): "developing"}
    assert records.target_level(targets, 1, "analyst") == "developing"
    assert records.target_level(targets, 2, "analyst") == "proficient"
