"""Trajectory views: my learning, a trajectory with its reasons, adjustments, module pages.

Pages compute plans on read (`trajectory.view`) and write nothing; the POSTs here are the
events that store them (`trajectory.replan`, through adjust, undo, start and complete).
"""

from typing import TypeVar

from flask import abort, current_app, render_template
from flask_login import current_user, login_required
from sqlmodel import Session, col, select
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath import planning
from learnpath.db import get_session
from learnpath.learner.forms import (
    AddElectiveForm,
    AdjustForm,
    PaceForm,
    StartQuizForm,
    errors_of,
)
from learnpath.learner.views import back_to, bp, current_learner, say
from learnpath.models import (
    CompetencyLevel,
    Enrollment,
    Module,
    Program,
    ProgramOverlay,
    TrajectoryStep,
)
from learnpath.models.base import pk
from learnpath.services.catalog import facilitation
from learnpath.services.learning import idle, quiz, quiz_rules, results, trajectory

Step = TypeVar("Step", TrajectoryStep, trajectory.ShownStep)
# What the learner may add back; a rule's exclusion is L&D policy, refused if asked, not offered.
ADDABLE = {"no_target", "above_target", "dropped"}


def enrollment_or_404(session: Session, enrollment_id: int) -> Enrollment:
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
    minutes = float(current_app.config["ATTEMPT_IDLE_MINUTES"])
    unfinished = [
        a
        for a in results.history(session, pk(learner))
        if a.status == "active" and not idle.is_idle(a, minutes)
    ]
    return render_template(
        "learner/paths.html",
        paths=paths,
        learner=learner,
        next_up=[(e, p, t, step) for e, p, t in paths if (step := next_step(t))],
        unfinished=unfinished,
        form=StartQuizForm(),
    )


def next_step(current: trajectory.Trajectory[Step]) -> Step | None:
    """The first planned step the learner can study now (none locks it), if any."""
    return next(
        (s for s in current.steps if s.status == "planned" and not current.blockers(s)), None
    )


@bp.route("/path/<int:enrollment_id>")
@login_required
def show_path(enrollment_id: int) -> tuple[str, int]:
    """The trajectory as a timeline: every step with its reason, date and lock."""
    session = get_session()
    enrollment = enrollment_or_404(session, enrollment_id)
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
    measured = {
        level.competency_id
        for level in session.exec(
            select(CompetencyLevel).where(CompetencyLevel.learner_id == enrollment.learner_id)
        )
    }
    placement_competencies = (
        quiz_rules.placement_competencies(session, program) if program and program.placement else []
    )
    return render_template(
        "learner/path.html",
        measured=measured,
        placement_competencies=placement_competencies,
        placement_size=quiz_rules.placement_size(program, len(placement_competencies))
        if program
        else (0, 0),
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
    enrollment = enrollment_or_404(session, enrollment_id)
    form = AdjustForm()
    if not form.validate_on_submit():
        say("That change could not be read: " + "; ".join(errors_of(form)), ok=False)
        return back_to("learner.show_path", enrollment_id=enrollment_id)
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
    enrollment = enrollment_or_404(session, enrollment_id)
    form = AddElectiveForm()
    form.module.choices = [(m.slug, m.title) for m in session.exec(select(Module)).all()]
    if not form.validate_on_submit():
        say("Choose a module to add: " + "; ".join(errors_of(form)), ok=False, anchor="add")
        return back_to("learner.show_path", "add", enrollment_id=enrollment_id)
    return _apply(session, enrollment, planning.Adjustment("add", module=form.module.data))


@bp.route("/path/<int:enrollment_id>/pace", methods=["POST"])
@login_required
def change_pace(enrollment_id: int) -> WerkzeugResponse:
    """Change the weekly time and the target date of this trajectory."""
    session = get_session()
    enrollment = enrollment_or_404(session, enrollment_id)
    form = PaceForm()
    if not form.validate_on_submit():
        say("Pace and date not changed: " + "; ".join(errors_of(form)), ok=False, anchor="pace")
        return back_to("learner.show_path", "pace", enrollment_id=enrollment_id)
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
            say(f"Not changed: {outcome.message}", ok=False, anchor="pace")
            return back_to("learner.show_path", "pace", enrollment_id=enrollment_id)
    session.commit()
    say("Your plan was updated." if changes else "Nothing to change.", anchor="pace")
    return back_to("learner.show_path", "pace", enrollment_id=enrollment_id)


@bp.route("/path/<int:enrollment_id>/changes/<int:adjustment_id>/undo", methods=["POST"])
@login_required
def undo_change(enrollment_id: int, adjustment_id: int) -> WerkzeugResponse:
    """Withdraw one of the learner's changes."""
    session = get_session()
    enrollment = enrollment_or_404(session, enrollment_id)
    try:
        trajectory.undo(session, enrollment, adjustment_id)
    except trajectory.TrajectoryError as exc:
        say(f"Not undone: {exc}.", ok=False, anchor="changes")
        return back_to("learner.show_path", "changes", enrollment_id=enrollment_id)
    session.commit()
    say("Change withdrawn; your plan was updated.", anchor="changes")
    return back_to("learner.show_path", "changes", enrollment_id=enrollment_id)


def _apply(
    session: Session, enrollment: Enrollment, change: planning.Adjustment
) -> WerkzeugResponse:
    """Adjust, commit and say what happened (a refusal says why and changes nothing)."""
    outcome = trajectory.adjust(session, enrollment, current_user.id, change)
    anchor = f"step-{change.module}" if change.module else ""
    if isinstance(outcome, planning.Refusal):
        session.rollback()
        say(f"Not changed: {outcome.message}", ok=False, anchor=anchor)
    else:
        session.commit()
        say("Your plan was updated.", anchor=anchor)
    return back_to("learner.show_path", anchor, enrollment_id=enrollment.id)
