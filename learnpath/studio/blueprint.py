"""The studio blueprint: every request passes the role guard; 403 answers with a page."""

from flask import Blueprint, render_template
from werkzeug.exceptions import Forbidden

from learnpath.services.catalog.derivation import sets_placement
from learnpath.studio.access import can_author, guard, may_edit
from learnpath.studio.views.lists import url_with

bp = Blueprint("studio", __name__, url_prefix="/studio")
bp.before_request(guard)


@bp.app_context_processor
def _studio_globals() -> dict[str, object]:
    return {
        "can_author": can_author,
        "may_edit": may_edit,
        "sets_placement": sets_placement,
        "url_with": url_with,
    }


@bp.errorhandler(403)
def forbidden(exc: Forbidden) -> tuple[str, int]:
    """A page in the product's look that says why, instead of a bare error or a redirect."""
    return render_template("studio/forbidden.html", reason=exc.description), 403
