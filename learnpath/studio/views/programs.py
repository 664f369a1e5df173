"""Program pages of the studio: overview of a version."""

from flask import abort, render_template

from learnpath.db import get_session
from learnpath.services.catalog import browse
from learnpath.studio.views import bp


@bp.route("/programs/<slug>/v<int:version>")
def show_program(slug: str, version: int) -> str:
    """A program version as its authors see it: settings, modules, derivation."""
    view = browse.program_view(get_session(), slug, version)
    if view is None:
        abort(404)
    return render_template("studio/program.html", view=view)
