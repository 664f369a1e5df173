"""Trajectory views: my learning, a trajectory with its reasons, adjustments, module pages.

Pages compute plans on read (`trajectory.view`) and write nothing; the POSTs here are the
events that store them (`trajectory.replan`, through adjust, undo, start and complete).
"""

from typing import TypeVar

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlmodel import Session, col, select
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath import planning
from learnpath.db import get_session
from learnpath.learner.forms import (
    AddElectiveForm,
    AdjustForm,
    CompleteForm,
    PaceForm,
    errors_of,
)
from learnpath.learner.views import bp, current_learner
from learnpath.models import Enrollment, Module, Program, ProgramOverlay, TrajectoryStep
from learnpath.services.catalog import facilitation, ownership
from learnpath.services.learning import quiz, study, trajectory
from learnpath.vocabulary import utcnow

Step = TypeVar("Step", TrajectoryStep, trajectory.ShownStep)
# What the learner may add back; a rule's exclusion is L&D policy, refused if asked, not offered.
ADDABLE = {"no_target", "above_target", "dropped"}


def _enrollment(session: Session, enrollment_id: int) -> Enrollment:
    """The learner's own enrollment; anybody else's is a 404."""
    try:
        return trajectory.enrollment_of(session, current_learner().id or 0, enrollment_id)
    except trajectory.TrajectoryError:
        abort(404)


@bp.route("/path")
@login_required
def list_paths() -> str:
    """My learning: every program the learner is enrolled in, with its progress."""
    session, learner = get_session(), current_learner()
    rows = session.exec(
        select(Enrollment, Program)
        .join(Program, Program.id == Enrollment.program_id)  # type: ignore[arg-type]
        .where(Enrollment.learner_id == learner.id, Enrollment.status != "withdrawn")
        .order_by(Program.title)
    ).all()
    paths = [(e, p, trajectory.view(session, e)) for e, p in rows]
    return render_template("learner/paths.html", paths=paths, learner=learner)


@bp.route("/path/<int:enrollment_id>")
@login_required
def show_path(enrollment_id: int) -> tuple[str, int]:
    """The trajectory as a timeline: every step with its reason, date and lock."""
    session = get_session()
    enrollment = _enrollment(session, enrollment_id)
    return _render_path(session, trajectory.view(session, enrollment))


def _render_path(
    session: Session, current: trajectory.Trajectory, status: int = 200
) -> tuple[str, int]:
    """The trajectory page with its forms."""
    enrollment = current.enrollment
    program = session.get(Program, enrollment.program_id)
    add_form = AddElectiveForm()
    add_form.module.choices = [
        (current.module(s).slug, current.module(s).title)
        for s in current.steps
        if s.status == "excluded" and s.reason_code in ADDABLE
    ]
    pace = PaceForm(pace=current.plan.pace_minutes_per_week, due=current.plan.due)
    placement_done = any(
        a.kind == "placement" and a.results is not None
        for a in quiz.attempts_of_enrollment(session, enrollment)
    )
    overlays = session.exec(
        select(ProgramOverlay)
        .where(ProgramOverlay.program_id == enrollment.program_id)
        .where(ProgramOverlay.kind != "note")  # notes are the facilitator's, not the learners'
        .order_by(col(ProgramOverlay.position))
    ).all()
    return render_template(
        "learner/path.html",
        overlays=overlays,
        sessions=facilitation.sessions(session, program) if program else [],
        t=current,
        program=program,
        form=AdjustForm(),
        add_form=add_form,
        pace_form=pace,
        max_pace=PaceForm.MAX_PACE,
        log=trajectory.log(session, enrollment),
        placement_done=placement_done,
        checkpoints=trajectory.checkpoints_due(session, current),
        offers_placement=bool(program and program.placement),
    ), status


@bp.route("/path/<int:enrollment_id>/adjust", methods=["POST"])
@login_required
def adjust_path(enrollment_id: int) -> WerkzeugResponse:
    """Apply one change the learner asked for, or say why the rules refuse it."""
    session = get_session()
    enrollment = _enrollment(session, enrollment_id)
    form = AdjustForm()
    if not form.validate_on_submit():
        flash("That change could not be read: " + "; ".join(errors_of(form)))
        return redirect(url_for("learner.show_path", enrollment_id=enrollment_id))
    change = planning.Adjustment(
        kind=form.kind.data,
        module=form.module.data or None,
        before=form.before.data or None,
        after=form.after.data or None,
    )
    return _apply(session, enrollment, change)


@bp.route("/path/<int:enrollment_id>/electives", methods=["POST"])
@login_required
def add_elective(enrollment_id: int) -> WerkzeugResponse:
    """Add a module from the program's pool."""
    session = get_session()
    enrollment = _enrollment(session, enrollment_id)
    form = AddElectiveForm()
    form.module.choices = [(m.slug, m.title) for m in session.exec(select(Module)).all()]
    if not form.validate_on_submit():
        flash("Choose a module to add: " + "; ".join(errors_of(form)))
        return redirect(url_for("learner.show_path", enrollment_id=enrollment_id))
    return _apply(session, enrollment, planning.Adjustment("add", module=form.module.data))


@bp.route("/path/<int:enrollment_id>/pace", methods=["POST"])
@login_required
def change_pace(enrollment_id: int) -> WerkzeugResponse:
    """Change the weekly time and the target date of this trajectory."""
    session = get_session()
    enrollment = _enrollment(session, enrollment_id)
    form = PaceForm()
    if not form.validate_on_submit():
        flash("Pace and date not changed: " + "; ".join(errors_of(form)))
        return redirect(url_for("learner.show_path", enrollment_id=enrollment_id))
    current = trajectory.replan(session, enrollment)
    changes = []
    if form.pace.data != current.plan.pace_minutes_per_week:
        changes.append(planning.Adjustment("pace", pace_minutes_per_week=form.pace.data))
    if form.due.data != current.plan.due:
        changes.append(planning.Adjustment("due_date", due_date=form.due.data))
    for change in changes:
        outcome = trajectory.adjust(session, enrollment, current_user.id, change)
        if isinstance(outcome, planning.Refusal):
            session.rollback()
            flash(f"Not changed: {outcome.message}")
            return redirect(url_for("learner.show_path", enrollment_id=enrollment_id))
    session.commit()
    flash("Your plan was updated." if changes else "Nothing to change.")
    return redirect(url_for("learner.show_path", enrollment_id=enrollment_id))


@bp.route("/path/<int:enrollment_id>/changes/<int:adjustment_id>/undo", methods=["POST"])
@login_required
def undo_change(enrollment_id: int, adjustment_id: int) -> WerkzeugResponse:
    """Withdraw one of the learner's changes."""
    session = get_session()
    enrollment = _enrollment(session, enrollment_id)
    try:
        trajectory.undo(session, enrollment, adjustment_id)
    except trajectory.TrajectoryError as exc:
        flash(f"Not undone: {exc}.")
        return redirect(url_for("learner.show_path", enrollment_id=enrollment_id))
    session.commit()
    flash("Change withdrawn; your plan was updated.")
    return redirect(url_for("learner.show_path", enrollment_id=enrollment_id))


def _apply(
    session: Session, enrollment: Enrollment, change: planning.Adjustment
) -> WerkzeugResponse:
    """Adjust, commit and say what happened (a refusal says why and changes nothing)."""
    outcome = trajectory.adjust(session, enrollment, current_user.id, change)
    if isinstance(outcome, planning.Refusal):
        session.rollback()
        flash(f"Not changed: {outcome.message}")
    else:
        session.commit()
        flash("Your plan was updated.")
    return redirect(url_for("learner.show_path", enrollment_id=enrollment.id))


@bp.route("/path/<int:enrollment_id>/modules/<slug>")
@login_required
def show_module(enrollment_id: int, slug: str) -> str:
    """A module's lesson, its place in the trajectory, and the start and completion forms."""
    session = get_session()
    current = trajectory.view(session, _enrollment(session, enrollment_id))
    module, step = _module_step(current, slug)
    form = CompleteForm(minutes=study.measured_minutes(current, module, utcnow()))
    return render_template(
        "learner/module.html",
        t=current,
        module=module,
        step=step,
        blockers=current.blockers(step),
        form=form,
    )


@bp.route("/path/<int:enrollment_id>/modules/<slug>/start", methods=["POST"])
@login_required
def start_module(enrollment_id: int, slug: str) -> WerkzeugResponse:
    """Start studying an unlocked module: its start time is kept, to measure the time spent."""
    session = get_session()
    current = trajectory.replan(session, _enrollment(session, enrollment_id))
    module, step = _module_step(current, slug)
    blockers = current.blockers(step)
    if blockers:
        session.rollback()
        names = ", ".join(f"“{b.title}”" for b in blockers)
        flash(f"Not started: “{module.title}” is locked until you complete {names}.")
    elif step.status == "planned":
        trajectory.mark_started(session, step, utcnow())
        session.commit()
    return redirect(url_for("learner.show_module", enrollment_id=enrollment_id, slug=slug))


def _module_step(current: trajectory.Trajectory[Step], slug: str) -> tuple[Module, Step]:
    """A module of the trajectory by slug, with its step; anything else is a 404."""
    module = _module_of(current, slug)
    step = current.step_of(module)
    if step is None:
        abort(404)
    return module, step


def _module_of(current: trajectory.Trajectory[Step], slug: str) -> Module:
    """A module of the trajectory by slug; 404 for any other, and for another line's own one.

    A department-only module is only ever in its deep program's list (the catalog checks
    refuse it elsewhere); the second check keeps it so should a stored plan still name it.
    """
    module = next((m for m in current.modules.values() if m.slug == slug), None)
    if module is None:
        abort(404)
    program = get_session().get(Program, current.enrollment.program_id)
    if not ownership.usable(module.owner, ownership.line_of(get_session(), program)):
        abort(404)
    return module


@bp.route("/path/<int:enrollment_id>/modules/<slug>/complete", methods=["POST"])
@login_required
def complete_module(enrollment_id: int, slug: str) -> WerkzeugResponse:
    """Mark the module completed with the time spent; the trajectory re-plans."""
    session = get_session()
    enrollment = _enrollment(session, enrollment_id)
    current = trajectory.replan(session, enrollment)
    module = _module_of(current, slug)
    form = CompleteForm()
    back = url_for("learner.show_module", enrollment_id=enrollment_id, slug=slug)
    if not form.validate_on_submit():
        flash("Not marked complete: " + "; ".join(errors_of(form)))
        return redirect(back)
    try:
        study.complete(session, current, module, form.minutes.data or 0, utcnow())
    except trajectory.TrajectoryError as exc:
        session.rollback()
        flash(f"Not marked complete: {exc}.")
        return redirect(back)
    session.commit()
    flash(f"“{module.title}” completed.")
    return redirect(url_for("learner.show_path", enrollment_id=enrollment_id))
