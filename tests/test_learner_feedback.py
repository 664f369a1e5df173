"""Feedback after a quiz: the review page, its per-program setting, and what a level means."""

from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Attempt, Competency, Enrollment, Item, Program
from learnpath.models import Response as Answer
from learnpath.models.base import pk
from learnpath.services.learning import quiz
from tests.test_quiz_service import start_placement


def finished(db: Session, learner_id: int, kind: str, slug: str = "data-literacy") -> Attempt:
    """A quiz of `kind` on one competency answered to its end, always with the first option."""
    competency = db.exec(select(Competency).where(Competency.slug == slug)).one()
    attempt = quiz.start_attempt(db, learner_id, kind, [competency])
    answer_all(db, attempt)
    return attempt


def answer_all(db: Session, attempt: Attempt) -> None:
    """Answer every question of the attempt with its first option, committed."""
    while attempt.status == "active":
        question = quiz.current_question(db, attempt)
        assert question is not None
        chosen = [question.options[0][0]]
        quiz.answer(db, attempt, question.step, pk(question.item), chosen, replan=False)
    db.commit()


def enroll(db: Session, learner_id: int, slug: str = "data-literacy-essentials") -> Enrollment:
    """Enroll the learner in the program, committed."""
    program = db.exec(select(Program).where(Program.slug == slug)).one()
    enrollment = Enrollment(learner_id=learner_id, program_id=pk(program))
    db.add(enrollment)
    db.commit()
    return enrollment


def set_review(db: Session, enrollment: Enrollment, review: dict[str, bool]) -> None:
    """Set the review part of the enrolled program's quiz configuration, committed."""
    program = db.get(Program, enrollment.program_id)
    assert program is not None
    program.placement = {**(program.placement or {}), "review": review}
    db.add(program)
    db.commit()


def test_the_review_of_a_check_shows_each_answer_the_right_one_and_the_explanation(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = login("learner")
    attempt = finished(catalog, user.learner_id, "check")
    results = client.get(f"/quizzes/{attempt.uid}/results").get_data(as_text=True)
    assert f'href="/quizzes/{attempt.uid}/review"' in results
    page = client.get(f"/quizzes/{attempt.uid}/review")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    answers = catalog.exec(select(Answer).where(Answer.attempt_id == attempt.id)).all()
    assert answers and html.count('class="card reviewed') == len(answers)
    first = catalog.get(Item, answers[0].item_id)
    assert first is not None
    assert first.explanation.split()[0] in html and "Why:" in html
    assert html.count("· your answer") == len(answers)
    right = sum(a.correct for a in answers)
    assert f"{right} of {len(answers)} right" in html


def test_no_review_while_the_quiz_runs(client: FlaskClient, catalog: Session, login) -> None:  # type: ignore[no-untyped-def]
    user = login("learner")
    competency = catalog.exec(select(Competency)).first()
    assert competency is not None
    running = quiz.start_attempt(catalog, user.learner_id, "check", [competency])
    catalog.commit()
    assert client.get(f"/quizzes/{running.uid}/review").status_code == 404


def test_a_placement_has_no_review_unless_its_program_turns_it_on(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = login("learner")
    enrollment = enroll(catalog, user.learner_id)
    placement = start_placement(catalog, enrollment)
    answer_all(catalog, placement)
    assert placement.config["review"] is False
    assert "Review your answers" not in client.get(f"/quizzes/{placement.uid}/results").text
    assert client.get(f"/quizzes/{placement.uid}/review").status_code == 404
    set_review(catalog, enrollment, {"placement": True})
    again = start_placement(catalog, enrollment)
    answer_all(catalog, again)
    assert again.config["review"] is True
    assert client.get(f"/quizzes/{again.uid}/review").status_code == 200


def test_a_program_can_turn_the_review_of_checks_off(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = login("learner")
    enrollment = enroll(catalog, user.learner_id)
    set_review(catalog, enrollment, {"check": False})
    attempt = finished(catalog, user.learner_id, "check")
    assert attempt.config["review"] is False
    assert client.get(f"/quizzes/{attempt.uid}/review").status_code == 404


def test_results_say_passed_or_not_yet_and_name_every_plan_the_level_moved(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = login("learner")
    enroll(catalog, user.learner_id)
    enroll(catalog, user.learner_id, "team-lead-path")
    placement = start_placement(catalog, enroll_of(catalog, user.learner_id, "team-lead-path"))
    answer_all(catalog, placement)
    html = client.get(f"/quizzes/{placement.uid}/results").text
    assert "What it means for your learning" in html
    assert "Passed" in html or "Not yet" in html
    # Data literacy is measured by the Team Lead placement and built by the other program too.
    assert "level also updated your" in html and "Data Literacy Essentials" in html


def enroll_of(db: Session, learner_id: int, slug: str) -> Enrollment:
    """The learner's enrollment in the program."""
    program = db.exec(select(Program).where(Program.slug == slug)).one()
    return db.exec(
        select(Enrollment).where(
            Enrollment.learner_id == learner_id, Enrollment.program_id == pk(program)
        )
    ).one()


def test_error_pages_use_the_layout_and_json_clients_get_json(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "Page not found" in page.text
    assert 'class="top"' in page.text and "Go to my learning" in page.text
    json = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert json.status_code == 404 and json.json["error"]["code"] == "not_found"  # type: ignore[index]
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.is_json
