"""Studio home and the programs list."""

from flask import render_template

from learnpath.db import get_session
from learnpath.services.catalog import listing
from learnpath.studio.blueprint import bp
from learnpath.studio.forms.programs import ProgramFilterForm
from learnpath.studio.views.lists import list_order, page_number


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
    """Program versions with depth, audience, status, version, learners: filtered, sorted, paged."""
    form = ProgramFilterForm()
    filters = listing.ProgramFilter(*form.filters(), text=form.q.data or None)
    page, order = listing.programs_page(get_session(), filters, list_order("id"), page_number())
    return render_template("studio/programs.html", page=page, order=order, form=form)
