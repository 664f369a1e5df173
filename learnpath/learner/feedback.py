"""The review of a finished quiz: each question, the learner's answer, the right one and why."""

from flask import abort, render_template
from flask_login import login_required

from learnpath.db import get_session
from learnpath.learner.quizzes import own_attempt
from learnpath.learner.views import bp
from learnpath.services.learning import review


@bp.route("/quizzes/<uid>/review")
@login_required
def show_review(uid: str) -> str:
    """The answers of a finished check or checkpoint; 404 while running or hidden."""
    session = get_session()
    attempt = own_attempt(session, uid)
    if not review.offers_review(attempt):
        abort(404)
    return render_template(
        "learner/review.html", attempt=attempt, questions=review.review(session, attempt)
    )
