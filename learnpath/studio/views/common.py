"""What studio views share: who is saving, running a save in one transaction, loading by slug."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash
from flask_login import current_user
from flask_wtf import FlaskForm

from learnpath.db import get_session
from learnpath.models import Program
from learnpath.services.catalog import drafts
from learnpath.services.catalog.authoring import (
    Conflict,
    Invalid,
    Stale,
    conflict_with,
    validate,
)
from learnpath.studio.forms.programs import RevisionForm

T = TypeVar("T")


def user_name() -> str:
    """The name a save is recorded under ("changed by Ana at 14:02")."""
    return str(current_user.name)


def program_or_404(slug: str, version: int) -> Program:
    """A program version, or 404."""
    program = drafts.find(get_session(), slug, version)
    if program is None:
        abort(404)
    return program


def save(model: type[Any], row_id: int | None, action: Callable[[], T]) -> T:
    """Run a service call and commit once; on any refusal roll back everything and re-raise.

    A concurrent save of the same row (its revision moved between our read and our write)
    surfaces as StaleDataError and becomes a Conflict naming who saved it.
    """
    session = get_session()
    try:
        result = action()
        session.commit()
        return result
    except Stale as exc:
        session.rollback()
        conflict = conflict_with(session, model, row_id)
        if conflict is None:  # deleted meanwhile: nothing to name
            raise
        raise conflict from exc
    except Exception:
        session.rollback()
        raise


def show_errors(form: FlaskForm, error: Invalid, names: dict[str, str] | None = None) -> None:
    """Put a service's field errors beside the form's fields (unknown ones above the form)."""
    for key, messages in error.errors.items():
        field = getattr(form, (names or {}).get(key, key), None)
        if field is not None and hasattr(field, "errors") and field.errors:
            continue  # the form's own message for that field says it already
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), *messages]
        else:
            for message in messages:
                flash(f"{key}: {message}")


def valid(form: FlaskForm, model: type[Any], data: dict[str, Any], names: dict[str, str]) -> bool:
    """Check a submitted form and the service's data model at once, so every error shows."""
    ok = form.validate()
    try:
        validate(model, data)
    except Invalid as error:
        show_errors(form, error, names)
        return False
    return ok


def refused(error: Invalid | Conflict) -> None:
    """Say why a button's action was refused (it has no field to show it beside)."""
    if isinstance(error, Conflict):
        flash(f"Not saved: {error}.")
        return
    for messages in error.errors.values():
        for message in messages:
            flash(f"Not saved: {message}")


def button(program: Program, act: Callable[[Program, int | None], None]) -> None:
    """A one-button change to a draft: run it in one transaction, or flash why it was refused."""
    form = RevisionForm()
    if form.validate_on_submit():
        try:
            save(Program, program.id, lambda: act(program, form.revision.data))
        except (Invalid, Conflict) as error:
            refused(error)
