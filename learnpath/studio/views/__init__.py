"""The studio blueprint and its views, one module per subject."""

from flask import Blueprint, render_template
from werkzeug.exceptions import Forbidden

from learnpath.studio.access import can_author, guard

bp = Blueprint("studio", __name__, url_prefix="/studio")
bp.before_request(guard)


@bp.app_context_processor
def _studio_globals() -> dict[str, object]:
    return {"can_author": can_author}


@bp.errorhandler(403)
def forbidden(exc: Forbidden) -> tuple[str, int]:
    """A page in the product's look that says why, instead of a bare error or a redirect."""
    return render_template("studio/forbidden.html", reason=exc.description), 403


from learnpath.studio.views import (  # noqa: E402, F401  (they attach routes to bp)
    competencies,
    composition,
    home,
    items,
    modules,
    programs,
    rules,
)
