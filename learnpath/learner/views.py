"""Learner views: the program catalog and a program's page."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.auth import current_roles
from learnpath.db import get_session
from learnpath.models import Learner
from learnpath.services.catalog import browse as catalog
from learnpath.services.catalog import ownership
from learnpath.vocabulary import STAFF_ROLES

bp = Blueprint("learner", __name__)


def current_learner_id() -> int:
    """The logged-in user's learner profile id; staff accounts without one get 403."""
    if current_user.learner_id is None:
        abort(403, "This account has no learner profile.")
    return int(current_user.learner_id)


def current_learner() -> Learner:
    """The logged-in user's learner profile (403 for staff accounts without one)."""
    learner = get_session().get(Learner, current_learner_id())
    if learner is None:
        abort(403, "This account has no learner profile.")
    return learner


@bp.route("/")
def home() -> WerkzeugResponse:
    """Learners start on their learning, staff on the catalog, visitors on the login page."""
    if current_user.is_authenticated and current_user.learner_id:
        return redirect(url_for("learner.list_paths"))
    return redirect(url_for("learner.list_programs"))


@bp.route("/programs")
@login_required
def list_programs() -> str:
    """The catalog: program versions by depth; staff also see drafts and retired versions."""
    rows = catalog.list_programs(get_session(), include_drafts=bool(current_roles() & STAFF_ROLES))
    return render_template("learner/programs.html", rows=rows)


@bp.route("/programs/<slug>/v<int:version>")
@login_required
def show_program(slug: str, version: int) -> str:
    """A program version: its modules, competencies and, for derived programs, the changes."""
    session = get_session()
    view = catalog.program_view(session, slug, version)
    staff = bool(current_roles() & STAFF_ROLES)
    if view is None or (view.program.status != "published" and not staff):
        abort(404)
    hidden = 0
    if not staff:  # a department's own modules are for its audience (ownership.py)
        learner = session.get(Learner, current_user.learner_id) if current_user.learner_id else None
        lines = ownership.audience_lines(session, learner, view.program)
        hidden = catalog.hide_others_modules(view, lines)
    return render_template("learner/program.html", view=view, hidden=hidden)
