"""Assignment forms: whom to enrol, the confirm, due dates, withdrawing, self-enrolment."""

from datetime import UTC, date, datetime, time

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from learnpath.services.learning.assignment import KINDS
from learnpath.studio.forms import choices
from learnpath.vocabulary import SELF_ENROL_AUDIENCES

HOW = [
    ("person", "One person (e-mail or external id)"),
    ("department", "A department"),
    ("role", "A role"),
    ("team", "A manager's team"),
    ("csv", "A CSV file of e-mails or external ids"),
]


def end_of_day(day: date | None) -> datetime | None:
    """A due date as the last second of that day, UTC (how the HR API stores due times)."""
    return datetime.combine(day, time(23, 59, 59), UTC) if day else None


class AssignForm(FlaskForm):
    """Whom to enrol and by when: the preview is shown before anything is written."""

    how = RadioField("Enrol", choices=choices(HOW), default="person", validators=[AnyOf(KINDS)])
    person = StringField("E-mail or external id", validators=[Length(max=254)])
    department = SelectField("Department", validate_choice=False)
    role = SelectField("Role", validate_choice=False)
    team = SelectField("Manager", validate_choice=False)
    roster = FileField("CSV file (UTF-8, a header row naming email or external_id)")
    due = DateField("Due date (optional)", validators=[Optional()])

    def value(self) -> str:
        """The value of the chosen way (the file is read by the view)."""
        field = {"person": self.person, "department": self.department, "role": self.role}
        return str((field.get(self.how.data) or self.team).data or "")


class ConfirmForm(FlaskForm):
    """The preview's Enrol button: the selection again (resolved anew), due date, fingerprint."""

    how = HiddenField(validators=[AnyOf(KINDS)])
    value = HiddenField()
    roster_text = HiddenField()
    due = HiddenField()
    fingerprint = HiddenField(validators=[InputRequired()])

    def due_at(self) -> datetime | None:
        """The due date chosen on the first page."""
        try:
            return end_of_day(date.fromisoformat(self.due.data)) if self.due.data else None
        except ValueError:
            return None


class DueForm(FlaskForm):
    """A due date for one enrollment or a whole cohort; empty removes it."""

    due = DateField("Due date", validators=[Optional()])


class ActionForm(FlaskForm):
    """A button that acts on one enrollment (withdraw, enrol again): only the CSRF token."""


class SelfEnrolForm(FlaskForm):
    """Who may enrol themselves in this version."""

    audience = SelectField(
        "Open to self-enrolment for",
        choices=choices([("", "nobody (closed)")] + [(a, a) for a in SELF_ENROL_AUDIENCES]),
    )
    name = StringField("Department or role", validators=[Length(max=120)])
