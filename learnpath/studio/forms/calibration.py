"""The Calibrate button's form: the options of `flask calibrate`, defaults filled in."""

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange


class CalibrateForm(FlaskForm):
    """Queue a calibration of a competency (CSRF token included)."""

    min_responses = IntegerField(
        "Least responses per item",
        default=200,
        validators=[InputRequired(), NumberRange(min=1, max=100_000)],
    )
    seed = IntegerField("Seed", default=0, validators=[InputRequired(), NumberRange(min=0)])
