"""WTForms of the studio, one module per subject."""

from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice

SLUG = r"^[a-z0-9][a-z0-9-]*$"
SLUG_MESSAGE = "Use lowercase letters, digits and hyphens, starting with a letter or digit."


def choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]
