"""Login and logout views."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from learnpath.auth import remember
from learnpath.db import get_session
from learnpath.models import User
from learnpath.services.accounts.lockout import sign_in
from learnpath.vocabulary import utcnow

bp = Blueprint("auth", __name__, url_prefix="/auth")


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this device")


class LogoutForm(FlaskForm):
    """Logout is a POST with a CSRF token, so another site cannot log a user out."""


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | WerkzeugResponse:
    """Show the login form; on valid credentials start a session and go where asked."""
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        outcome = sign_in(session, form.email.data or "", form.password.data or "", utcnow())
        if not isinstance(outcome, User):
            session.commit()  # the failure counts
            form.password.errors = [str(outcome or "Unknown email or wrong password.")]
        else:
            if form.remember.data:
                remember.remember(outcome)
            session.commit()
            login_user(outcome)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> WerkzeugResponse:
    """End the session."""
    if LogoutForm().validate_on_submit():
        remember.forget()
        get_session().commit()
        logout_user()
        flash("You are logged out.")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("learner.home")
