"""Competency pages of the studio: list, page with bank health and items, editor."""

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Competency
from learnpath.services import jobs
from learnpath.services.catalog import competency_edits, item_lists, module_lists, ownership
from learnpath.services.catalog.authoring import Conflict, Invalid
from learnpath.services.catalog.banks import BankError, current_parameter_set
from learnpath.services.catalog.paging import Order
from learnpath.services.catalog.parameter_sets import list_sets
from learnpath.services.learning.quiz import exposure
from learnpath.studio.access import authoring
from learnpath.studio.blueprint import bp
from learnpath.studio.forms import choices
from learnpath.studio.forms.calibration import CalibrateForm
from learnpath.studio.forms.catalog import ITEM_STATUSES, CompetencyForm
from learnpath.studio.forms.programs import RevisionForm
from learnpath.studio.views.common import save, show_errors, user_name
from learnpath.studio.views.lists import page_number


def competency_or_404(slug: str) -> Competency:
    """A competency by slug, or 404."""
    competency = competency_edits.find(get_session(), slug)
    if competency is None:
        abort(404)
    return competency


def _active_set(competency: Competency) -> int | None:
    """Version of the parameter set in use (None when the competency has none)."""
    try:
        return current_parameter_set(get_session(), competency).version
    except BankError:
        return None


@bp.route("/competencies")
def list_competencies() -> str:
    """Competencies with their active items and modules."""
    return render_template(
        "studio/competencies.html", rows=competency_edits.list_competencies(get_session())
    )


@bp.route("/competencies/<slug>")
def show_competency(slug: str) -> str:
    """A competency: prerequisites, bank health, items and modules."""
    competency = competency_or_404(slug)
    session = get_session()
    status = request.args.get("status") or None
    modules, _ = module_lists.modules_page(
        session,
        module_lists.ModuleFilter(competency=competency.slug),
        Order("title"),
        page_number("modules_page"),
    )
    return render_template(
        "studio/competency.html",
        competency=competency,
        requires=competency_edits.requires_of(session, competency),
        health=competency_edits.bank_health(session, competency),
        items=item_lists.items_page(session, competency, status, page_number("items_page")),
        status=status,
        statuses=ITEM_STATUSES,
        modules=modules,
        owners=ownership.deep_lines(session),
        parameter_sets=list_sets(session, competency),
        active_set=_active_set(competency),
        calibrating=jobs.running(session, "calibrate", competency.slug),
        calibrate_form=CalibrateForm(formdata=None),
        form=RevisionForm(formdata=None),
        exposure=exposure.exposure_rates(session, competency),
    )


def _edit(competency: Competency | None) -> str | WerkzeugResponse:
    session = get_session()
    form = CompetencyForm(revision=competency.revision if competency else None)
    form.requires.choices = choices(
        (c.slug, c.name)
        for c in competency_edits.all_competencies(session)
        if competency is None or c.id != competency.id
    )
    if competency is not None:
        form.slug.data = competency.slug
        if not form.is_submitted():
            form.name.data, form.description.data = competency.name, competency.description
            form.requires.data = competency_edits.requires_of(session, competency)
    conflict = None
    if form.validate_on_submit():
        try:
            saved = save(
                Competency,
                competency.id if competency else None,
                lambda: competency_edits.save_competency(
                    session, user_name(), form.data_for_service(), competency, form.revision.data
                ),
            )
        except Invalid as error:
            show_errors(form, error, {"id": "slug"})
        except Conflict as error:
            conflict = error
        else:
            return redirect(url_for("studio.show_competency", slug=saved.slug))
    return render_template(
        "studio/competency_edit.html", form=form, competency=competency, conflict=conflict
    )


@bp.route("/competencies/new", methods=["GET", "POST"])
@authoring
def new_competency() -> str | WerkzeugResponse:
    """Add a competency."""
    return _edit(None)


@bp.route("/competencies/<slug>/edit", methods=["GET", "POST"])
@authoring
def edit_competency(slug: str) -> str | WerkzeugResponse:
    """Edit a competency's name, description and prerequisites."""
    return _edit(competency_or_404(slug))
