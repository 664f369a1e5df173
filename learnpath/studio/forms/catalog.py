"""Competency, module and item forms: the file's fields as form fields, labelled for every input."""

from typing import Any

from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from learnpath.forms import CheckboxesField, MarkdownField
from learnpath.studio.forms import SLUG, SLUG_MESSAGE, choices
from learnpath.studio.forms.programs import RevisionForm
from learnpath.vocabulary import LEVELS, MODULE_FORMATS

ITEM_STATUSES = ("draft", "pretest", "active", "retired")
MAX_OPTIONS = 6


def _slug_field() -> StringField:
    return StringField(
        "Id",
        validators=[InputRequired(), Length(max=80), Regexp(SLUG, message=SLUG_MESSAGE)],
        description="Used in file names and references; cannot change later.",
    )


def _owner_field() -> SelectField:
    return SelectField(
        "Who may use it",
        validators=[Optional()],
        description="Department-only content is used by that deep program (and its versions) "
        "only: never offered to other programs, never given in their quizzes.",
    )


def owner_choices(field: SelectField, lines: dict[str, str]) -> None:
    """Shared, or one deep program line's own: the choices of an owner select."""
    field.choices = choices(
        [("", "every program (shared)"), *((s, f"department-only: {t}") for s, t in lines.items())]
    )


def _ids(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").replace("\n", ",").split(",") if t.strip()]


class CompetencyForm(RevisionForm):
    """A competency: name, description, prerequisite competencies."""

    slug = _slug_field()
    name = StringField("Name", validators=[InputRequired(), Length(max=200)])
    description = MarkdownField("Description", render_kw={"rows": 3})
    requires = SelectMultipleField("Requires (competencies)", render_kw={"size": 5})

    def data_for_service(self) -> dict[str, Any]:
        """The competency as competencies.yaml spells it."""
        return {
            "id": self.slug.data,
            "name": self.name.data or "",
            "description": self.description.data or "",
            "requires": list(self.requires.data or []),
        }


class ModuleForm(RevisionForm):
    """A module: front-matter fields and the Markdown body."""

    slug = _slug_field()
    title = StringField("Title", validators=[InputRequired(), Length(max=200)])
    summary = TextAreaField("Summary", render_kw={"rows": 2})
    competency = SelectField("Competency", validators=[InputRequired()])
    level = SelectField("Level it builds", choices=choices((lv, lv) for lv in LEVELS))
    format = SelectField("Format", choices=choices((f, f) for f in MODULE_FORMATS))
    minutes = IntegerField("Minutes", validators=[InputRequired(), NumberRange(1, 2400)])
    requires = SelectMultipleField("Requires (modules)", render_kw={"size": 6})
    find = StringField(
        "Find modules to require or to be an alternative of",
        description="Without words: modules of the chosen competency.",
        validators=[Optional()],
    )
    tags = StringField("Interest tags (comma-separated)", validators=[Length(max=600)])
    alternative_of = SelectField("Alternative format of", validators=[Optional()])
    video = StringField(
        "Video URL",
        validators=[Optional(), Length(max=500)],
        description="Video modules: YouTube and Vimeo addresses get a player; others a link. "
        "A file of the catalog's media folder (media/<name>.webm or .mp4) is played on the page.",
    )
    captions = StringField(
        "Captions (WebVTT file)",
        validators=[Optional(), Length(max=190)],
        description="With a video file: its English captions, e.g. media/<name>.vtt.",
    )
    body = MarkdownField("Lesson (Markdown)", render_kw={"rows": 18})
    owner = _owner_field()

    def data_for_service(self) -> dict[str, Any]:
        """The front matter as the module file spells it."""
        return {
            "id": self.slug.data,
            "title": self.title.data or "",
            "summary": self.summary.data or "",
            "competency": self.competency.data,
            "level": self.level.data,
            "format": self.format.data,
            "minutes": self.minutes.data,
            "requires": list(self.requires.data or []),
            "tags": _ids(self.tags.data),
            "alternative_of": self.alternative_of.data or None,
            "video": (self.video.data or "").strip() or None,
            "captions": (self.captions.data or "").strip() or None,
            "owner": self.owner.data or None,
        }


class OptionForm(Form):
    """One answer option (empty rows are left out)."""

    text = StringField("Text", validators=[Length(max=1000)])
    correct = BooleanField("Correct")


class ItemForm(RevisionForm):
    """An item: stem, options and key, explanation, expert 2PL parameters, status."""

    slug = _slug_field()
    type = SelectField(
        "Type",
        choices=choices([("single", "single: one correct option"), ("multiple", "multiple")]),
    )
    stem = MarkdownField("Stem (Markdown)", validators=[InputRequired()], render_kw={"rows": 4})
    options = FieldList(FormField(OptionForm), min_entries=MAX_OPTIONS, max_entries=MAX_OPTIONS)
    explanation = MarkdownField("Explanation (shown after the quiz)", render_kw={"rows": 3})
    a = FloatField(
        "Discrimination a (0.2 to 4)", validators=[InputRequired(), NumberRange(0.2, 4.0)]
    )
    b = FloatField("Difficulty b (−4 to 4)", validators=[InputRequired(), NumberRange(-4.0, 4.0)])
    status = SelectField("Status", choices=choices((s, s) for s in ITEM_STATUSES))
    owner = _owner_field()

    def data_for_service(self) -> dict[str, Any]:
        """The item as its item file spells it."""
        options = [
            {"text": o.form.text.data.strip(), "correct": bool(o.form.correct.data)}
            for o in self.options
            if (o.form.text.data or "").strip()
        ]
        return {
            "id": self.slug.data,
            "type": self.type.data,
            "stem": self.stem.data or "",
            "options": options,
            "explanation": self.explanation.data or "",
            "status": self.status.data,
            "a": self.a.data,
            "b": self.b.data,
            "owner": self.owner.data or None,
        }


class SinglePreviewForm(Form):
    """The answer part of a single-answer question, as the quiz page renders it."""

    choice = RadioField("Your answer")


class MultiplePreviewForm(Form):
    """The answer part of a multiple-answer question, as the quiz page renders it."""

    choice = CheckboxesField("Your answers")
