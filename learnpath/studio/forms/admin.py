"""Admin forms: the audit log's filters and an API client's name and scopes."""

from datetime import date
from typing import Any

from flask import request
from flask_wtf import FlaskForm
from wtforms import DateField, Field, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from learnpath.forms import CheckboxesField
from learnpath.services.audit.log import AuditFilter
from learnpath.services.integration.clients import SCOPES
from learnpath.studio.forms import choices

SCOPE_LABELS = {
    "learners:read": "learners:read: read learner profiles",
    "learners:write": "learners:write: create and update learner profiles",
    "enrollments:read": "enrollments:read: read enrollments and progress",
    "enrollments:write": "enrollments:write: enrol learners in programs",
    "statements:read": "statements:read: read learning records (xAPI)",
}


def _some_scope(_form: FlaskForm, field: Field) -> None:
    """At least one box ticked (InputRequired would mark every checkbox required)."""
    if not field.data:
        raise ValidationError("Choose at least one scope.")


class AuditFilterForm(FlaskForm):
    """Filter the audit log by person, entity (and row) and days (a GET form: no CSRF token)."""

    person = SelectField("Person", default="")
    entity = SelectField("Entity", default="")
    entity_id = StringField("Row id", validators=[Optional(), Length(max=100)])
    since = DateField("From (UTC)", validators=[Optional()])
    until = DateField("To (UTC)", validators=[Optional()])

    def __init__(self, people: list[tuple[int, str]], tables: list[str], **kwargs: Any) -> None:
        super().__init__(formdata=request.args, meta={"csrf": False}, **kwargs)
        self.person.choices = choices([("", "Everyone"), *people])
        self.entity.choices = choices([("", "Every entity"), *((t, t) for t in tables)])

    def validate_until(self, field: Field) -> None:
        """The range ends on or after it starts."""
        since: date | None = self.since.data
        if since is not None and field.data is not None and field.data < since:
            raise ValidationError("The range must end on or after its first day.")

    def filters(self) -> AuditFilter | None:
        """What to show; None when a filter is invalid (its error is beside it)."""
        if not self.validate():
            return None
        person = self.person.data or ""
        return AuditFilter(
            actor_id=int(person) if person.isdigit() else None,
            entity=self.entity.data or "",
            entity_id=(self.entity_id.data or "").strip(),
            since=self.since.data,
            until=self.until.data,
        )


class ApiClientForm(FlaskForm):
    """An API client: who it is and the scopes it holds (none ticked: grant only what it needs)."""

    name = StringField(
        "Name",
        validators=[InputRequired(), Length(max=200)],
        description="Which system uses it, e.g. “Workday production”.",
    )
    scopes = CheckboxesField(
        "Scopes",
        choices=choices((s, SCOPE_LABELS[s]) for s in SCOPES),
        validators=[_some_scope],
        description="Grant only what the system needs.",
    )

    def scope_text(self) -> str:
        """The chosen scopes as the service takes them."""
        return " ".join(self.scopes.data or [])
