"""The learner's short profile: interests, weekly time, preferred formats; skippable."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.learner.forms import ProfileForm
from learnpath.learner.views import bp, current_learner
from learnpath.services.catalog import browse as catalog
from learnpath.services.learning import trajectory
from learnpath.vocabulary import MODULE_FORMATS, utcnow


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit_profile() -> tuple[str, int] | WerkzeugResponse:
    """Show or save the profile; saved changes are logged and re-plan the learner's plans."""
    session, learner = get_session(), current_learner()
    form = ProfileForm(
        interests=learner.interests,
        pace=learner.pace_minutes_per_week,
        formats=learner.preferred_formats,
    )
    tags = catalog.module_tags(session)
    form.interests.choices = [(t, t.replace("-", " ")) for t in tags]
    form.formats.choices = [(f, f) for f in MODULE_FORMATS]
    if request.method == "POST" and "skip" in request.form:
        learner.onboarded_at = learner.onboarded_at or utcnow()
        session.add(learner)
        session.commit()
        flash("Defaults kept: two hours a week, no preferred topics. Change them here any time.")
        return redirect(url_for("learner.list_paths"))
    if form.validate_on_submit():
        now = utcnow()
        changes = trajectory.change_profile(
            session,
            learner,
            current_user.id,
            now,
            interests=list(form.interests.data or []),
            pace=form.pace.data,
            formats=list(form.formats.data or []),
        )
        learner.onboarded_at = learner.onboarded_at or now
        session.add(learner)
        session.commit()
        flash("Profile saved; your plans were updated." if changes else "Profile saved.")
        return redirect(url_for("learner.list_paths"))
    status = 422 if form.errors else 200
    return render_template("learner/profile.html", form=form, learner=learner), status
