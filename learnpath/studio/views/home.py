"""Studio home and the programs list."""

from flask import render_template

from learnpath.db import get_session
from learnpath.services.catalog import listing
from learnpath.studio.blueprint import bp
from learnpath.studio.forms.programs import ProgramFilterForm


@bp.route("/")
def home() -> str:
    """Drafts being edited and programs that need attention."""
    session = get_session()
    return render_template(
        "studio/home.html",
        drafts=listing.drafts(session),
        attention=listing.needing_attention(session),
    )


@bp.route("/programs")
def list_programs() -> str:
    """Every program version with depth, audience, status, version and learners; filterable."""
    form = ProgramFilterForm()
    rows = listing.list_programs(get_session(), *form.filters())
    return render_template("studio/programs.html", rows=rows, form=form)
