"""People admin forms: the users filter, a user's roles and HR fields, departments."""

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional

from learnpath.forms import CheckboxesField
from learnpath.services.accounts.admin import Profile
from learnpath.services.accounts.directory import Filters
from learnpath.studio.forms import choices
from learnpath.vocabulary import ROLES

STATUSES = [("", "Active and inactive"), ("active", "Active"), ("inactive", "Deactivated")]


class UserFilterForm(FlaskForm):
    """Narrow the users list (a GET form: no CSRF token); unknown values filter nothing."""

    text = StringField("Name or email contains", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=choices([("", "Any role"), *((r, r) for r in ROLES)]))
    department = SelectField("Department", validate_choice=False)
    status = SelectField("Status", choices=choices(STATUSES))

    def __init__(self, departments: list[str]) -> None:
        super().__init__(formdata=request.args, meta={"csrf": False})
        self.department.choices = choices([("", "Any department"), *((d, d) for d in departments)])

    def filters(self) -> Filters:
        """What to filter by (values that are not choices are dropped)."""
        self.validate()
        role = self.role.data if self.role.data in ROLES else ""
        status = self.status.data if self.status.data in ("active", "inactive") else ""
        return Filters((self.text.data or "")[:200], role, self.department.data or "", status)

    def query(self) -> dict[str, str]:
        """The filters as URL parameters, for the page links and the CSV link."""
        f = self.filters()
        pairs = {"text": f.text, "role": f.role, "department": f.department, "status": f.status}
        return {k: v for k, v in pairs.items() if v}


class UserForm(FlaskForm):
    """A user's name, roles and learner profile fields (department, manager, HR id)."""

    name = StringField("Name", validators=[InputRequired(), Length(max=200)])
    roles = CheckboxesField("Roles", choices=choices((r, r) for r in ROLES))
    department = SelectField("Department", validate_choice=False)
    manager = StringField(
        "Manager (email or external id)",
        validators=[Optional(), Length(max=254)],
        description="The learner this person reports to; they see this person on My team.",
    )
    external_id = StringField(
        "External id (HR employee id)",
        validators=[Optional(), Length(max=80)],
        description="How the HR system names this person; the HR API finds them by it.",
    )

    def set_departments(self, departments: list[str]) -> None:
        """The departments to choose from."""
        self.department.choices = choices([("", "— none —"), *((d, d) for d in departments)])

    def profile(self) -> Profile:
        """The form as the service takes it."""
        return Profile(
            name=self.name.data or "",
            roles=list(self.roles.data or []),
            department=self.department.data or "",
            manager=self.manager.data or "",
            external_id=self.external_id.data or "",
        )


class NewUserForm(UserForm):
    """A new user: email, and whether they get an invite link or a password now."""

    email = EmailField("Email", validators=[InputRequired(), Email(), Length(max=254)])
    access = RadioField(
        "How they get in",
        choices=choices(
            [
                ("invite", "Invite link: they choose a password (valid 72 hours)"),
                ("password", "Set a password now and pass it on"),
            ]
        ),
        default="invite",
    )
    password = PasswordField("Password (if set now)", validators=[Optional(), Length(max=200)])

    def password_given(self) -> str:
        """The password to set now, or '' for an invite."""
        return (self.password.data or "") if self.access.data == "password" else ""


class ButtonForm(FlaskForm):
    """A one-button POST (deactivate, reactivate, invite): the CSRF token only."""


class DepartmentForm(FlaskForm):
    """A department's name (new or renamed)."""

    name = StringField("Name", validators=[InputRequired(), Length(max=120)])


class MergeForm(FlaskForm):
    """Merge a department into another one."""

    into = SelectField("Merge into", validators=[InputRequired()])

    def set_targets(self, names: list[tuple[int, str]]) -> None:
        """The departments it may merge into."""
        self.into.choices = choices(names)


def prefill(form: UserForm, values: dict[str, Any]) -> None:
    """Show stored values in the form (on a GET only: a POST keeps what was typed)."""
    for key, value in values.items():
        getattr(form, key).data = value
