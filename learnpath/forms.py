"""Form fields shared by the blueprints (each keeps its own forms), and per-view upload limits."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, request
from wtforms import SelectMultipleField, TextAreaField, widgets

F = TypeVar("F", bound=Callable[..., Any])


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


def upload_limit(size: int) -> Callable[[F], F]:
    """Let a view accept request bodies (and form fields) up to `size` bytes, not the default."""

    def mark(view: F) -> F:
        view.upload_limit = size  # type: ignore[attr-defined]
        return view

    return mark


def apply_upload_limit() -> None:
    """Before anything reads the body: raise the limits for a view marked with `upload_limit`."""
    view = current_app.view_functions.get(request.endpoint or "")
    size = getattr(view, "upload_limit", None)
    if size:
        request.max_content_length = size
        request.max_form_memory_size = size
