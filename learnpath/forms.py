"""Form fields shared by the blueprints (each blueprint keeps its own forms)."""

from wtforms import SelectMultipleField, widgets


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (works without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
