"""The set-password page an invite link opens: choose a password once, then log in."""

from flask import flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from learnpath.auth.views import bp
from learnpath.db import get_session
from learnpath.services.accounts import invites
from learnpath.services.accounts.users import MIN_PASSWORD, AccountError
from learnpath.vocabulary import utcnow

GONE = {"unknown": 404, "used": 410, "expired": 410, "inactive": 410}


class SetPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)],
        description=f"At least {MIN_PASSWORD} characters.",
    )
    again = PasswordField(
        "The same password again",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )


@bp.route("/invite/<token>", methods=["GET", "POST"])
def set_password(token: str) -> tuple[str, int, dict[str, str]] | WerkzeugResponse:
    """Show the form for a usable link (or say why it is not); set the password once."""
    session, now = get_session(), utcnow()
    headers = {"Referrer-Policy": "no-referrer"}  # the token is in this page's URL
    try:
        _, user = invites.check(session, token, now)
    except invites.InviteError as error:
        return render_template("auth/invite.html", refusal=str(error)), GONE[error.refusal], headers
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            invites.redeem(session, token, form.password.data or "", now)
            session.commit()
        except invites.InviteError as error:
            session.rollback()
            return render_template("auth/invite.html", refusal=str(error)), 410, headers
        except AccountError as error:
            session.rollback()
            form.password.errors = [str(error).partition(": ")[2]]
        else:
            flash("Your password is set. Log in with your email and the new password.")
            return redirect(url_for("auth.login"))
    return render_template("auth/invite.html", form=form, user=user), 200, headers
