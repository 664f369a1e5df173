"""Module pages: a module's lesson, its place in the plan, what the learner's level says of it.

Pages compute the plan on read (`trajectory.view`) and write nothing; Start and Mark as
completed are the events that store it (`trajectory.replan`).
"""

from pathlib import Path
from typing import TypeVar

from flask import abort, current_app, redirect, render_template, send_file, url_for
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.learner.forms import CompleteForm, errors_of
from learnpath.learner.paths import enrollment_or_404
from learnpath.learner.views import back_to, bp, say
from learnpath.models import Competency, CompetencyLevel, Module, Program, TrajectoryStep
from learnpath.services.catalog import media, ownership
from learnpath.services.catalog.media import VideoRef
from learnpath.services.learning import study, trajectory
from learnpath.vocabulary import utcnow

Step = TypeVar("Step", TrajectoryStep, trajectory.ShownStep)


@bp.route("/path/<int:enrollment_id>/modules/<slug>")
@login_required
def show_module(enrollment_id: int, slug: str) -> str:
    """A module's lesson, its place in the trajectory, and the start and completion forms."""
    session = get_session()
    current = trajectory.view(session, enrollment_or_404(session, enrollment_id))
    module, step = _module_step(current, slug)
    form = CompleteForm(minutes=study.measured_minutes(current, module, utcnow()))
    return render_template(
        "learner/module.html",
        competency=session.get(Competency, module.competency_id),
        level=session.get(CompetencyLevel, (current.enrollment.learner_id, module.competency_id)),
        t=current,
        module=module,
        step=step,
        blockers=current.blockers(step),
        form=form,
        video=VideoRef.parse(module.video_url),
    )


@bp.route("/path/<int:enrollment_id>/modules/<slug>/video")
@login_required
def module_video(enrollment_id: int, slug: str) -> WerkzeugResponse:
    """The module's video file, to whoever may see the module's page (Range requests: 206)."""
    return _media_file(enrollment_id, slug, captions=False)


@bp.route("/path/<int:enrollment_id>/modules/<slug>/captions")
@login_required
def module_captions(enrollment_id: int, slug: str) -> WerkzeugResponse:
    """The captions (WebVTT) of the module's video file, to whoever may see the module's page."""
    return _media_file(enrollment_id, slug, captions=True)


def _media_file(enrollment_id: int, slug: str, captions: bool) -> WerkzeugResponse:
    """A media file of a module of the learner's trajectory, from MEDIA_DIR; 404 for any other.

    The same checks as the module's page (the learner's own enrollment, a module of its plan,
    not another line's own), so a file is no easier to reach than the page that shows it.
    """
    session = get_session()
    current = trajectory.view(session, enrollment_or_404(session, enrollment_id))
    module, _ = _module_step(current, slug)
    ref = VideoRef.parse(module.video_url)
    path = ref.captions if captions else ref.video if ref.is_file else ""
    found = media.in_media(Path(current_app.config["MEDIA_DIR"]), path) if path else None
    if found is None:
        abort(404)
    types = media.CAPTION_TYPES if captions else media.VIDEO_TYPES
    response = send_file(
        found, mimetype=types[found.suffix.lower()], conditional=True, max_age=3600
    )
    response.cache_control.public = False  # the learner's own: never in a shared cache
    response.cache_control.private = True
    return response


@bp.route("/path/<int:enrollment_id>/modules/<slug>/start", methods=["POST"])
@login_required
def start_module(enrollment_id: int, slug: str) -> WerkzeugResponse:
    """Start studying an unlocked module: its start time is kept, to measure the time spent."""
    session = get_session()
    current = trajectory.replan(session, enrollment_or_404(session, enrollment_id))
    module, step = _module_step(current, slug)
    blockers = current.blockers(step)
    if blockers:
        session.rollback()
        names = ", ".join(f"“{b.title}”" for b in blockers)
        say(f"Not started: “{module.title}” is locked until you complete {names}.", ok=False)
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
    enrollment = enrollment_or_404(session, enrollment_id)
    current = trajectory.replan(session, enrollment)
    module = _module_of(current, slug)
    form = CompleteForm()
    back = {"endpoint": "learner.show_module", "anchor": "complete", "slug": slug}
    if not form.validate_on_submit():
        say("Not marked complete: " + "; ".join(errors_of(form)), ok=False, anchor="complete")
        return back_to(enrollment_id=enrollment_id, **back)
    try:
        study.complete(session, current, module, form.minutes.data or 0, utcnow())
    except trajectory.TrajectoryError as exc:
        session.rollback()
        # The form is not on the page of a module that cannot be completed: said at the top.
        say(f"Not marked complete: {exc}.", ok=False)
        return back_to("learner.show_module", enrollment_id=enrollment_id, slug=slug)
    session.commit()
    say(f"“{module.title}” completed.", anchor=f"step-{slug}")
    return back_to("learner.show_path", f"step-{slug}", enrollment_id=enrollment_id)
