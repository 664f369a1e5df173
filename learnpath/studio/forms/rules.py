"""The segment-rule form of a personal program: conditions, action and its setting, as fields.

One rule per form. The form only collects what was typed and turns it into the rule as a program
file spells it; the service checks it with the file's own model (schema.RuleIn).
"""

from typing import Any

from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Length, NumberRange, Optional

from learnpath.forms import CheckboxesField
from learnpath.planning.inputs import BEHAVIOURS, SPEED_BANDS
from learnpath.studio.forms import choices
from learnpath.studio.forms.programs import RevisionForm
from learnpath.vocabulary import LEVELS, MODULE_FORMATS

ACTIONS = (
    ("include", "include the modules"),
    ("mandatory", "make the modules mandatory"),
    ("optional", "make the modules optional"),
    ("exclude", "exclude the modules"),
    ("prefer_format", "prefer a format among a module's formats"),
    ("pace", "start the plan at a weekly time"),
)
BEHAVIOUR_LABELS = {
    "starter": "starter: nothing completed or measured yet",
    "customizer": "customizer: has changed their own path",
    "quiz-leaver": "quiz-leaver: left a quiz unfinished",
}
SPEED_LABELS = {"fast": "fast (≤ 0.8×)", "typical": "typical", "slow": "slow (≥ 1.25×)"}
LEVEL_ROWS = 3
"""Level conditions shown on the form; a rule rarely needs more, and a file can hold any number."""


def _listed(text: str | None) -> list[str]:
    """Comma-separated values, trimmed, empty ones left out."""
    return [t.strip() for t in (text or "").split(",") if t.strip()]


class LevelConditionForm(Form):
    """One level condition: a competency's level below, or at least, a named level."""

    competency = SelectField("Competency", validators=[Optional()])
    # A select the browser did not send (a row left alone by a script or a test) is empty, not
    # wrong: Optional() drops the "not a valid choice" error of a missing value.
    comparison = SelectField(
        "is",
        choices=choices([("below", "below"), ("at_least", "at least")]),
        validators=[Optional()],
    )
    level = SelectField(
        "Level",
        choices=choices((lv, lv) for lv in LEVELS),
        validators=[Optional()],
        default="proficient",
    )


class RuleForm(RevisionForm):
    """A segment rule: who it is for (every filled-in condition must hold) and what it does."""

    name = StringField("Name (learners see it as the reason)", validators=[Length(max=200)])
    role = StringField(
        "Roles (any of, comma-separated)",
        validators=[Length(max=800)],
        render_kw={"list": "known-roles"},
    )
    department = StringField(
        "Departments (any of, comma-separated)",
        validators=[Length(max=800)],
        render_kw={"list": "known-departments"},
    )
    interests = StringField(
        "Interests (any of, comma-separated tags)", validators=[Length(max=800)]
    )
    levels = FieldList(FormField(LevelConditionForm), min_entries=LEVEL_ROWS, max_entries=20)
    decision_speed = CheckboxesField(
        "Decision speed in quizzes (any of)",
        choices=choices((b, SPEED_LABELS[b]) for b in SPEED_BANDS),
    )
    tempo = CheckboxesField(
        "Study tempo (any of)", choices=choices((b, SPEED_LABELS[b]) for b in SPEED_BANDS)
    )
    behaviour = CheckboxesField(
        "Behaviour (any of)", choices=choices((b, BEHAVIOUR_LABELS[b]) for b in BEHAVIOURS)
    )
    then = SelectField("Then", choices=choices(ACTIONS), default="include")
    modules = SelectMultipleField("Modules", render_kw={"size": 10})
    format = SelectField(
        "Preferred format",
        choices=choices([("", "—"), *((f, f) for f in MODULE_FORMATS)]),
        default="",
    )
    minutes_per_week = IntegerField(
        "Weekly time (minutes)", validators=[Optional(), NumberRange(1, 10080)]
    )

    def data_for_service(self) -> dict[str, Any]:
        """The rule as a program file spells it (empty conditions left out)."""
        when: dict[str, Any] = {
            "role": _listed(self.role.data),
            "department": _listed(self.department.data),
            "interests": _listed(self.interests.data),
            "decision_speed": list(self.decision_speed.data or []),
            "tempo": list(self.tempo.data or []),
            "behaviour": list(self.behaviour.data or []),
        }
        for row in self.levels:
            if row.form.competency.data:
                levels = when.setdefault(row.form.comparison.data or "below", {})
                levels[row.form.competency.data] = row.form.level.data or "proficient"
        data: dict[str, Any] = {
            "name": self.name.data or "",
            "when": {k: v for k, v in when.items() if v},
            "then": self.then.data,
        }
        for key, value in (
            ("modules", list(self.modules.data or [])),
            ("format", self.format.data or None),
            ("minutes_per_week", self.minutes_per_week.data),
        ):
            if value:
                data[key] = value
        return data

    def fill(self, data: dict[str, Any]) -> None:
        """Show a stored rule (its file form) in the fields."""
        when = data.get("when", {})
        self.name.data = data.get("name", "")
        for key in ("role", "department", "interests"):
            getattr(self, key).data = ", ".join(when.get(key, []))
        for key in ("decision_speed", "tempo", "behaviour"):
            getattr(self, key).data = list(when.get(key, []))
        levels = [
            (comp, comparison, level)
            for comparison in ("below", "at_least")
            for comp, level in when.get(comparison, {}).items()
        ]
        competencies = self.levels[0].form.competency.choices
        while len(self.levels) < len(levels) + 1 and len(self.levels) < (
            self.levels.max_entries or 0
        ):
            self.levels.append_entry().form.competency.choices = competencies
        for row, (comp, comparison, level) in zip(self.levels, levels, strict=False):
            row.form.competency.data, row.form.comparison.data = comp, comparison
            row.form.level.data = level
        self.then.data = data.get("then", "include")
        self.modules.data = list(data.get("modules", []))
        self.format.data = data.get("format") or ""
        self.minutes_per_week.data = data.get("minutes_per_week")
