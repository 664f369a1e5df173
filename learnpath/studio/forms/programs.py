"""Program forms: list filter, new draft, settings, module list, targets, placement."""

from typing import Any, get_args

from flask import request
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from learnpath.forms import CheckboxesField, MarkdownField
from learnpath.services.catalog.drafts import CREATABLE
from learnpath.studio.forms import SLUG, SLUG_MESSAGE, choices
from learnpath.vocabulary import LEVELS, AudienceKind, Depth, ProgramStatus

PROGRAM_STATUSES = get_args(ProgramStatus)
AUDIENCE_KINDS = get_args(AudienceKind)

PROGRAM_FORMATS = ("online", "blended", "in-person")


def _int_or_none(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


class ProgramFilterForm(FlaskForm):
    """Filter the programs list by depth, status and words (a GET form: no CSRF token)."""

    q = StringField("Title or id has", validators=[Optional()])

    depth = SelectField(
        "Depth",
        choices=choices([("", "All depths")] + [(int(d), f"{int(d)} · {d.label}") for d in Depth]),
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


class RevisionForm(FlaskForm):
    """A button acting on a draft: carries the revision the page showed (and the CSRF token)."""

    revision = HiddenField(validators=[Optional()], filters=[_int_or_none])


class NewProgramForm(FlaskForm):
    """Start a program draft."""

    title = StringField("Title", validators=[InputRequired(), Length(max=200)])
    slug = StringField(
        "Id (optional)",
        validators=[Optional(), Length(max=80), Regexp(SLUG, message=SLUG_MESSAGE)],
        description="Used in file names; made from the title when left empty.",
    )
    depth = SelectField(
        "Depth", choices=choices((int(d), f"{int(d)} · {d.label}") for d in CREATABLE), coerce=int
    )


class SettingsForm(RevisionForm):
    """A draft's settings."""

    title = StringField("Title", validators=[InputRequired(), Length(max=200)])
    summary = MarkdownField("Summary (Markdown)", render_kw={"rows": 4})
    format = SelectField("Format", choices=choices((f, f) for f in PROGRAM_FORMATS))
    audience_kind = SelectField("Audience", choices=choices((k, k) for k in AUDIENCE_KINDS))
    audience_name = StringField(
        "Audience name",
        validators=[Optional(), Length(max=200)],
        description="The client, department or learner; not needed for 'anyone'.",
    )
    instructors = TextAreaField("Instructors (one per line)", render_kw={"rows": 2})
    checkpoints = SelectField(
        "Checkpoint policy",
        choices=choices(
            [
                ("offered", "offered: a short checkpoint quiz after studying a competency"),
                ("none", "none: no checkpoints for this program"),
            ]
        ),
    )

    def data_for_service(self) -> dict[str, Any]:
        """The settings as the service (and the program file) spell them."""
        names = [line.strip() for line in (self.instructors.data or "").splitlines()]
        return {
            "title": self.title.data or "",
            "summary": self.summary.data or "",
            "format": self.format.data,
            "audience": {"kind": self.audience_kind.data, "name": self.audience_name.data or None},
            "instructors": [n for n in names if n],
            "checkpoints": self.checkpoints.data,
        }


class AddModuleForm(RevisionForm):
    """Add a module to the list or pool (choices: modules not in it yet)."""

    module = SelectField("Module", validators=[InputRequired()])


class TargetForm(RevisionForm):
    """A target level for a competency (by role in personal programs)."""

    competency = SelectField("Competency", validators=[InputRequired()])
    level = SelectField("Target level", choices=choices((lv, lv) for lv in LEVELS))
    role = StringField(
        "Role (optional)",
        validators=[Optional(), Length(max=80)],
        description="Personal programs: the target for this role; empty for everyone else.",
    )


class PlacementForm(RevisionForm):
    """The placement test: on or off, which competencies, its length and precision."""

    enabled = BooleanField("Start with an adaptive placement test")
    competencies = CheckboxesField("Competencies it measures (none ticked: all)")
    max_items = IntegerField(
        "Maximum questions", validators=[Optional(), NumberRange(1, 200)], default=30
    )
    min_items = IntegerField(
        "Minimum questions", validators=[Optional(), NumberRange(1, 200)], default=3
    )
    se_target = DecimalField(
        "Stop at standard error",
        places=2,
        validators=[Optional(), NumberRange(0.06, 1.0)],
        default=0.3,
        description="Lower is more precise and longer; 0.3 is usual.",
    )
    exposure = SelectField(
        "Item exposure",
        choices=choices(
            [
                ("priced", "priced: no question shown to more than a quarter of learners"),
                ("randomesque", "randomesque: a random pick among the 5 most informative"),
                ("maxinfo", "maximum information: always the most informative (shortest)"),
            ]
        ),
        default="priced",
    )

    def data_for_service(self) -> dict[str, Any] | None:
        """The placement as the program file spells it, or None when switched off."""
        if not self.enabled.data:
            return None
        return {
            "competencies": list(self.competencies.data or []),
            "max_items": self.max_items.data or 30,
            "min_items": self.min_items.data or 3,
            "se_target": float(self.se_target.data or 0.3),
            "exposure": self.exposure.data,
        }
