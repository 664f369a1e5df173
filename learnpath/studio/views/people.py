"""People admin: the users list (filters, pages, CSV), new users, invites, roles, deactivation."""

from collections.abc import Callable
from typing import TypeVar

from flask import Response, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import User
from learnpath.routing import id_or_none
from learnpath.services import export
from learnpath.services.accounts import admin, departments, directory, invites, lockout
from learnpath.services.accounts.users import AccountError
from learnpath.studio.blueprint import people
from learnpath.studio.forms.people import (
    ButtonForm,
    NewUserForm,
    UserFilterForm,
    UserForm,
    prefill,
)
from learnpath.vocabulary import utcnow

T = TypeVar("T")
LINK = "invite_link"  # the session key holding a new link until the user page shows it once


def commit(action: Callable[[], T]) -> T:
    """Run a service call and commit once; on a refusal roll everything back and re-raise."""
    db = get_session()
    try:
        result = action()
        db.commit()
        return result
    except Exception:
        db.rollback()
        raise


def show_error(form: FlaskForm, error: AccountError) -> None:
    """Put a service's message beside its field ('roles: …'), or above the form."""
    key, _, message = str(error).partition(": ")
    field = getattr(form, {"role": "roles"}.get(key, key), None) if message else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*list(field.errors or []), message]
    else:
        flash(f"Not saved: {message or error}")


def _user_or_404(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@people.route("/users")
def list_users() -> str:
    """Users by name, filtered by text, role, department and status, fifty a page."""
    db = get_session()
    form = UserFilterForm(departments.names(db))
    number = request.args.get("page", "1")
    page = directory.list_users(db, form.filters(), id_or_none(number) or 1)
    return render_template("studio/people/users.html", form=form, page=page, query=form.query())


@people.route("/users.csv")
def export_users() -> Response:
    """The filtered users as CSV (cells a spreadsheet would run as formulas neutralised)."""
    db = get_session()
    filters = UserFilterForm(departments.names(db)).filters()
    text = export.csv_text(directory.CSV_HEADER, directory.export_rows(db, filters))
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="users.csv"'},
    )


@people.route("/users/new", methods=["GET", "POST"])
def new_user() -> str | WerkzeugResponse:
    """Create a user with roles and HR fields; an invite link or a password to pass on."""
    form = NewUserForm()
    form.set_departments(departments.names(get_session()))
    if form.validate_on_submit():
        try:
            user = commit(lambda: _create(form))
        except AccountError as error:
            show_error(form, error)
        else:
            return redirect(url_for("studio.people.edit_user", user_id=user.id))
    return render_template("studio/people/new_user.html", form=form)


def _create(form: NewUserForm) -> User:
    db = get_session()
    password = form.password_given()
    if form.access.data == "password" and not password:
        raise AccountError("password: type a password, or choose an invite link")
    user = admin.create_account(db, form.email.data or "", form.profile(), password)
    if not password:
        _remember_link(user, invites.issue(db, user, current_user.name, utcnow()))
    flash(f"{user.name} can log in now." if password else f"{user.name} is invited.")
    return user


def _remember_link(user: User, token: str) -> None:
    """Keep the new link for the user page, which shows it once."""
    session[LINK] = {
        "user": user.id,
        "url": url_for("auth.set_password", token=token, _external=True),
    }


@people.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> str | WerkzeugResponse:
    """A user: roles, department, manager, external id; status, invite link, (de)activation."""
    user, db = _user_or_404(user_id), get_session()
    row = directory.user_row(db, user_id)
    assert row is not None
    form = UserForm()
    form.set_departments(departments.names(db))
    if not form.is_submitted():
        prefill(form, _stored(row))
    elif form.validate():
        try:
            commit(lambda: admin.update_user(db, user, form.profile()))
        except AccountError as error:
            show_error(form, error)
        else:
            flash(f"Saved {user.name}.")
            return redirect(url_for("studio.people.edit_user", user_id=user_id))
    link = session.pop(LINK, None)
    return render_template(
        "studio/people/user.html",
        form=form,
        row=row,
        button=ButtonForm(),
        link=link["url"] if link and link.get("user") == user_id else None,
        pending=invites.pending(db, user_id, utcnow()),
        locked=lockout.locked_for(db, user.email, utcnow()),
    )


def _stored(row: directory.UserRow) -> dict[str, object]:
    learner = row.learner
    return {
        "name": row.user.name,
        "roles": row.roles,
        "department": learner.department if learner else "",
        "manager": row.manager_key,
        "external_id": learner.external_id if learner else "",
    }


@people.route("/users/<int:user_id>/invite", methods=["POST"])
def invite_user(user_id: int) -> WerkzeugResponse:
    """A new set-password link for the user (older unused ones stop working)."""
    user = _user_or_404(user_id)
    if ButtonForm().validate_on_submit():
        try:
            token = commit(lambda: invites.issue(get_session(), user, current_user.name, utcnow()))
        except AccountError as error:
            flash(f"No link made: {str(error).partition(': ')[2]}")
        else:
            _remember_link(user, token)
    return redirect(url_for("studio.people.edit_user", user_id=user_id))


@people.route("/users/<int:user_id>/unlock", methods=["POST"])
def unlock_user(user_id: int) -> WerkzeugResponse:
    """Clear the user's failed logins, ending a lockout (their password is unchanged)."""
    user = _user_or_404(user_id)
    if ButtonForm().validate_on_submit():
        commit(lambda: lockout.clear(get_session(), user.email))
        flash(f"{user.name} may log in again.")
    return redirect(url_for("studio.people.edit_user", user_id=user_id))


@people.route("/users/<int:user_id>/deactivate", methods=["POST"])
def deactivate_user(user_id: int) -> WerkzeugResponse:
    """Deactivate a login: their open sessions and remembered logins end now."""
    return _set_active(user_id, False)


@people.route("/users/<int:user_id>/reactivate", methods=["POST"])
def reactivate_user(user_id: int) -> WerkzeugResponse:
    """Let a deactivated user log in again."""
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool) -> WerkzeugResponse:
    user = _user_or_404(user_id)
    if ButtonForm().validate_on_submit():
        db, actor = get_session(), db_user()
        try:
            commit(lambda: admin.set_active(db, user, active, actor))
        except AccountError as error:
            flash(f"Not changed: {str(error).partition(': ')[2]}")
        else:
            flash(f"{user.name} is {'active again' if active else 'deactivated'}.")
    return redirect(url_for("studio.people.edit_user", user_id=user_id))


def db_user() -> User:
    """The logged-in admin's row in the request's session."""
    user = get_session().get(User, current_user.id)
    assert user is not None
    return user
