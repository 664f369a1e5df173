"""My team: a manager sees their direct reports' programs, status, due dates and levels."""

from flask import abort, render_template
from flask_login import current_user, login_required

from learnpath.db import get_session
from learnpath.learner.views import bp, current_learner_id
from learnpath.services.accounts import team
from learnpath.vocabulary import utcnow


def has_team() -> bool:
    """Whether the logged-in user has direct reports (shows the My team link)."""
    if not current_user.is_authenticated or current_user.learner_id is None:
        return False
    return team.has_reports(get_session(), int(current_user.learner_id))


@bp.route("/team")
@login_required
def show_team() -> str:
    """The manager's direct reports, one row each; nobody else's."""
    members = team.team(get_session(), current_learner_id(), utcnow())
    return render_template("learner/team.html", members=members)


@bp.route("/team/<int:learner_id>")
@login_required
def show_report(learner_id: int) -> str:
    """One direct report's programs and levels; anyone else is a 404."""
    member = team.member(get_session(), current_learner_id(), learner_id, utcnow())
    if member is None:
        abort(404)
    return render_template("learner/report.html", member=member)
