"""A version's learners: due dates one by one or for the whole cohort, withdraw, enrol again,
and who may enrol themselves.

A facilitator's cohort is a facilitated (depth 2) version with its sessions: its learners are
the cohort, so the bulk due date here is the cohort's. Withdrawing keeps the enrollment's
history; enrolling again continues where it stopped.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Enrollment, Learner, Program
from learnpath.routing import id_or_none
from learnpath.services.learning import audience, cohorts, enrolment
from learnpath.studio.blueprint import bp
from learnpath.studio.forms.assignment import ActionForm, DueForm, SelfEnrolForm, end_of_day
from learnpath.studio.views.common import program_or_404, user_name


def _back(program: Program) -> WerkzeugResponse:
    return redirect(url_for("studio.program_learners", slug=program.slug, version=program.version))


def _page(
    program: Program, open_form: SelfEnrolForm | None = None, status: int = 200
) -> tuple[str, int]:
    form = open_form or SelfEnrolForm(
        formdata=None, audience=program.self_enrol, name=program.self_enrol_name
    )
    number = request.args.get("page", "1")
    shown = cohorts.page_of(get_session(), program, id_or_none(number) or 1)
    return render_template(
        "studio/learners.html",
        program=program,
        members=shown.rows,
        shown=shown,
        open_form=form,
        due_form=DueForm(formdata=None),
        action=ActionForm(),
    ), status


@bp.route("/programs/<slug>/v<int:version>/learners")
def program_learners(slug: str, version: int) -> tuple[str, int]:
    """Everyone enrolled in the version (withdrawn ones too), with their status and due date."""
    return _page(program_or_404(slug, version))


def _enrollment(program: Program, enrollment_id: int) -> Enrollment:
    found = cohorts.member(get_session(), program, enrollment_id)
    if found is None:
        abort(404)
    return found


@bp.route("/programs/<slug>/v<int:version>/learners/<int:enrollment_id>/due", methods=["POST"])
def set_due(slug: str, version: int, enrollment_id: int) -> WerkzeugResponse:
    """Change one enrollment's due date (empty: no due date)."""
    program = program_or_404(slug, version)
    enrollment = _enrollment(program, enrollment_id)
    form = DueForm()
    if form.validate_on_submit():
        enrolment.set_due(get_session(), [enrollment], end_of_day(form.due.data))
        get_session().commit()
        flash("Due date saved.")
    else:
        flash("Not saved: give a date as YYYY-MM-DD.")
    return _back(program)


@bp.route("/programs/<slug>/v<int:version>/learners/due", methods=["POST"])
def set_cohort_due(slug: str, version: int) -> WerkzeugResponse:
    """One due date for every open enrollment of the version (the cohort)."""
    program = program_or_404(slug, version)
    form = DueForm()
    if form.validate_on_submit():
        members = cohorts.members(get_session(), program, withdrawn=False)
        open_ones = [m.enrollment for m in members if m.enrollment.status != "completed"]
        changed = enrolment.set_due(get_session(), open_ones, end_of_day(form.due.data))
        get_session().commit()
        flash(f"Due date set for {changed} learner(s).")
    else:
        flash("Not saved: give a date as YYYY-MM-DD.")
    return _back(program)


@bp.route("/programs/<slug>/v<int:version>/learners/<int:enrollment_id>/withdraw", methods=["POST"])
def withdraw(slug: str, version: int, enrollment_id: int) -> WerkzeugResponse:
    """Unenrol one learner: withdrawn, with progress and answers kept."""
    program = program_or_404(slug, version)
    enrollment = _enrollment(program, enrollment_id)
    if ActionForm().validate_on_submit():
        if enrolment.withdraw(get_session(), enrollment):
            get_session().commit()
            flash("Withdrawn; the progress is kept for the record and for a later return.")
        else:
            flash(f"Not withdrawn: the enrollment is {enrollment.status}.")
    return _back(program)


@bp.route("/programs/<slug>/v<int:version>/learners/<int:enrollment_id>/enrol", methods=["POST"])
def enrol_again(slug: str, version: int, enrollment_id: int) -> WerkzeugResponse:
    """Enrol a withdrawn learner again: they continue where they stopped."""
    program = program_or_404(slug, version)
    enrollment = _enrollment(program, enrollment_id)
    session = get_session()
    learner = session.get(Learner, enrollment.learner_id)
    if ActionForm().validate_on_submit() and learner is not None:
        try:
            _, change = enrolment.enrol(session, learner, program, enrollment.source)
        except enrolment.EnrolmentError as error:
            flash(f"Not enrolled: {error.message}.")
        else:
            session.commit()
            done = change == "reopened"
            flash("Enrolled again." if done else "Already enrolled: nothing changed.")
    return _back(program)


@bp.route("/programs/<slug>/v<int:version>/self-enrol", methods=["POST"])
def set_self_enrol(slug: str, version: int) -> WerkzeugResponse | tuple[str, int]:
    """Open the version to self-enrolment for everyone, a department or a role; or close it."""
    program = program_or_404(slug, version)
    form = SelfEnrolForm()
    if form.validate_on_submit():
        try:
            audience.set_self_enrol(program, form.audience.data, form.name.data or "", user_name())
        except audience.AudienceError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            get_session().add(program)
            get_session().commit()
            flash("Self-enrolment saved.")
            return _back(program)
    return _page(program, form, 422)
