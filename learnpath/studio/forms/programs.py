"""Program forms: the list filter."""

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from wtforms import SelectField

from learnpath.models.base import DEPTHS, PROGRAM_STATUSES
from learnpath.studio.forms import choices


def _int_or_none(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


class ProgramFilterForm(FlaskForm):
    """Filter the programs list by depth and status (a GET form: no CSRF token)."""

    depth = SelectField(
        "Depth",
        choices=choices([("", "All depths")] + [(d, f"{d} · {n}") for d, n in DEPTHS.items()]),
        coerce=_int_or_none,
        default="",
    )
    status = SelectField(
        "Status",
        choices=choices([("", "All statuses")] + [(s, s) for s in PROGRAM_STATUSES]),
        default="",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(formdata=request.args, meta={"csrf": False}, **kwargs)

    def filters(self) -> tuple[int | None, str | None]:
        """The depth and status to filter by; a value that is not a choice filters nothing."""
        if not self.validate():
            return None, None
        return self.depth.data, self.status.data or None
