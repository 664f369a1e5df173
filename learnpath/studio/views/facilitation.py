"""Sessions and facilitator notes of a derived draft (facilitators edit facilitated ones)."""

from collections.abc import Callable
from typing import Any

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Program
from learnpath.services.catalog import facilitation as service
from learnpath.studio.access import require_editor
from learnpath.studio.blueprint import bp
from learnpath.studio.forms import choices
from learnpath.studio.forms.derived import OverlayForm, OverlayTextForm, SessionForm
from learnpath.studio.forms.programs import RevisionForm
from learnpath.studio.views.common import (
    button,
    form_action,
    program_or_404,
    user_name,
)


def _editable(slug: str, version: int) -> Program:
    """The program, if the user may edit a program of its depth (else 403)."""
    program = program_or_404(slug, version)
    require_editor(program.depth)
    return program


def _module_choices(program: Program) -> list[Any]:
    """The program's modules to attach a session or note to, or none (the whole program)."""
    rows = service.module_choices(get_session(), program)
    return choices([("", "(the whole program)"), *rows])


def _page(program: Program, **forms: Any) -> str:
    """The sessions and notes editor."""
    session = get_session()
    modules = _module_choices(program)
    new_session = forms.get("session") or SessionForm(revision=program.revision)
    new_session.module.choices = modules
    overlay = forms.get("overlay") or OverlayForm(revision=program.revision)
    overlay.module.choices = modules
    return render_template(
        "studio/facilitation.html",
        program=program,
        sessions=service.sessions(session, program),
        overlays=service.overlays(session, program),
        session_form=new_session,
        overlay_form=overlay,
        text_form=OverlayTextForm(revision=program.revision),
        row=RevisionForm(revision=program.revision),
    )


@bp.route("/programs/<slug>/v<int:version>/facilitation")
def facilitation(slug: str, version: int) -> str | WerkzeugResponse:
    """Sessions, notes, examples and wording of a derived draft."""
    program = _editable(slug, version)
    if program.status != "draft" or program.parent_id is None:
        return redirect(url_for("studio.show_program", slug=slug, version=version))
    return _page(program)


def _back(program: Program) -> WerkzeugResponse:
    return redirect(url_for("studio.facilitation", slug=program.slug, version=program.version))


def _form(
    slug: str, version: int, name: str, form: Any, act: Callable[[Program], object]
) -> str | WerkzeugResponse:
    """Save a form of this page; a refusal shows the page again with the input kept."""
    program = _editable(slug, version)
    form.module.choices = _module_choices(program)
    if form_action(program, form, act):
        return _back(program)
    return _page(program, **{name: form})


def _button(
    slug: str, version: int, act: Callable[[Program, int | None], None]
) -> WerkzeugResponse:
    """A one-button change: run it, or say why it was refused."""
    return button(slug, version, act, "studio.facilitation", _editable)


@bp.route("/programs/<slug>/v<int:version>/sessions", methods=["POST"])
def add_session(slug: str, version: int) -> str | WerkzeugResponse:
    """Schedule a live session."""
    form = SessionForm()
    return _form(
        slug,
        version,
        "session",
        form,
        lambda p: service.add_session(
            get_session(), p, user_name(), form.revision.data, form.data_for_service()
        ),
    )


@bp.route("/programs/<slug>/v<int:version>/sessions/<int:session_id>/remove", methods=["POST"])
def remove_session(slug: str, version: int, session_id: int) -> WerkzeugResponse:
    """Cancel a session."""
    return _button(
        slug,
        version,
        lambda p, rev: service.remove_session(get_session(), p, user_name(), rev, session_id),
    )


@bp.route("/programs/<slug>/v<int:version>/notes", methods=["POST"])
def add_overlay(slug: str, version: int) -> str | WerkzeugResponse:
    """Add a note, example, wording change or schedule text."""
    form = OverlayForm()
    return _form(
        slug,
        version,
        "overlay",
        form,
        lambda p: service.add_overlay(
            get_session(),
            p,
            user_name(),
            form.revision.data,
            {"kind": form.kind.data, "module": form.module.data, "text": form.text.data},
        ),
    )


@bp.route("/programs/<slug>/v<int:version>/notes/<int:overlay_id>", methods=["POST"])
def update_overlay(slug: str, version: int, overlay_id: int) -> WerkzeugResponse:
    """Rewrite a note's text."""
    text = request.form.get("text", "")
    return _button(
        slug,
        version,
        lambda p, rev: service.update_overlay(get_session(), p, user_name(), rev, overlay_id, text),
    )


@bp.route("/programs/<slug>/v<int:version>/notes/<int:overlay_id>/remove", methods=["POST"])
def remove_overlay(slug: str, version: int, overlay_id: int) -> WerkzeugResponse:
    """Delete a note."""
    return _button(
        slug,
        version,
        lambda p, rev: service.remove_overlay(get_session(), p, user_name(), rev, overlay_id),
    )


@bp.route("/programs/<slug>/v<int:version>/notes/<int:overlay_id>/move", methods=["POST"])
def move_overlay(slug: str, version: int, overlay_id: int) -> WerkzeugResponse:
    """Move a note one place up or down."""
    step = -1 if request.form.get("direction") == "up" else 1
    return _button(
        slug,
        version,
        lambda p, rev: service.move_overlay(get_session(), p, user_name(), rev, overlay_id, step),
    )


@bp.route("/programs/<slug>/v<int:version>/notes/order", methods=["POST"])
def order_overlays(slug: str, version: int) -> WerkzeugResponse:
    """Put the notes in the order dropped by drag and drop."""
    ids = request.form.getlist("overlay", type=int)
    return _button(
        slug,
        version,
        lambda p, rev: service.reorder_overlays(get_session(), p, user_name(), rev, ids),
    )
