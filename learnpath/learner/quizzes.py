"""Quiz views: start, take one item per page, results; every answer POST redirects (PRG).

Pages never write. A step's clock starts in the POST that chooses the step (Start, an answer)
or resumes the quiz (Resume), right before the redirect to its page; an idle attempt is closed
by the learner's next Start, Resume or answer, and pages show it closed until then
(`idle.shown_closed`).
"""

from collections.abc import Callable

from flask import Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath import db
from learnpath.db import get_session
from learnpath.learner.charts import ability_chart
from learnpath.learner.forms import StartQuizForm, answer_form, chosen_keys, errors_of
from learnpath.learner.views import bp, current_learner_id, say
from learnpath.models import Attempt, Competency, Enrollment, Program
from learnpath.models.base import pk
from learnpath.routing import id_or_none
from learnpath.services.learning import (
    effects,
    idle,
    quiz,
    quiz_rules,
    results,
    review,
    trajectory,
)

ALREADY_ANSWERED = (
    "That question was already answered, so the answer recorded first was kept. "
    "Here is your current question."
)
QUIZ_OVER = "This quiz is over; your answers were kept. Here are the results."
CLOSED_IDLE = (
    "This quiz is over: it was closed after {minutes} minutes without activity, so that answer "
    "was not recorded. Here are the results of the answers given before."
)
IDLE_OVER = (
    "This quiz is over: it was closed after {minutes} minutes without activity. "
    "Here are the results of the answers given."
)


def own_attempt(session: Session, uid: str) -> Attempt:
    """The learner's attempt by uid; anybody else's is a 404, not a 403 (no probing)."""
    attempt = session.exec(select(Attempt).where(Attempt.uid == uid)).first()
    if attempt is None or attempt.learner_id != current_learner_id():
        abort(404)
    return attempt


def _idle_minutes() -> float:
    """How long an attempt may wait without activity before it is closed (ATTEMPT_IDLE_MINUTES)."""
    return float(current_app.config["ATTEMPT_IDLE_MINUTES"])


def _close_idle(session: Session) -> list[Attempt]:
    """Finish the learner's idle attempts with what they reached, so none blocks the path."""
    closed = idle.close_idle(session, _idle_minutes(), current_learner_id())
    if closed:
        session.commit()
    return closed


def _shown_closed(session: Session) -> dict[int, Attempt]:
    """The learner's idle attempts as pages show them: closed, before anything stores that."""
    return idle.shown_closed(session, current_learner_id(), _idle_minutes())


@bp.route("/quizzes")
@login_required
def list_quizzes() -> str:
    """Quizzes to start or resume, and the history of finished attempts."""
    session, learner_id = get_session(), current_learner_id()
    closed = _shown_closed(session)
    attempts = [closed.get(a.id or 0, a) for a in results.history(session, learner_id)]
    return render_template(
        "learner/quizzes.html",
        offers=quiz_rules.offers(session, learner_id),
        active=[a for a in attempts if a.status == "active"],
        finished=[a for a in attempts if a.status != "active"],
        form=StartQuizForm(),
    )


@bp.route("/quizzes", methods=["POST"])
@login_required
def start_quiz() -> WerkzeugResponse:
    """Start (or, on a double click, resume) a placement, check or checkpoint."""
    session, learner_id = get_session(), current_learner_id()
    form = StartQuizForm()
    if not form.validate_on_submit():
        say("The quiz could not be started: " + "; ".join(errors_of(form)), ok=False)
        return redirect(url_for("learner.list_quizzes"))
    _close_idle(session)  # an idle attempt is finished, not resumed
    enrollment, competencies = None, []
    if form.kind.data == "placement":
        number = id_or_none(form.enrollment.data)
        if number is None:
            abort(400, "enrollment: must be the id of one of your enrollments")
        enrollment = session.get(Enrollment, number)
        if enrollment is None or enrollment.learner_id != learner_id:
            abort(404)
        if enrollment.status == "withdrawn":
            abort(404)
        program = session.get(Program, enrollment.program_id)
        competencies = quiz_rules.placement_competencies(session, program) if program else []
    else:
        slug = form.competency.data or ""
        found = session.exec(select(Competency).where(Competency.slug == slug)).first()
        if found is None:
            abort(404)
        competencies = [found]
    try:
        attempt = quiz.start_attempt(session, learner_id, form.kind.data, competencies, enrollment)
    except quiz.QuizError as exc:
        say(f"The quiz could not be started: {exc}", ok=False)
        return redirect(url_for("learner.list_quizzes"))
    quiz.mark_shown(session, attempt)  # its page is served right after this redirect
    session.commit()
    return redirect(url_for("learner.take_quiz", uid=attempt.uid))


@bp.route("/quizzes/<uid>/resume", methods=["POST"])
@login_required
def resume_quiz(uid: str) -> WerkzeugResponse:
    """Continue an attempt; a question left more than 5 minutes restarts its clock (mark_shown)."""
    session = get_session()
    attempt = own_attempt(session, uid)
    if attempt.id in {a.id for a in _close_idle(session)}:
        flash(IDLE_OVER.format(minutes=current_app.config["ATTEMPT_IDLE_MINUTES"]))
    elif quiz.mark_shown(session, attempt):
        session.commit()
    return redirect(url_for("learner.take_quiz", uid=uid))


@bp.route("/quizzes/<uid>")
@login_required
def take_quiz(uid: str) -> str | WerkzeugResponse:
    """The current step of an attempt, or its results once it is over (or idle)."""
    session = get_session()
    attempt = own_attempt(session, uid)
    question = quiz.current_question(session, attempt)
    if question is None or _is_idle(attempt):  # shown closed: idle.shown_closed
        return redirect(url_for("learner.show_results", uid=uid))
    return render_template("learner/quiz.html", question=question, form=answer_form(question))


@bp.route("/quizzes/<uid>", methods=["POST"])
@login_required
def answer_quiz(uid: str) -> tuple[str, int] | WerkzeugResponse:
    """Record the answer to the step it was shown for, exactly once, then show the next step.

    An attempt idle past ATTEMPT_IDLE_MINUTES is finished first, so its late answer is refused.
    """
    session = get_session()
    attempt = own_attempt(session, uid)
    # Only an attempt that is itself idle needs closing: no extra query on the answer path.
    closed = _close_idle(session) if _is_idle(attempt) else []
    question = quiz.current_question(session, attempt)
    if question is None:
        idled = attempt.id in {a.id for a in closed}
        minutes = current_app.config["ATTEMPT_IDLE_MINUTES"]
        flash(CLOSED_IDLE.format(minutes=minutes) if idled else QUIZ_OVER)
        return redirect(url_for("learner.show_results", uid=uid))
    if request.form.get("step") != str(question.step) or request.form.get("item") != str(
        question.item.id
    ):
        flash(ALREADY_ANSWERED)
        return redirect(url_for("learner.take_quiz", uid=uid))
    form = answer_form(question)
    if not form.validate_on_submit():
        return render_template("learner/quiz.html", question=question, form=form), 422
    outcome = _record(session, question, chosen_keys(question, form))
    response = redirect(url_for("learner.take_quiz", uid=uid))
    if outcome is quiz.Outcome.RECORDED and attempt.status != "active":
        response.call_on_close(_replanner(current_app._get_current_object(), attempt.learner_id))  # type: ignore[attr-defined]
    return response


def _is_idle(attempt: Attempt) -> bool:
    """An active attempt past the idle limit."""
    return attempt.status == "active" and idle.is_idle(attempt, _idle_minutes())


def _record(session: Session, question: quiz.Question, chosen: list[str]) -> quiz.Outcome:
    """Record the answer and start the next step's clock, committed; say so if it came too late."""
    attempt = question.attempt
    try:
        outcome = quiz.answer(
            session, attempt, question.step, question.item.id or 0, chosen, replan=False
        )
        if outcome is quiz.Outcome.RECORDED:
            quiz.mark_shown(session, attempt)  # the next step's page is served right after
        session.commit()
    except IntegrityError:
        session.rollback()
        outcome = quiz.Outcome.STALE
    if outcome is not quiz.Outcome.RECORDED:
        session.rollback()
        flash(ALREADY_ANSWERED)
    return outcome


def _replanner(app: Flask, learner_id: int) -> Callable[[], None]:
    """Store the learner's trajectories re-planned on their new levels once the response is sent.

    Pages compute plans on read, so the learner sees the new levels at once; this stores them
    (what the HR API reads) and settles the enrollments, without making the learner wait for it.
    """

    def run() -> None:
        with app.app_context(), db.transaction() as session:
            trajectory.replan_learner(session, learner_id)

    return run


@bp.route("/quizzes/<uid>/results")
@login_required
def show_results(uid: str) -> str | WerkzeugResponse:
    """Levels per competency with 95% intervals, a chart, and earlier attempts to compare."""
    session = get_session()
    attempt = own_attempt(session, uid)
    closed = _shown_closed(session)
    pending = idle.as_closed(session, closed[pk(attempt)]) if pk(attempt) in closed else None
    attempt = closed.get(pk(attempt), attempt)
    if attempt.results is None:
        return redirect(url_for("learner.take_quiz", uid=uid))
    earlier = results.comparisons(session, attempt, list(closed.values()))
    bands = results.full_bands(attempt.config["bands"])  # older attempts stored partial bands
    chart = ability_chart(attempt.results["competencies"], bands)
    return render_template(
        "learner/results.html",
        attempt=attempt,
        chart=chart,
        earlier=earlier,
        bands=bands,
        verdicts=effects.verdicts(
            session, attempt.learner_id, attempt.results, attempt.config["ids"], pending
        ),
        reviewable=review.offers_review(attempt),
    )
