"""Item calibration in the studio: queue a calibration, preview a parameter set, activate it.

Calibrate queues the `calibrate` job (the same work as `flask calibrate`, run by the worker);
its page shows progress and the new version. A version is previewed (learners whose band would
change, the largest θ change, the items that moved most, old vs new a and b as SVG) before it is
activated; activating an earlier version is the rollback. Authors and admins only.
"""

from flask import abort, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Competency, ItemParameterSet
from learnpath.services import jobs
from learnpath.services.catalog import activation
from learnpath.services.catalog.banks import BankError
from learnpath.studio.access import authoring
from learnpath.studio.blueprint import bp, current_actor
from learnpath.studio.charts import scatter
from learnpath.studio.forms.calibration import CalibrateForm
from learnpath.studio.forms.programs import RevisionForm
from learnpath.studio.views.common import save
from learnpath.studio.views.competencies import competency_or_404


def _to_competency(competency: Competency) -> WerkzeugResponse:
    return redirect(url_for("studio.show_competency", slug=competency.slug, _anchor="calibration"))


@bp.route("/competencies/<slug>/calibrate", methods=["POST"])
@authoring
def calibrate(slug: str) -> WerkzeugResponse:
    """Queue a calibration of the competency; show its job (or say which one is running)."""
    competency = competency_or_404(slug)
    form = CalibrateForm()
    if not form.validate_on_submit():
        for field, messages in form.errors.items():
            flash(f"Not calibrated: {getattr(form, field).label.text}: {' '.join(messages)}")
        return _to_competency(competency)
    try:
        job = save(
            ItemParameterSet,
            None,
            lambda: jobs.enqueue(
                get_session(),
                "calibrate",
                competency.slug,
                current_actor(),
                f"Calibrate {competency.name}",
                slug=competency.slug,
                min_responses=form.min_responses.data,
                seed=form.seed.data,
                epochs=current_app.config.get("CALIBRATION_EPOCHS"),
            ),
        )
    except jobs.JobRunning as running:
        flash(
            f"Not calibrated: a calibration of {competency.name} is already running as job "
            f"{running.job_id}; this is its page."
        )
        return redirect(url_for("studio.show_job", job_id=running.job_id))
    flash(f"Calibrating {competency.name} runs as job {job.id}; this page shows its progress.")
    return redirect(url_for("studio.show_job", job_id=job.id))


@bp.route("/competencies/<slug>/parameter-sets/<int:version>")
@authoring
def preview_parameter_set(slug: str, version: int) -> str:
    """What activating this version would change, with old vs new a and b plotted."""
    competency = competency_or_404(slug)
    try:
        found = activation.preview(get_session(), competency, version)
    except BankError:
        abort(404)
    moves = found.items
    return render_template(
        "studio/parameter_set.html",
        competency=competency,
        preview=found,
        charts=[
            scatter("a", [(m.slug, m.a_old, m.a_new) for m in moves]),
            scatter("b", [(m.slug, m.b_old, m.b_new) for m in moves]),
        ],
        form=RevisionForm(formdata=None),
    )


@bp.route("/competencies/<slug>/parameter-sets/<int:version>/activate", methods=["POST"])
@authoring
def activate_parameter_set(slug: str, version: int) -> WerkzeugResponse:
    """Make this version the active set (activation or rollback) and re-score the learners."""
    competency = competency_or_404(slug)
    if not RevisionForm().validate_on_submit():
        abort(400)
    try:
        done = save(
            ItemParameterSet,
            None,
            lambda: activation.activate_and_rescore(get_session(), competency, version),
        )
    except BankError as error:
        flash(f"Not activated: {error}.")
        return _to_competency(competency)
    flash(
        f"Version {version} of {competency.name} is active: {done.learners} learners' levels "
        f"re-scored, {done.band_changes} changed band."
    )
    return _to_competency(competency)
