"""Quiz pages: one item per page without the key, PRG answers, stale posts, results, access."""

import re
from datetime import timedelta
from html import unescape

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from learnpath.learner.forms import answer_form, chosen_keys
from learnpath.models import (
    Attempt,
    Enrollment,
    Item,
    ItemParameter,
    Program,
    Response,
    TrajectoryStep,
    User,
)
from learnpath.models.base import pk
from learnpath.services.learning import quiz
from tests import factories


def enrolled_learner(db: Session, login, email: str = "pat@example.com") -> User:  # type: ignore[no-untyped-def]
    """Log in as a learner enrolled in Data Literacy Essentials."""
    user = login("learner", email=email)
    program = db.exec(select(Program).where(Program.slug == "data-literacy-essentials")).one()
    db.add(Enrollment(learner_id=user.learner_id, program_id=pk(program)))
    db.commit()
    return user


def start(client: FlaskClient, db: Session, user: User) -> str:
    """Start the placement through the form; the quiz page's URL."""
    enrollment = db.exec(select(Enrollment).where(Enrollment.learner_id == user.learner_id)).one()
    response = client.post("/quizzes", data={"kind": "placement", "enrollment": enrollment.id})
    assert response.status_code == 302 and response.location.startswith("/quizzes/")
    return response.location


def page_form(html: str) -> dict[str, str]:
    """The hidden step and item of a question page, and its first choice."""
    return {
        "step": re.search(r'name="step" type="hidden" value="(\d+)"', html).group(1),  # type: ignore[union-attr]
        "item": re.search(r'name="item" type="hidden" value="(\d+)"', html).group(1),  # type: ignore[union-attr]
        "choice": re.search(r'name="choice"[^>]*value="(\d+)"', html).group(1),  # type: ignore[union-attr]
    }


def responses(db: Session) -> int:
    """All stored responses."""
    db.expire_all()
    return db.exec(select(func.count()).select_from(Response)).one()


def test_the_question_page_counts_down_the_expected_questions_not_the_cap(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = enrolled_learner(catalog, login)
    url = start(client, catalog, user)
    html = client.get(url).get_data(as_text=True)
    attempt = catalog.exec(select(Attempt)).one()
    left = attempt.estimates[-1]["competencies"]["data-literacy"]["remaining"]
    assert 1 <= left < 20  # fewer than the placement's cap of 20
    assert f"About {round(left)} questions to go" in html
    assert f"0 asked, about {round(left)} more" in html


def test_a_question_page_shows_the_item_but_never_its_key_or_parameters(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = enrolled_learner(catalog, login)
    url = start(client, catalog, user)
    html = client.get(url).get_data(as_text=True)
    attempt = catalog.exec(select(Attempt)).one()
    item = catalog.get(Item, attempt.shown_item_id)
    assert item is not None and item.stem.split()[0] in html
    assert "<progress" in html and "Data literacy" in html
    assert not re.search(r"correct\W*[=:]", html) and item.explanation[:40] not in html
    param = catalog.exec(select(ItemParameter).where(ItemParameter.item_id == item.id)).first()
    assert param is not None and f'value="{param.b}"' not in html
    # Choices travel as page positions, not as the stored option keys.
    assert sorted(re.findall(r'name="choice"[^>]*value="(\w+)"', html)) == [
        str(i) for i in range(len(item.options))
    ]


def test_an_answer_redirects_to_the_next_question_and_a_replay_changes_nothing(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = enrolled_learner(catalog, login)
    url = start(client, catalog, user)
    form = page_form(client.get(url).get_data(as_text=True))
    first = client.post(url, data=form)
    assert first.status_code == 302 and first.location == url
    assert responses(catalog) == 1
    replay = client.post(url, data=form, follow_redirects=True)
    assert replay.status_code == 200 and "already answered" in replay.get_data(as_text=True)
    assert responses(catalog) == 1
    assert 'name="step" type="hidden" value="1"' in replay.get_data(as_text=True)


def test_an_empty_answer_is_refused_with_a_message(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = enrolled_learner(catalog, login)
    url = start(client, catalog, user)
    form = page_form(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"step": form["step"], "item": form["item"]})
    assert response.status_code == 422
    page = response.get_data(as_text=True)  # a single-choice or a multiple-choice question
    assert "Choose an answer." in page or "Choose at least one answer." in page
    assert responses(catalog) == 0


def test_a_placement_ends_on_results_with_levels_and_a_chart(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = enrolled_learner(catalog, login)
    url = start(client, catalog, user)
    for _ in range(25):
        page = client.get(url)
        if page.status_code == 302:
            break
        client.post(url, data=page_form(page.get_data(as_text=True)))
    assert page.location == url + "/results"
    html = client.get(page.location).get_data(as_text=True)
    attempt = catalog.exec(select(Attempt)).one()
    catalog.refresh(attempt)
    summary = attempt.results["competencies"]["data-literacy"]  # type: ignore[index]
    assert "<svg" in html and 'class="chart"' in html and "http" not in html.split("<svg")[1][:40]
    assert f"Level: <strong>{summary['level'].capitalize()}</strong>" in html
    main, measured = html.split('<details class="measured">')
    assert "θ" not in main and "logit" not in main  # the numbers are in the disclosure only
    assert f"{summary['theta']:+.2f}" in measured
    # Which decisions were settled, in words above, with their odds in the disclosure.
    decided = main.split("What the quiz decided")[1].split("<h2>")[0]
    assert "%" not in decided
    for decision in summary["decisions"]:
        words = "settled" if decision["settled"] else "not settled"
        assert f"Data literacy: {words}" in unescape(main)
        assert f"{decision['above'] * 100:.1f}%" in measured
    assert responses(catalog) == summary["n_items"]
    # A finished quiz takes no more answers.
    again = client.post(url, data={"step": "0", "item": "1", "choice": "0"})
    assert again.status_code == 302 and again.location == url + "/results"
    assert responses(catalog) == summary["n_items"]


def test_a_learner_resumes_at_the_same_step_after_logging_in_again(
    app: Flask, catalog: Session, login, client: FlaskClient
) -> None:  # type: ignore[no-untyped-def]
    user = enrolled_learner(catalog, login)
    url = start(client, catalog, user)
    client.post(url, data=page_form(client.get(url).get_data(as_text=True)))
    later = app.test_client()
    later.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD})
    listing = later.get("/quizzes").get_data(as_text=True)
    assert "Continue where you left off" in listing and url in listing
    assert 'name="step" type="hidden" value="1"' in later.get(url).get_data(as_text=True)


def test_other_learners_attempts_are_not_found(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    owner = enrolled_learner(catalog, login)
    url = start(client, catalog, owner)
    other = app.test_client()
    factories.user(catalog, email="eve@example.com")
    catalog.commit()
    other.post("/auth/login", data={"email": "eve@example.com", "password": factories.PASSWORD})
    assert other.get(url).status_code == 404
    assert other.post(url, data={"step": "0", "item": "1", "choice": "0"}).status_code == 404
    assert other.get(url + "/results").status_code == 404
    assert responses(catalog) == 0


def test_staff_without_a_learner_profile_cannot_take_quizzes(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    assert client.get("/quizzes").status_code == 403


def test_a_check_of_one_competency_can_be_started_from_the_list(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    listing = client.get("/quizzes").get_data(as_text=True)
    assert 'name="competency" value="project-management"' in listing
    response = client.post("/quizzes", data={"kind": "check", "competency": "project-management"})
    assert response.status_code == 302
    attempt = catalog.exec(select(Attempt)).one()
    assert (
        attempt.kind == "check" and attempt.config["rules"]["project-management"]["max_items"] == 20
    )
    bad = client.post("/quizzes", data={"kind": "exam", "competency": "project-management"})
    assert bad.status_code == 302
    assert "Unknown kind of quiz" in client.get("/quizzes").get_data(as_text=True)
    assert catalog.exec(select(func.count()).select_from(Attempt)).one() == 1


def test_answers_need_a_csrf_token(app: Flask, catalog: Session, login, client) -> None:  # type: ignore[no-untyped-def]
    user = enrolled_learner(catalog, login)
    url = start(client, catalog, user)
    form = page_form(client.get(url).get_data(as_text=True))
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(url, data=form).status_code == 400
    assert responses(catalog) == 0


def test_checkbox_questions_do_not_ask_the_browser_to_tick_every_box(
    app: Flask, catalog: Session
) -> None:
    item = catalog.exec(select(Item).where(Item.kind == "multiple")).first()
    assert item is not None
    attempt = Attempt(uid="x", learner_id=1, seed=1)
    question = quiz.Question(attempt, 0, item, quiz.shuffled_options(attempt, item), [])
    with app.test_request_context(method="POST", data={"step": "0", "item": str(item.id)}):
        form = answer_form(question)
        assert 'type="checkbox"' in str(form.choice) and "required" not in str(form.choice)
        assert not form.validate()
        assert form.choice.errors == ["Choose at least one answer."]
    with app.test_request_context(
        method="POST", data={"step": "0", "item": str(item.id), "choice": ["0", "2"]}
    ):
        form = answer_form(question)
        assert form.validate()
        keys = [key for key, _text in question.options]
        assert chosen_keys(question, form) == [keys[0], keys[2]]


def test_finishing_a_placement_replans_the_stored_trajectory_after_the_response(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = enrolled_learner(catalog, login)
    url = start(client, catalog, user)
    for _ in range(25):
        page = client.get(url)
        if page.status_code == 302:
            break
        form = page_form(page.get_data(as_text=True))
        item = catalog.get(Item, int(form["item"]))
        assert item is not None
        labels = re.findall(r'value="(\d+)"> ([^<]+)</label>', page.get_data(as_text=True))
        right = {o["text"] for o in item.options if o.get("correct")}
        form["choice"] = [pos for pos, label in labels if unescape(label).strip() in right]  # type: ignore[assignment]
        # A WSGI server closes every response once sent; the test client leaves that to us.
        client.post(url, data=form).close()
    catalog.expire_all()
    assert catalog.exec(select(Attempt)).one().status == "completed"
    steps = catalog.exec(select(TrajectoryStep)).all()
    assert any(s.status == "waived" and s.reason_text == "Tested Out" for s in steps)


def attempt_of(db: Session, url: str) -> Attempt:
    """The attempt behind a quiz page's URL, fresh from the database."""
    db.expire_all()
    return db.exec(select(Attempt).where(Attempt.uid == url.rsplit("/", 1)[-1])).one()


def shift(db: Session, attempt: Attempt, **ago: timedelta) -> None:
    """Move some of the attempt's times (last_activity_at, shown_at) into the past, committed."""
    for name, delta in ago.items():
        setattr(attempt, name, getattr(attempt, name) - delta)
    db.add(attempt)
    db.commit()


def test_start_after_an_idle_period_closes_the_idle_attempt_and_starts_anew(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = enrolled_learner(catalog, login)
    url = start(client, catalog, user)
    client.post(url, data=page_form(client.get(url).get_data(as_text=True)))
    idle = attempt_of(catalog, url)
    shift(catalog, idle, last_activity_at=timedelta(minutes=121))
    again = start(client, catalog, user)
    assert again != url
    assert attempt_of(catalog, url).status == "abandoned"
    assert attempt_of(catalog, again).status == "active"
    assert client.get(again).status_code == 200  # the new attempt, not old results


def test_an_answer_to_an_idle_attempt_is_refused_and_lands_on_the_results(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = enrolled_learner(catalog, login)
    url = start(client, catalog, user)
    form = page_form(client.get(url).get_data(as_text=True))
    shift(catalog, attempt_of(catalog, url), last_activity_at=timedelta(minutes=121))
    response = client.post(url, data=form)
    assert response.status_code == 302 and response.location == url + "/results"
    assert responses(catalog) == 0
    closed = attempt_of(catalog, url)
    assert closed.status == "abandoned" and closed.results is not None
    assert closed.results["n_items"] == 0
    html = unescape(client.get(response.location).get_data(as_text=True))
    assert "closed after 120 minutes without activity" in html
    assert "that answer was not recorded" in html


def test_the_question_page_starts_the_clock_once_and_again_after_a_break(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = enrolled_learner(catalog, login)
    url = start(client, catalog, user)
    first = attempt_of(catalog, url).shown_at
    assert first is not None  # Start chose the step and started its clock
    # A reload soon after keeps the clock.
    shift(catalog, attempt_of(catalog, url), shown_at=timedelta(minutes=2))
    client.get(url)
    assert attempt_of(catalog, url).shown_at == first - timedelta(minutes=2)
    # Back after a break (within the idle limit): Resume restarts the clock.
    shift(catalog, attempt_of(catalog, url), shown_at=timedelta(minutes=45))
    assert client.post(f"{url}/resume").location == url
    form = page_form(client.get(url).get_data(as_text=True))
    resumed = attempt_of(catalog, url).shown_at
    assert resumed is not None and resumed > first
    client.post(url, data=form)
    catalog.expire_all()
    answer = catalog.exec(select(Response)).one()
    assert answer.shown_at == resumed
