"""Form fields shared by the blueprints (each blueprint keeps its own forms)."""

from typing import Any

from wtforms import SelectMultipleField, TextAreaField, widgets


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (works without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class MarkdownField(TextAreaField):
    """A plain textarea of Markdown; the `field` macro puts a formatting toolbar above it.

    `inline` fields are rendered with `markdown_inline` (bold, italics, code only), so their
    toolbar offers only those buttons.
    """

    def __init__(self, *args: Any, inline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.inline = inline
