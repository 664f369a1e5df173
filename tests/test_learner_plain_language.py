"""Learner pages in plain words: what they say, and what they keep for authors or disclosures."""

from datetime import time, timedelta

from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import (
    Competency,
    CompetencyLevel,
    Module,
    ProgramSession,
)
from learnpath.models.base import pk
from learnpath.services.learning import quiz, trajectory
from learnpath.vocabulary import utcnow
from tests.test_trajectory_views import enrolled, text


def test_author_warnings_are_kept_from_the_learner(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login, "data-literacy-for-northwind")
    plan = trajectory.view(catalog, enrollment).plan
    assert plan.warnings and "assumed known" in plan.warnings[0]  # the authors' to fix
    assert plan.learner_notes == ()
    page = text(client.get(f"/path/{enrollment.id}"))
    assert "assumed known" not in page and "requires" not in page


def test_the_path_page_keeps_numbers_in_a_disclosure(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    page = text(client.get(f"/path/{enrollment.id}"))
    main, disclosure = page.split('<details class="measured">', 1)
    assert "Tempo" not in main and "×" not in main
    assert "How we plan your time" in disclosure and "estimates" in disclosure


def test_a_checkpoint_for_a_never_measured_competency_claims_no_earlier_level(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    current = trajectory.replan(catalog, enrollment)
    step = next(s for s in current.steps if current.module(s).slug == "dl-data-types")
    step.completed_at, step.time_spent_s = utcnow(), 600
    catalog.add(step)
    catalog.commit()
    page = text(client.get(f"/path/{enrollment.id}"))
    assert "Take the checkpoint on Data literacy" in page or "Take the checkpoint on" in page
    assert "has not been measured yet" in page and "since it was last measured" not in page
    competency = catalog.exec(select(Competency).where(Competency.slug == "data-literacy")).one()
    catalog.add(
        CompetencyLevel(
            learner_id=enrollment.learner_id,
            competency_id=pk(competency),
            theta=-1.0,
            se=0.4,
            level="developing",
            updated_at=utcnow() - timedelta(days=1),
        )
    )
    catalog.commit()
    again = text(client.get(f"/path/{enrollment.id}"))
    assert "since it was last measured" in again and "has not been measured yet" not in again


def test_live_sessions_are_checked_against_the_plans_dates(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login, "data-literacy-northwind-cohort")
    current = trajectory.view(catalog, enrollment)
    last = [s for s in current.steps if s.status == "planned"][-1]
    planned = last.planned_date
    assert planned is not None
    early, late = planned - timedelta(days=1), planned + timedelta(days=7)
    for n, day in enumerate((early, late)):
        catalog.add(
            ProgramSession(
                program_id=enrollment.program_id,
                position=n,
                title=f"S{n}",
                day=day,
                start=time(14),
                module_id=last.module_id,
            )
        )
    catalog.commit()
    page = text(client.get(f"/path/{enrollment.id}"))
    assert f"Your plan reaches this module on {planned.isoformat()}, after this session" in page
    assert f"Your plan has you study it by {planned.isoformat()}, before this session" in page


def test_home_shows_next_up_and_the_unfinished_quiz_with_resume(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    competency = catalog.exec(select(Competency).where(Competency.slug == "data-literacy")).one()
    running = quiz.start_attempt(catalog, enrollment.learner_id, "check", [competency])
    catalog.commit()
    home = client.get("/", follow_redirects=True)
    page = text(home)
    assert "Next up" in page
    first = catalog.exec(select(Module).where(Module.slug == "dl-data-types")).one()
    assert f"/path/{enrollment.id}/modules/{first.slug}" in page.split("Next up", 1)[1]
    assert f'action="/quizzes/{running.uid}/resume"' in page and "Resume" in page


def test_the_module_page_says_passed_or_not_yet(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    url = f"/path/{enrollment.id}/modules/dl-data-types"
    assert "Not measured yet." in text(client.get(url))
    competency = catalog.exec(select(Competency).where(Competency.slug == "data-literacy")).one()
    level = CompetencyLevel(
        learner_id=enrollment.learner_id,
        competency_id=pk(competency),
        theta=-3.0,
        se=0.25,
        level="novice",
    )
    catalog.add(level)
    catalog.commit()
    page = text(client.get(url))
    assert "Not yet passed." in page and "Novice (sure)" in page
    level.theta, level.level = 2.5, "expert"
    catalog.add(level)
    catalog.commit()
    page = text(client.get(url))
    assert "Passed — Tested Out." in page and "Expert (sure)" in page


def test_a_video_module_without_its_video_says_so(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login, "data-literacy-for-northwind")  # has the video
    url = f"/path/{enrollment.id}/modules/dl-reading-charts-video"
    module = catalog.exec(select(Module).where(Module.slug == "dl-reading-charts-video")).one()
    module.video_url = ""  # the shipped one has its video file (tests/test_video_files.py)
    catalog.add(module)
    catalog.commit()
    assert "The video of this module is not online yet" in text(client.get(url))
    module.video_url = "https://youtu.be/dQw4w9WgXcQ"
    catalog.add(module)
    catalog.commit()
    page = text(client.get(url))
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page


def test_too_many_and_too_large_have_pages_that_say_what_to_do(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    big = client.post("/profile", data={"pace": "x" * (3 * 1024 * 1024)})
    assert big.status_code == 413 and "That was too large" in big.text and 'class="top"' in big.text
    assert "Send something smaller" in big.text
