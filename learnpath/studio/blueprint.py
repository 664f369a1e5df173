"""The studio blueprint (people admin nested in it): every request passes the role guard.

Every write a studio request makes is recorded in the audit log under the logged-in user
(services/audit): views and services need not do anything for it.
"""

from flask import Blueprint, render_template, request
from flask_login import current_user
from werkzeug.exceptions import Forbidden

from learnpath.db import get_session
from learnpath.services import audit
from learnpath.services.catalog.derivation import sets_placement
from learnpath.studio.access import admin_guard, can_author, guard, is_admin, may_edit
from learnpath.studio.views.lists import url_with

bp = Blueprint("studio", __name__, url_prefix="/studio")
bp.before_request(guard)
people = Blueprint("people", __name__, url_prefix="/people")
"""People admin: users and departments (endpoints `studio.people.*`), for admins only."""
people.before_request(admin_guard)  # runs after the studio's guard: visitors log in first
bp.register_blueprint(people)


@bp.before_request
def _audit_as_current_user() -> None:
    """Record this request's writes under the logged-in user (the guard has let them in)."""
    audit.set_actor(get_session(), current_actor())


def current_actor() -> audit.Actor:
    """The logged-in user as a job or audit entry names them."""
    return audit.Actor(int(current_user.id), str(current_user.name), request_origin())


def request_origin() -> str:
    """Where a write came from, as the audit log shows it: method and path."""
    return f"{request.method} {request.path}"


@bp.app_context_processor
def _studio_globals() -> dict[str, object]:
    return {
        "can_author": can_author,
        "is_admin": is_admin,
        "may_edit": may_edit,
        "sets_placement": sets_placement,
        "url_with": url_with,
    }


@bp.errorhandler(403)
def forbidden(exc: Forbidden) -> tuple[str, int]:
    """A page in the product's look that says why, instead of a bare error or a redirect."""
    return render_template("studio/forbidden.html", reason=exc.description), 403
