"""A GET never writes: every learner page, asked twice, answers the same and writes nothing.

The pages come from the app's url_map, so a new learner page is covered as soon as it exists
(the test asks for example values of URL arguments it does not know yet). The learner has what
pages used to write on a view: an enrollment whose plan was never stored, a module started long
ago, a quiz whose current question's clock has not started, and one idle past the limit.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from learnpath.models import (
    Attempt,
    Competency,
    Enrollment,
    Learner,
    Module,
    Program,
    TrajectoryStep,
)
from learnpath.models.base import pk
from learnpath.services.learning import quiz, trajectory
from learnpath.vocabulary import utcnow
from tests import factories
from tests.test_quiz_service import start_placement, wrong_of

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# A CSRF token is signed with the time it is made, so it differs from one request to the next.
CSRF = re.compile(r'(<input[^>]*name="csrf_token"[^>]*value=")[^"]*"')
Examples = dict[frozenset[str], list[dict[str, Any]]]


@contextmanager
def statements(engine: Engine, only: re.Pattern[str] | None = None) -> Iterator[list[str]]:
    """The statements sent to the database meanwhile (those `only` matches, if given)."""
    seen: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if only is None or only.match(statement):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def get(client: FlaskClient, engine: Engine, url: str) -> tuple[tuple[int, str, str], list[str]]:
    """(status, location, HTML without CSRF tokens) of a GET, and the writes it caused."""
    with statements(engine, WRITE) as seen:
        response = client.get(url)
    html = CSRF.sub(r'\1"', response.get_data(as_text=True))
    return (response.status_code, response.location or "", html), seen


def world(db: Session, login: Callable[..., Any]) -> Examples:
    """A learner with everything a page used to write on a view; URL examples per argument set."""
    user = login("learner")
    learner = db.get(Learner, user.learner_id)
    assert learner is not None
    learner.role = "team-lead"
    report = factories.learner(db, "REPORT", manager_id=pk(learner))  # My team has a row
    programs = {p.slug: p for p in db.exec(select(Program)).all()}
    stored = Enrollment(learner_id=pk(learner), program_id=pk(programs["data-literacy-essentials"]))
    unstored = Enrollment(learner_id=pk(learner), program_id=pk(programs["team-lead-path"]))
    db.add_all([learner, stored, unstored])
    db.flush()
    current = trajectory.replan(db, stored)  # the other one's plan was never stored
    started = next(s for s in current.steps if current.module(s).slug == "dl-data-types")
    trajectory.mark_started(db, started, utcnow() - timedelta(days=3))  # minutes: capped
    finished, waiting = _quizzes(db, pk(learner), stored)
    idle = start_placement(db, stored)
    idle.last_activity_at = utcnow() - timedelta(hours=3)
    db.add(idle)
    db.commit()
    return {
        frozenset(): [{}],
        frozenset({"slug", "version"}): [{"slug": "data-literacy-essentials", "version": 1}],
        frozenset({"enrollment_id"}): [
            {"enrollment_id": pk(stored)},
            {"enrollment_id": pk(unstored)},
        ],
        frozenset({"enrollment_id", "slug"}): [
            {"enrollment_id": pk(stored), "slug": "dl-data-types"},  # started
            {"enrollment_id": pk(stored), "slug": "dl-dashboards"},  # locked
            {"enrollment_id": pk(unstored), "slug": "fb-sbi-model"},  # plan not stored
        ],
        frozenset({"uid"}): [{"uid": a.uid} for a in (finished, waiting, idle)],
        frozenset({"learner_id"}): [{"learner_id": pk(report)}],
    }


def _quizzes(db: Session, learner_id: int, enrollment: Enrollment) -> tuple[Attempt, Attempt]:
    """A finished check, and a check whose current question's clock has not started."""
    slugs = ("data-literacy", "information-security")
    first, second = (db.exec(select(Competency).where(Competency.slug == s)).one() for s in slugs)
    done = quiz.start_attempt(db, learner_id, "check", [first])
    while done.status == "active":
        question = quiz.current_question(db, done)
        assert question is not None
        # Wrong answers: a low level keeps dl-data-types on the plan (not Tested Out) whatever
        # order the seed shows the options in, so its page offers the started module's minutes.
        chosen = wrong_of(question.item)
        quiz.answer(db, done, question.step, pk(question.item), chosen, replan=False)
    waiting = quiz.start_attempt(db, learner_id, "check", [second])
    assert waiting.shown_at is None
    return done, waiting


def learner_pages(app: Flask, examples: Examples) -> list[str]:
    """The URL of every learner GET page, once per example of its arguments."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("learner.") or "GET" not in (rule.methods or ()):
                continue
            arguments = frozenset(rule.arguments)
            assert arguments in examples, f"{rule.rule}: add example values of {sorted(arguments)}"
            urls += [url_for(rule.endpoint, **values) for values in examples[arguments]]
    return urls


def test_every_learner_page_asked_twice_answers_the_same_and_writes_nothing(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    engine = app.extensions["learnpath.engine"]
    urls = learner_pages(app, world(catalog, login))
    assert len(urls) >= 14
    client.get("/programs")  # shows (and so clears) any message left by logging in
    before = factories.snapshot(catalog)
    for url in urls:
        first, writes = get(client, engine, url)
        again, writes_again = get(client, engine, url)
        # A review exists once its quiz is over: the running ones answer 404 (test_review.py);
        # these modules have no video file to serve (tests/test_video_files.py serves one).
        missing = url.endswith(("/review", "/video", "/captions")) and first[0] == 404
        assert first[0] in (200, 302) or missing, url
        assert writes == writes_again == [], url
        assert first == again, url
    catalog.expire_all()
    assert factories.snapshot(catalog) == before


def test_pages_show_what_they_used_to_write(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    examples = world(catalog, login)
    [stored, unstored] = [e["enrollment_id"] for e in examples[frozenset({"enrollment_id"})]]
    page = client.get(f"/path/{unstored}").get_data(as_text=True)
    assert "role rule: Team leads practise difficult conversations" in page  # computed, unstored
    steps = catalog.exec(select(TrajectoryStep).where(TrajectoryStep.enrollment_id == unstored))
    assert steps.all() == []
    minutes = client.get(f"/path/{stored}/modules/dl-data-types").get_data(as_text=True)
    module = catalog.exec(select(Module).where(Module.slug == "dl-data-types")).one()
    assert re.search(rf'name="minutes"[^>]*value="{3 * module.minutes}"', minutes)
    [_, waiting, idle] = [e["uid"] for e in examples[frozenset({"uid"})]]
    assert client.get(f"/quizzes/{waiting}").status_code == 200
    assert client.get(f"/quizzes/{idle}").location == f"/quizzes/{idle}/results"
    listing = client.get("/quizzes").get_data(as_text=True)
    assert "closed after being idle" in listing
    catalog.expire_all()
    attempts = {a.uid: a for a in catalog.exec(select(Attempt)).all()}
    assert attempts[waiting].shown_at is None and attempts[idle].status == "active"


def test_the_check_sees_a_page_that_writes(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    examples = world(catalog, login)
    enrollment_id = examples[frozenset({"enrollment_id"})][0]["enrollment_id"]
    shown = app.view_functions["learner.show_path"]

    def show_and_replan(enrollment_id: int) -> Any:
        from learnpath.db import get_session

        session = get_session()
        enrollment = session.get(Enrollment, enrollment_id)
        assert enrollment is not None
        enrollment.due_at = utcnow()  # what a page that stores anything would do
        session.add(enrollment)
        session.commit()
        return shown(enrollment_id=enrollment_id)

    app.view_functions["learner.show_path"] = show_and_replan
    _, writes = get(client, app.extensions["learnpath.engine"], f"/path/{enrollment_id}")
    assert writes and writes[0].lstrip().upper().startswith("UPDATE")
