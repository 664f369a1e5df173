"""Background jobs in the studio: one page per job (progress, result, error), the admins' list."""

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Job
from learnpath.services import jobs
from learnpath.studio.access import admin_only, authoring
from learnpath.studio.blueprint import bp, current_actor
from learnpath.studio.forms.programs import RevisionForm
from learnpath.studio.views.common import save

REFRESH_SECONDS = 2
"""How often a queued or running job's page reloads itself (meta refresh, no JS needed)."""


def _job_or_404(job_id: int) -> Job:
    job = jobs.get(get_session(), job_id)
    if job is None:
        abort(404)
    return job


@bp.route("/jobs/<int:job_id>")
def show_job(job_id: int) -> str:
    """A job's status and progress (reloading while it runs), then its result or error."""
    job = _job_or_404(job_id)
    status = jobs.shown_status(job)
    return render_template(
        "studio/job.html",
        job=job,
        status=status,
        stalled=jobs.stalled(job),
        refresh=REFRESH_SECONDS if status in ("queued", "running") else None,
        form=RevisionForm(formdata=None),
    )


@bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@authoring
def retry_job(job_id: int) -> WerkzeugResponse:
    """Queue a failed job again (same kind, subject and arguments); show the new one."""
    job = _job_or_404(job_id)
    if not RevisionForm().validate_on_submit():
        abort(400)
    try:
        again = save(Job, None, lambda: jobs.retry(get_session(), job, current_actor()))
    except jobs.JobRunning as running:
        flash(f"Not retried: {running}.")
        return redirect(url_for("studio.show_job", job_id=running.job_id))
    except ValueError as error:
        flash(f"Not retried: {error}.")
        return redirect(url_for("studio.show_job", job_id=job_id))
    return redirect(url_for("studio.show_job", job_id=again.id))


@bp.route("/jobs")
@admin_only
def list_jobs() -> str:
    """Every job, newest first (admins)."""
    rows = jobs.recent(get_session())
    return render_template("studio/jobs.html", rows=[(job, jobs.shown_status(job)) for job in rows])
