"""Learner views: the program catalog and a program's page."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.auth import current_roles
from learnpath.db import get_session
from learnpath.learner.forms import EnrolForm
from learnpath.models import Learner
from learnpath.models.base import pk
from learnpath.services.catalog import browse as catalog
from learnpath.services.catalog import drafts, ownership
from learnpath.services.learning import audience, enrolment
from learnpath.vocabulary import STAFF_ROLES

bp = Blueprint("learner", __name__)


def say(message: str, ok: bool = True, anchor: str = "") -> None:
    """Flash a success or a refusal, shown beside `anchor` (an element id) when the page has it.

    The category is "success" or "refusal", then "@anchor" when it belongs beside an element;
    templates show it there (`notices` in _macros.html) and the redirect jumps to it.
    """
    flash(message, ("success" if ok else "refusal") + (f"@{anchor}" if anchor else ""))


def back_to(endpoint: str, anchor: str = "", **values: Any) -> WerkzeugResponse:
    """Redirect to a page, scrolled to the element the message is shown beside."""
    return redirect(url_for(endpoint, _anchor=anchor or None, **values))


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


def _is_staff() -> bool:
    return bool(current_roles() & STAFF_ROLES)


@bp.route("/programs")
@login_required
def list_programs() -> str:
    """The catalog: staff see every version; a learner the published ones meant for them."""
    session = get_session()
    rows = catalog.list_programs(session, include_drafts=_is_staff())
    open_ids: set[int] = set()
    enrolled: set[int] = set()
    if not _is_staff():
        learner = current_learner()
        shown = {p.id for p in audience.visible(session, learner, [r.program for r in rows])}
        rows = [r for r in rows if r.program.id in shown]
        open_ids = {pk(r.program) for r in rows if audience.open_to(r.program, learner)}
        enrolled = audience.enrolled_ids(session, learner)
    return render_template(
        "learner/programs.html", rows=rows, open_ids=open_ids, enrolled=enrolled, form=EnrolForm()
    )


@bp.route("/programs/<slug>/v<int:version>")
@login_required
def show_program(slug: str, version: int) -> str:
    """A program version: its modules, competencies and, for derived programs, the changes."""
    session = get_session()
    view = catalog.program_view(session, slug, version)
    if view is None or not (_is_staff() or audience.sees(session, current_learner(), view.program)):
        abort(404)
    learner = None if _is_staff() else current_learner()
    may_enrol = learner is not None and audience.open_to(view.program, learner)
    enrolled = learner is not None and pk(view.program) in audience.enrolled_ids(session, learner)
    parent = view.parent
    show_parent = parent is not None and (
        learner is None or audience.sees(session, learner, parent)
    )
    hidden = 0
    if learner is not None:  # a department's own modules are for its audience (ownership.py)
        lines = ownership.audience_lines(session, learner, view.program)
        hidden = catalog.hide_others_modules(view, lines)
    return render_template(
        "learner/program.html",
        view=view,
        hidden=hidden,
        may_enrol=may_enrol,
        enrolled=enrolled,
        show_parent=show_parent,
        form=EnrolForm(),
    )


@bp.route("/programs/<slug>/v<int:version>/enrol", methods=["POST"])
@login_required
def self_enrol(slug: str, version: int) -> WerkzeugResponse:
    """Enrol oneself in a version open to one's audience; on to its path and placement offer.

    The CSRF token is checked by CSRFProtect before the view, as for every POST.
    """
    session, learner = get_session(), current_learner()
    program = drafts.find(session, slug, version)
    if program is None or not audience.open_to(program, learner):
        abort(404)
    enrollment, _ = enrolment.enrol(session, learner, program, "self")  # open_to: no refusal
    session.commit()
    flash(f"You are enrolled in {program.title}.")
    return redirect(url_for("learner.show_path", enrollment_id=pk(enrollment)))
