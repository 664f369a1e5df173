"""Forms of derived programs: deriving, sessions, notes, module changes, target overrides."""

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from learnpath.forms import MarkdownField
from learnpath.studio.forms import SLUG, SLUG_MESSAGE, choices
from learnpath.studio.forms.programs import RevisionForm
from learnpath.vocabulary import LEVELS

OVERLAY_KINDS = {
    "note": "note for the facilitator",
    "example": "the client's own example",
    "wording": "wording: the client's words",
    "schedule": "schedule, in words",
}


class DeriveForm(FlaskForm):
    """Derive a facilitated, specialized or deep program from a published version."""

    depth = SelectField("Depth", coerce=int)
    title = StringField("Title", validators=[InputRequired(), Length(max=200)])
    audience = StringField(
        "For (client or department)",
        validators=[InputRequired(), Length(max=200)],
        description="The client organisation (facilitated, specialized) or department (deep).",
    )
    slug = StringField(
        "Id (optional)",
        validators=[Optional(), Length(max=80), Regexp(SLUG, message=SLUG_MESSAGE)],
        description="Used in file names; made from the title when left empty.",
    )


class SessionForm(RevisionForm):
    """Schedule a live session."""

    title = StringField("Title", validators=[InputRequired(), Length(max=200)])
    date = DateField("Date", validators=[InputRequired()])
    time = StringField(
        "Start time", validators=[InputRequired()], render_kw={"placeholder": "14:00"}
    )
    minutes = IntegerField("Minutes", validators=[InputRequired(), NumberRange(5, 720)], default=60)
    place = StringField("Place", validators=[Optional(), Length(max=200)])
    url = StringField(
        "Online at (URL)",
        validators=[Optional(), Length(max=500)],
        description="A place, a URL, or both.",
    )
    module = SelectField(
        "About the module (optional)", validators=[Optional()], id="session-module"
    )

    def data_for_service(self) -> dict[str, Any]:
        """The session as the program file spells it."""
        return {
            "title": self.title.data or "",
            "date": self.date.data,
            "time": (self.time.data or "").strip(),
            "minutes": self.minutes.data,
            "place": self.place.data or "",
            "url": (self.url.data or "").strip() or None,
            "module": self.module.data or None,
        }


class OverlayForm(RevisionForm):
    """A note, example, wording change or schedule text."""

    kind = SelectField("Kind", choices=choices(OVERLAY_KINDS.items()))
    module = SelectField(
        "About the module (optional)", validators=[Optional()], id="overlay-module"
    )
    text = MarkdownField("Text", validators=[InputRequired()], render_kw={"rows": 3}, inline=True)


class OverlayTextForm(RevisionForm):
    """Rewrite a note's text."""

    text = MarkdownField("Text", validators=[InputRequired()], render_kw={"rows": 3}, inline=True)


class SwapForm(RevisionForm):
    """Put another module in a module's place."""

    # Ids apart from the other forms' on the same page, so each label finds its field.
    module = SelectField("Replace", validators=[InputRequired()], id="swap-module")
    with_ = SelectField("with", validators=[InputRequired()], name="with", id="swap-with")


class AddDerivedForm(RevisionForm):
    """Add a module after another one (or first)."""

    module = SelectField("Module", validators=[InputRequired()], id="add-module")
    after = SelectField("Place it after", id="add-after")


class OverrideForm(RevisionForm):
    """Aim at another target level than the parent."""

    competency = SelectField("Competency", validators=[InputRequired()], id="target-competency")
    level = SelectField(
        "Target level", choices=choices((lv, lv) for lv in LEVELS), id="target-level"
    )


class MoveForm(FlaskForm):
    """Run a previewed move of learners; the fingerprint says which preview was seen."""

    fingerprint = HiddenField(validators=[InputRequired()])
