"""Versions across programs: take in the parent's new version; move learners to a new version."""

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Program
from learnpath.services import jobs
from learnpath.services.catalog import takein
from learnpath.services.catalog.authoring import Conflict, Invalid
from learnpath.services.learning import versions
from learnpath.studio.access import authoring, require_editor
from learnpath.studio.blueprint import bp, current_actor
from learnpath.studio.forms.derived import MoveForm
from learnpath.studio.forms.programs import RevisionForm
from learnpath.studio.views.common import program_or_404, refused, save, user_name


def _to_program(program: Program) -> WerkzeugResponse:
    return redirect(url_for("studio.show_program", slug=program.slug, version=program.version))


def _choices() -> dict[str, str]:
    """The author's resolutions: each conflict's radio group is named choice:<key>."""
    return {
        name.removeprefix("choice:"): value
        for name, value in request.values.items()
        if name.startswith("choice:")
    }


@bp.route("/programs/<slug>/v<int:version>/take-in", methods=["GET", "POST"])
def take_in(slug: str, version: int) -> str | WerkzeugResponse:
    """Preview the merge with the parent's newest version (GET); write it as a draft (POST)."""
    program = program_or_404(slug, version)
    require_editor(program.depth)
    form = RevisionForm()
    resolutions = _choices()
    if form.validate_on_submit():
        try:
            draft = save(
                Program,
                program.id,
                lambda: takein.take_in(
                    get_session(),
                    program,
                    user_name(),
                    form.revision.data,
                    resolutions,
                    request.form.get("theirs", type=int),
                ),
            )
        except (Invalid, Conflict) as error:
            refused(error)
        else:
            flash(f"Took in the parent's changes: draft v{draft.version} is ready to review.")
            return _to_program(draft)
    try:
        plan = takein.preview_take_in(get_session(), program, resolutions)
    except Invalid as error:
        refused(error)
        return _to_program(program)
    return render_template(
        "studio/take_in.html",
        program=program,
        plan=plan,
        form=RevisionForm(formdata=None, revision=program.revision),
    )


@bp.route("/programs/<slug>/v<int:version>/move-learners", methods=["GET", "POST"])
@authoring
def move_learners(slug: str, version: int) -> str | WerkzeugResponse:
    """Per learner, what moving to this version changes (GET); then move them (POST)."""
    program = program_or_404(slug, version)
    form = MoveForm()
    if form.validate_on_submit():
        if versions.waiting(get_session(), program) > versions.IN_REQUEST_UP_TO:
            return _move_as_job(program, form.fingerprint.data or "")
        try:
            moved = save(
                Program,
                None,
                lambda: versions.move_learners(get_session(), program, form.fingerprint.data or ""),
            )
        except versions.MoveError as error:
            flash(f"Not moved: {error}.")
        else:
            flash(f"Moved {len(moved)} learner(s) to version {program.version}; progress kept.")
            return _to_program(program)
    try:
        preview = versions.preview_move(get_session(), program)
    except versions.MoveError as error:
        flash(f"Not moved: {error}.")
        return _to_program(program)
    form.fingerprint.data = preview.fingerprint
    return render_template("studio/move_learners.html", program=program, preview=preview, form=form)


def _move_as_job(program: Program, fingerprint: str) -> WerkzeugResponse:
    """Many learners: the move runs as a job; show its page (or the one already running)."""
    subject = f"{program.slug} v{program.version}"
    try:
        job = save(
            Program,
            None,
            lambda: jobs.enqueue(
                get_session(),
                "move-learners",
                subject,
                current_actor(),
                f"Move learners to {subject}",
                slug=program.slug,
                version=program.version,
                fingerprint=fingerprint,
            ),
        )
    except jobs.JobRunning as running:
        flash(f"Not moved: {running}.")
        return redirect(url_for("studio.show_job", job_id=running.job_id))
    flash(f"Moving the learners runs as job {job.id}; this page shows its progress.")
    return redirect(url_for("studio.show_job", job_id=job.id))
