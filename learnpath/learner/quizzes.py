"""Quiz views: start, take one item per page, results; every answer POST redirects (PRG)."""

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
from learnpath.learner.views import bp, current_learner_id
from learnpath.models import Attempt, Competency, Enrollment, Program
from learnpath.services.learning import quiz, quiz_rules, results, trajectory

ALREADY_ANSWERED = (
    "That question was already answered, so the answer recorded first was kept. "
    "Here is your current question."
)
QUIZ_OVER = "This quiz is over; your answers were kept. Here are the results."
CLOSED_IDLE = (
    "This quiz is over: it was closed after {minutes} minutes without activity, so that answer "
    "was not recorded. Here are the results of the answers given before."
)


def _own_attempt(session: Session, uid: str) -> Attempt:
    """The learner's attempt by uid; anybody else's is a 404, not a 403 (no probing)."""
    attempt = session.exec(select(Attempt).where(Attempt.uid == uid)).first()
    if attempt is None or attempt.learner_id != current_learner_id():
        abort(404)
    return attempt


def _close_idle(session: Session) -> list[Attempt]:
    """Finish the learner's idle attempts with what they reached, so none blocks the path."""
    minutes = current_app.config["ATTEMPT_IDLE_MINUTES"]
    closed = results.abandon_idle(session, minutes, current_learner_id())
    if closed:
        trajectory.replan_learner(session, current_learner_id())
        session.commit()
    return closed


@bp.route("/quizzes")
@login_required
def list_quizzes() -> str:
    """Quizzes to start or resume, and the history of finished attempts."""
    session = get_session()
    _close_idle(session)
    learner_id = current_learner_id()
    return render_template(
        "learner/quizzes.html",
        offers=quiz_rules.offers(session, learner_id),
        active=quiz.active_attempts(session, learner_id),
        finished=[a for a in results.history(session, learner_id) if a.status != "active"],
        form=StartQuizForm(),
    )


@bp.route("/quizzes", methods=["POST"])
@login_required
def start_quiz() -> WerkzeugResponse:
    """Start (or, on a double click, resume) a placement, check or checkpoint."""
    session, learner_id = get_session(), current_learner_id()
    form = StartQuizForm()
    if not form.validate_on_submit():
        flash("The quiz could not be started: " + "; ".join(errors_of(form)))
        return redirect(url_for("learner.list_quizzes"))
    _close_idle(session)  # an idle attempt is finished, not resumed
    enrollment, competencies = None, []
    if form.kind.data == "placement":
        enrollment = session.get(Enrollment, int(form.enrollment.data or 0))
        if enrollment is None or enrollment.learner_id != learner_id:
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
        flash(f"The quiz could not be started: {exc}")
        return redirect(url_for("learner.list_quizzes"))
    session.commit()
    return redirect(url_for("learner.take_quiz", uid=attempt.uid))


@bp.route("/quizzes/<uid>")
@login_required
def take_quiz(uid: str) -> str | WerkzeugResponse:
    """The current step of an attempt (its clock starts: quiz.mark_shown); else the results."""
    session = get_session()
    _close_idle(session)
    attempt = _own_attempt(session, uid)
    question = quiz.current_question(session, attempt)
    if question is None:
        return redirect(url_for("learner.show_results", uid=uid))
    if quiz.mark_shown(session, attempt):
        session.commit()
    return render_template("learner/quiz.html", question=question, form=answer_form(question))


@bp.route("/quizzes/<uid>", methods=["POST"])
@login_required
def answer_quiz(uid: str) -> tuple[str, int] | WerkzeugResponse:
    """Record the answer to the step it was shown for, exactly once, then show the next step.

    An attempt idle past ATTEMPT_IDLE_MINUTES is finished first, so its late answer is refused.
    """
    session = get_session()
    attempt = _own_attempt(session, uid)
    # Only an attempt that is itself idle needs closing: no extra query on the answer path.
    idle = attempt.status == "active" and results.is_idle(
        attempt, current_app.config["ATTEMPT_IDLE_MINUTES"]
    )
    closed = _close_idle(session) if idle else []
    question = quiz.current_question(session, attempt)
    if question is None:
        if attempt.id in {a.id for a in closed}:
            flash(CLOSED_IDLE.format(minutes=current_app.config["ATTEMPT_IDLE_MINUTES"]))
        else:
            flash(QUIZ_OVER)
        return redirect(url_for("learner.show_results", uid=uid))
    if request.form.get("step") != str(question.step) or request.form.get("item") != str(
        question.item.id
    ):
        flash(ALREADY_ANSWERED)
        return redirect(url_for("learner.take_quiz", uid=uid))
    form = answer_form(question)
    if not form.validate_on_submit():
        return render_template("learner/quiz.html", question=question, form=form), 422
    chosen = chosen_keys(question, form)
    try:
        outcome = quiz.answer(
            session, attempt, question.step, question.item.id or 0, chosen, replan=False
        )
        session.commit()
    except IntegrityError:
        session.rollback()
        outcome = quiz.Outcome.STALE
    if outcome is not quiz.Outcome.RECORDED:
        session.rollback()
        flash(ALREADY_ANSWERED)
    response = redirect(url_for("learner.take_quiz", uid=uid))
    if outcome is quiz.Outcome.RECORDED and attempt.status != "active":
        response.call_on_close(_replanner(current_app._get_current_object(), attempt.learner_id))  # type: ignore[attr-defined]
    return response


def _replanner(app: Flask, learner_id: int) -> Callable[[], None]:
    """Re-plan the learner's trajectories on their new levels once the answer's response is sent.

    Pages re-plan on every view anyway; this keeps stored steps (which the HR API reads) fresh
    without making the learner wait for it.
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
    attempt = _own_attempt(session, uid)
    if attempt.results is None:
        return redirect(url_for("learner.take_quiz", uid=uid))
    earlier = results.comparisons(session, attempt)
    bands = results.full_bands(attempt.config["bands"])  # older attempts stored partial bands
    chart = ability_chart(attempt.results["competencies"], bands)
    return render_template(
        "learner/results.html", attempt=attempt, chart=chart, earlier=earlier, bands=bands
    )
