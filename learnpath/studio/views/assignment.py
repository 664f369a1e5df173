"""Assigning a published version: choose whom (person, department, role, team, CSV), preview, enrol.

Every step is read anew on the server: the preview resolves the selection, and the confirm
resolves it again (the browser sends back the selection, never a list of learners). If what it
finds differs from what the preview showed, the new preview is shown instead of enrolling.
"""

from flask import flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.forms import upload_limit
from learnpath.models import Program
from learnpath.services.catalog import browse
from learnpath.services.learning import assignment, roster
from learnpath.studio.blueprint import bp
from learnpath.studio.forms import choices
from learnpath.studio.forms.assignment import AssignForm, ConfirmForm
from learnpath.studio.views.common import program_or_404

# An upload may be as large as a roster may be, plus room for the rest of the form.
UPLOAD_LIMIT = roster.MAX_BYTES + 64 * 1024


@bp.route("/assign")
def assign_index() -> str:
    """Assign: the published versions, each with its Assign and Learners links."""
    rows = [r for r in browse.list_programs(get_session()) if r.program.status == "published"]
    return render_template("studio/assign_index.html", rows=rows)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_exc: RequestEntityTooLarge) -> tuple[str, int]:
    """An upload over the limit: say so in words, not a bare 413."""
    limit = (request.max_content_length or 0) // (1024 * 1024)
    message = f"The upload is larger than {limit} MB: nothing was read or written."
    return render_template("studio/forbidden.html", reason=message), 413


def _published_or_back(program: Program) -> WerkzeugResponse | None:
    """Only a published version takes learners: otherwise back to its page, with the reason."""
    if program.status == "published":
        return None
    flash(f"Only a published version takes learners; this one is {program.status}.")
    return redirect(url_for("studio.show_program", slug=program.slug, version=program.version))


@bp.route("/programs/<slug>/v<int:version>/assign", methods=["GET", "POST"])
@upload_limit(UPLOAD_LIMIT)
def assign(slug: str, version: int) -> str | WerkzeugResponse | tuple[str, int]:
    """The assignment form (GET); its preview (POST), before anything is written."""
    program = program_or_404(slug, version)
    back = _published_or_back(program)
    if back:
        return back
    form = AssignForm()
    _fill_choices(form)
    if form.validate_on_submit():
        selection = _selection(form)
        if selection is not None:
            due = form.due.data.isoformat() if form.due.data else ""
            return _preview(program, selection, due)
    status = 422 if form.is_submitted() else 200
    return render_template("studio/assign.html", program=program, form=form), status


def _fill_choices(form: AssignForm) -> None:
    named = assignment.choices(get_session())
    form.department.choices = choices(named["department"])
    form.role.choices = choices(named["role"])
    form.team.choices = choices(named["team"])


def _selection(form: AssignForm) -> assignment.Selection | None:
    """The selection the form names, or None with the reasons beside the fields."""
    if form.how.data != "csv":
        if not form.value().strip():
            form.person.errors = ["Type an e-mail address or an external id."]
            return None
        return assignment.Selection(form.how.data, form.value())
    upload = form.roster.data
    if upload is None or not getattr(upload, "filename", ""):
        form.roster.errors = ["Choose a CSV file."]
        return None
    read = roster.read(upload.read(roster.MAX_BYTES + 1))
    if read.problems:
        form.roster.errors = ["Nothing was enrolled; fix the file and upload it again."]
        form.roster.errors += read.problems
        return None
    # The roster decoded: it goes back with the preview's Enrol button, to be read again.
    upload.stream.seek(0)
    return assignment.Selection("csv", roster_text=upload.read().decode("utf-8-sig"))


def _preview(program: Program, selection: assignment.Selection, due: str, note: str = "") -> str:
    """The preview page with its Enrol button (the selection and due date travel with it)."""
    found = assignment.preview(get_session(), program, selection)
    form = ConfirmForm(
        formdata=None,
        how=selection.kind,
        value=selection.value,
        roster_text=selection.roster_text,
        due=due,
        fingerprint=found.fingerprint,
    )
    return render_template(
        "studio/assign_preview.html", program=program, p=found, form=form, due=due, note=note
    )


@bp.route("/programs/<slug>/v<int:version>/assign/confirm", methods=["POST"])
@upload_limit(UPLOAD_LIMIT)  # the roster travels back in a hidden field
def confirm_assign(slug: str, version: int) -> str | WerkzeugResponse:
    """Enrol everyone the selection names now, in one transaction; unchanged ones stay."""
    program = program_or_404(slug, version)
    back = _published_or_back(program)
    if back:
        return back
    form = ConfirmForm()
    learners = url_for("studio.program_learners", slug=slug, version=version)
    if not form.validate_on_submit():
        flash("Nothing was enrolled: the form was incomplete or expired. Please start again.")
        return redirect(url_for("studio.assign", slug=slug, version=version))
    selection = assignment.Selection(form.how.data, form.value.data, form.roster_text.data)
    session = get_session()
    try:
        if assignment.preview(session, program, selection).fingerprint != form.fingerprint.data:
            note = "Who would be enrolled changed since the preview: here it is again."
            return _preview(program, selection, form.due.data, note)
        found, changed = assignment.confirm(session, program, selection, form.due_at())
        session.commit()
    except assignment.SelectionError as error:
        session.rollback()
        flash("Nothing was enrolled: " + "; ".join(error.problems))
        return redirect(url_for("studio.assign", slug=slug, version=version))
    flash(f"Enrolled {changed} learner(s); {len(found.already)} were already enrolled.")
    return redirect(learners)
