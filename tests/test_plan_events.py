"""Plans are stored at the events that change what they read, never by a page.

Assignment, an HR profile change, a catalog import, a module start, a quiz closed for being
idle: each stores what pages showed computed on read. Pages show an idle quiz closed before it
is, and the same once it is.
"""

import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, select

from learnpath.models import Enrollment, Item, Module, Program, TrajectoryStep
from learnpath.models.base import pk
from learnpath.services.integration import enrollments, learners
from learnpath.services.integration import schemas as out
from learnpath.services.integration.ids import public_id
from learnpath.services.learning import idle, quiz, trajectory
from learnpath.vocabulary import aware, utcnow
from tests import factories
from tests.conftest import CONTENT
from tests.test_learner_get_pages import CSRF
from tests.test_quiz_service import key_of, start_placement, wrong_of


def steps_of(db: Session, enrollment_id: int) -> dict[str, TrajectoryStep]:
    """The stored steps of an enrollment by module slug, fresh from the database."""
    db.expire_all()
    rows = db.exec(
        select(TrajectoryStep, Module.slug)
        .join(Module, Module.id == TrajectoryStep.module_id)  # type: ignore[arg-type]
        .where(TrajectoryStep.enrollment_id == enrollment_id)
    ).all()
    return {slug: step for step, slug in rows}


def program(db: Session, slug: str) -> Program:
    return db.exec(select(Program).where(Program.slug == slug)).one()


def test_an_assignment_stores_the_plan_the_learner_will_see(catalog: Session) -> None:
    factories.learner(catalog, "E1", role="team-lead")
    chosen = program(catalog, "team-lead-path")
    data = out.EnrollmentIn(learner_external_id="E1", program_id=public_id("program", pk(chosen)))
    enrollment, created = enrollments.assign(catalog, data)
    catalog.commit()
    assert created
    stored = steps_of(catalog, pk(enrollment))
    shown = trajectory.view(catalog, enrollment)
    assert {shown.module(s).slug: s.reason_text for s in shown.steps} == {
        slug: s.reason_text for slug, s in stored.items()
    }
    assert stored["fb-difficult-conversations"].reason_code == "rule_mandatory"


def test_an_hr_profile_change_replans_the_stored_trajectory(catalog: Session) -> None:
    learner = factories.learner(catalog, "E1", role="analyst")
    enrollment = Enrollment(
        learner_id=pk(learner), program_id=pk(program(catalog, "team-lead-path"))
    )
    catalog.add(enrollment)
    catalog.flush()
    trajectory.replan(catalog, enrollment)
    catalog.commit()
    assert steps_of(catalog, pk(enrollment))["pm-agile"].reason_code == "rule_exclude"
    profile = out.LearnerIn(email=learner.email, name=learner.name, role="team-lead", department="")
    learners.upsert(catalog, "E1", profile)
    catalog.commit()
    assert steps_of(catalog, pk(enrollment))["fb-difficult-conversations"].reason_code == (
        "rule_mandatory"
    )


def test_a_catalog_import_replans_the_stored_trajectories(
    runner: FlaskCliRunner, catalog: Session, tmp_path: Path
) -> None:
    learner = factories.learner(catalog, "E1")
    chosen = program(catalog, "data-literacy-essentials")
    enrollment = Enrollment(learner_id=pk(learner), program_id=pk(chosen))
    catalog.add(enrollment)
    catalog.flush()
    trajectory.replan(catalog, enrollment)
    catalog.commit()
    assert steps_of(catalog, pk(enrollment))["dl-data-types"].planned_minutes == 20
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    lesson = folder / "modules" / "data-literacy" / "dl-data-types.md"
    lesson.write_text(lesson.read_text().replace("\nminutes: 20\n", "\nminutes: 45\n"))
    result = runner.invoke(args=["import-content", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Re-planned 1 enrollment(s)" in result.output
    assert steps_of(catalog, pk(enrollment))["dl-data-types"].planned_minutes == 45


def enrolled(db: Session, login, slug: str = "data-literacy-essentials") -> Enrollment:  # type: ignore[no-untyped-def]
    """Log in as a learner enrolled in a program (Data Literacy Essentials), its plan stored."""
    user = login("learner")
    enrollment = Enrollment(learner_id=user.learner_id, program_id=pk(program(db, slug)))
    db.add(enrollment)
    db.flush()
    trajectory.replan(db, enrollment)
    db.commit()
    return enrollment


def test_starting_a_module_keeps_its_start_and_a_locked_one_changes_nothing(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    base = f"/path/{enrollment.id}/modules"
    factories.user(catalog, email="eve@example.com")
    catalog.commit()
    other = app.test_client()
    other.post("/auth/login", data={"email": "eve@example.com", "password": factories.PASSWORD})
    before = factories.snapshot(catalog)
    locked = client.post(f"{base}/dl-dashboards/start", follow_redirects=True)
    assert "Not started:" in locked.get_data(as_text=True)
    assert factories.snapshot(catalog) == before
    assert other.post(f"{base}/dl-data-types/start").status_code == 404
    assert factories.snapshot(catalog) == before
    client.post(f"{base}/dl-data-types/start")
    first = steps_of(catalog, pk(enrollment))["dl-data-types"].started_at
    client.post(f"{base}/dl-data-types/start")  # twice: the first start is kept
    assert (
        first is not None and steps_of(catalog, pk(enrollment))["dl-data-types"].started_at == first
    )


def test_start_and_resume_need_a_csrf_token(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    attempt = start_placement(catalog, enrollment)
    app.config["WTF_CSRF_ENABLED"] = True
    before = factories.snapshot(catalog)
    for url in (
        f"/path/{enrollment.id}/modules/dl-data-types/start",
        f"/quizzes/{attempt.uid}/resume",
    ):
        response = client.post(url)
        assert response.status_code == 400 and b"CSRF" in response.data, url
    assert factories.snapshot(catalog) == before


@pytest.mark.parametrize(("chosen", "tests_out"), [(key_of, True), (wrong_of, False)])
def test_an_idle_quiz_shows_closed_before_it_is_and_the_next_start_stores_the_same(
    client: FlaskClient,
    catalog: Session,
    login,  # type: ignore[no-untyped-def]
    chosen: Callable[[Item], list[str]],
    tests_out: bool,
) -> None:
    """A right first answer moves modules to Tested Out: the results say so before the close."""
    enrollment = enrolled(catalog, login)
    attempt = start_placement(catalog, enrollment)
    question = quiz.current_question(catalog, attempt)
    assert question is not None
    quiz.answer(catalog, attempt, 0, pk(question.item), chosen(question.item))
    attempt.last_activity_at = utcnow() - timedelta(minutes=150)
    catalog.add(attempt)
    catalog.commit()
    results_url = f"/quizzes/{attempt.uid}/results"
    shown = CSRF.sub("", client.get(results_url).get_data(as_text=True))
    assert "closed after being idle" in shown and "1 questions" in shown
    assert ("marked Tested Out" in shown) is tests_out
    catalog.refresh(attempt)
    assert attempt.status == "active" and attempt.results is None
    check = {"kind": "check", "competency": "information-security"}
    assert client.post("/quizzes", data=check).status_code == 302  # a write closes it
    catalog.refresh(attempt)
    assert attempt.status == "abandoned" and attempt.results is not None
    assert aware(attempt.finished_at) == idle.went_idle(attempt, 120)  # type: ignore[arg-type]
    assert CSRF.sub("", client.get(results_url).get_data(as_text=True)) == shown


def test_resuming_an_idle_quiz_closes_it_and_shows_the_results(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    attempt = start_placement(catalog, enrolled(catalog, login))
    attempt.last_activity_at = utcnow() - timedelta(minutes=121)
    catalog.add(attempt)
    catalog.commit()
    response = client.post(f"/quizzes/{attempt.uid}/resume", follow_redirects=True)
    assert "closed after 120 minutes without activity" in response.get_data(as_text=True)
    catalog.refresh(attempt)
    assert attempt.status == "abandoned"
