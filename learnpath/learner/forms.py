"""Learner forms: quiz answers, trajectory changes, module completion, profile (CSRF on)."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    widgets,
)
from wtforms.validators import AnyOf, InputRequired, NumberRange, Optional, ValidationError

from learnpath.forms import CheckboxesField
from learnpath.planning.inputs import ADJUSTMENT_KINDS
from learnpath.services.learning.quiz import KINDS, Question


class AnswerForm(FlaskForm):
    """One quiz step: the step and item it answers travel with it, so a stale post is caught."""

    step = IntegerField(widget=widgets.HiddenInput(), validators=[InputRequired()])
    item = IntegerField(widget=widgets.HiddenInput(), validators=[InputRequired()])


class SingleAnswerForm(AnswerForm):
    choice = RadioField("Your answer", validators=[InputRequired("Choose an answer.")])


def at_least_one(_form: FlaskForm, field: SelectMultipleField) -> None:
    """Checked on the server only: an HTML `required` on each checkbox would demand all of them."""
    if not field.data:
        raise ValidationError("Choose at least one answer.")


class MultipleAnswerForm(AnswerForm):
    choice = CheckboxesField("Your answers", validators=[at_least_one])


def answer_form(question: Question) -> SingleAnswerForm | MultipleAnswerForm:
    """The answer form of a question, its choices in the attempt's shuffled order.

    Choices are sent as their position on the page, never as the option's stored key, so the
    page reveals nothing about the authored order of the options.
    """
    cls = MultipleAnswerForm if question.item.kind == "multiple" else SingleAnswerForm
    form = cls(step=question.step, item=question.item.id)
    form.choice.choices = [(str(i), text) for i, (_key, text) in enumerate(question.options)]
    return form


def chosen_keys(question: Question, form: SingleAnswerForm | MultipleAnswerForm) -> list[str]:
    """The option keys behind the positions the learner chose (the form validated them)."""
    data = form.choice.data
    positions = data if isinstance(data, list) else [data]
    return [question.options[int(p)][0] for p in positions]


class StartQuizForm(FlaskForm):
    """Start a placement (enrollment), a standalone check or a checkpoint (competency)."""

    kind = HiddenField(validators=[AnyOf(KINDS, message="Unknown kind of quiz.")])
    enrollment = HiddenField()
    competency = HiddenField()


class EnrolForm(FlaskForm):
    """The catalog's Enrol button: nothing but the CSRF token."""


class AdjustForm(FlaskForm):
    """One change to the learner's trajectory; hidden fields set by the button pressed."""

    kind = HiddenField(validators=[AnyOf(ADJUSTMENT_KINDS, message="Unknown kind of change.")])
    module = HiddenField()
    before = HiddenField()
    after = HiddenField()


class AddElectiveForm(FlaskForm):
    """Add a module of the program's pool that the plan left out."""

    module = SelectField("Add an elective", validators=[InputRequired("Choose a module.")])


class PaceForm(FlaskForm):
    """Weekly study time and target date of this trajectory."""

    MAX_PACE = 1200
    pace = IntegerField(
        "Minutes a week",
        validators=[InputRequired(), NumberRange(15, MAX_PACE, "Between 15 and 1200 minutes.")],
    )
    due = DateField("Target date (optional)", validators=[Optional()])


class CompleteForm(FlaskForm):
    """Mark a module completed; the measured time can be corrected."""

    minutes = IntegerField(
        "Minutes you spent",
        validators=[InputRequired(), NumberRange(1, 600, "Between 1 and 600 minutes.")],
    )


class ProfileForm(FlaskForm):
    """The short learner profile: interests, weekly time, preferred formats."""

    interests = CheckboxesField("Topics that interest you")
    pace = IntegerField(
        "Minutes a week you can give to learning",
        validators=[InputRequired(), NumberRange(15, 1200, "Between 15 and 1200 minutes.")],
    )
    formats = CheckboxesField("Formats you prefer when there is a choice")


def errors_of(form: FlaskForm) -> list[str]:
    """Form errors as 'field: message' strings, for a flash message."""
    return [f"{name}: {msg}" for name, msgs in form.errors.items() for msg in msgs]
