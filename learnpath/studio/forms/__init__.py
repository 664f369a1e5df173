"""WTForms of the studio, one module per subject."""

from collections.abc import Iterable

from flask import request
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

SLUG = r"^[a-z0-9][a-z0-9-]*$"
SLUG_MESSAGE = "Use lowercase letters, digits and hyphens, starting with a letter or digit."


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def accept_posted(*fields: SelectField) -> None:
    """Let selects take whatever was posted: the service checks the value and says why not."""
    for field in fields:
        field.choices = choices([(request.form.get(field.name, ""), "")])
