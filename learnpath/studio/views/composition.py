"""A draft's composition in the studio: module list or pool, targets, placement."""

from collections.abc import Callable
from typing import Any

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Program
from learnpath.services.catalog import competency_edits, composition, module_lists, ownership
from learnpath.services.catalog.authoring import Conflict, Invalid
from learnpath.services.catalog.paging import slice_page
from learnpath.studio.access import authoring
from learnpath.studio.blueprint import bp
from learnpath.studio.forms import accept_posted, choices
from learnpath.studio.forms.programs import (
    AddModuleForm,
    PlacementForm,
    RevisionForm,
    SettingsForm,
    TargetForm,
)
from learnpath.studio.views.common import (
    button,
    program_or_404,
    save,
    show_errors,
    user_name,
)
from learnpath.studio.views.lists import module_filter, page_number, picker_choices


def editor_context(program: Program, **forms: Any) -> dict[str, Any]:
    """Everything the draft editor shows besides the settings form."""
    session = get_session()
    entries = composition.entries(session, program)
    add = forms.get("add") or AddModuleForm(revision=program.revision)
    picker = None
    if program.parent_id is None:  # a derived program's modules change in its derivation
        picker = module_lists.picker_page(
            session,
            module_filter("find"),
            page_number(),
            composition.listed_ids(program),
            ownership.owners_for(session, program),
        )
        add.module.choices = picker_choices(
            picker.rows,
            add.module.data,
            lambda m, c: f"{m.title} ({c}, {m.level}, {m.minutes} min)",
        )
    competencies = competency_edits.all_competencies(session)
    target = forms.get("target") or TargetForm(revision=program.revision)
    target.competency.choices = choices((c.slug, c.name) for c in competencies)
    built = {e.module.competency_id for e in entries}
    placement = forms.get("placement") or _placement_form(program)
    placement.competencies.choices = choices(
        (c.slug, c.name) for c in competencies if c.id in built
    )
    return {
        "program": program,
        "entries": entries,
        # A pool has no order to drag, so it can be shown a page at a time; a list is whole.
        "shown": slice_page(entries, page_number("pool_page"), len(entries) or 1)
        if not program.is_personal
        else slice_page(entries, page_number("pool_page")),
        "minutes": composition.estimated_minutes(entries),
        "targets": composition.targets(session, program),
        "add": add,
        "picker": picker,
        "finding": module_filter("find"),
        "competencies": competencies,
        "target": target,
        "placement": placement,
        "row": RevisionForm(revision=program.revision),
    }


def _placement_form(program: Program) -> PlacementForm:
    current = program.placement or {}
    form = PlacementForm(revision=program.revision, enabled=bool(program.placement))
    if not form.is_submitted():
        form.competencies.data = list(current.get("competencies") or [])
        for name in ("max_items", "min_items", "se_target", "exposure"):
            if name in current:
                getattr(form, name).data = current[name]
    return form


def _back(program: Program) -> WerkzeugResponse:
    return redirect(url_for("studio.edit_program", slug=program.slug, version=program.version))


def _button(
    slug: str, version: int, act: Callable[[Program, int | None], None]
) -> WerkzeugResponse:
    """A one-button change on a draft: run it, or say why it was refused; back to the editor."""
    return button(slug, version, act, "studio.edit_program")


def _form_save(
    program: Program, form: Any, name: str, act: Callable[[], None]
) -> str | WerkzeugResponse:
    """Save a draft-editor form; on a refusal show the editor again, the input kept."""
    conflict = None
    if form.validate_on_submit():
        try:
            save(Program, program.id, act)
            return _back(program)
        except Invalid as error:
            show_errors(form, error)
        except Conflict as error:
            conflict = error
    settings = SettingsForm(formdata=None, obj=program, revision=program.revision)
    settings.instructors.data = "\n".join(program.instructors)
    context = editor_context(program, **{name: form})
    return render_template("studio/program_edit.html", form=settings, conflict=conflict, **context)


@bp.route("/programs/<slug>/v<int:version>/modules", methods=["POST"])
@authoring
def add_module(slug: str, version: int) -> str | WerkzeugResponse:
    """Add a module to the draft's list or pool."""
    program = program_or_404(slug, version)
    form = AddModuleForm()
    accept_posted(form.module)
    return _form_save(
        program,
        form,
        "add",
        lambda: composition.add_module(
            get_session(), program, user_name(), form.revision.data, form.module.data or ""
        ),
    )


@bp.route("/programs/<slug>/v<int:version>/modules/<module>/move", methods=["POST"])
@authoring
def move_module(slug: str, version: int, module: str) -> WerkzeugResponse:
    """Move a module one place up or down (refused with the reason if it breaks prerequisites)."""
    step = -1 if request.form.get("direction") == "up" else 1
    return _button(
        slug,
        version,
        lambda p, rev: composition.move_module(get_session(), p, user_name(), rev, module, step),
    )


@bp.route("/programs/<slug>/v<int:version>/modules/order", methods=["POST"])
@authoring
def order_modules(slug: str, version: int) -> WerkzeugResponse:
    """Put the modules in the order dropped by drag and drop (refused with the reason)."""
    slugs = request.form.getlist("module")
    return _button(
        slug,
        version,
        lambda p, rev: composition.reorder_modules(get_session(), p, user_name(), rev, slugs),
    )


@bp.route("/programs/<slug>/v<int:version>/modules/<module>/remove", methods=["POST"])
@authoring
def remove_module(slug: str, version: int, module: str) -> WerkzeugResponse:
    """Take a module out of the draft."""
    return _button(
        slug,
        version,
        lambda p, rev: composition.remove_module(get_session(), p, user_name(), rev, module),
    )


@bp.route("/programs/<slug>/v<int:version>/modules/<module>/mandatory", methods=["POST"])
@authoring
def set_mandatory(slug: str, version: int, module: str) -> WerkzeugResponse:
    """Make a module mandatory or optional."""
    value = request.form.get("mandatory") == "1"
    return _button(
        slug,
        version,
        lambda p, rev: composition.set_mandatory(get_session(), p, user_name(), rev, module, value),
    )


@bp.route("/programs/<slug>/v<int:version>/targets", methods=["POST"])
@authoring
def set_target(slug: str, version: int) -> str | WerkzeugResponse:
    """Set a competency's target level (for a role, in personal programs)."""
    program = program_or_404(slug, version)
    form = TargetForm()
    accept_posted(form.competency)
    return _form_save(
        program,
        form,
        "target",
        lambda: composition.set_target(
            get_session(),
            program,
            user_name(),
            form.revision.data,
            form.competency.data or "",
            form.level.data or "",
            form.role.data or "",
        ),
    )


@bp.route("/programs/<slug>/v<int:version>/targets/<int:competency_id>/remove", methods=["POST"])
@authoring
def remove_target(slug: str, version: int, competency_id: int) -> WerkzeugResponse:
    """Drop a target (the role travels in the form; empty for the default)."""
    role = request.form.get("role", "")
    return _button(
        slug,
        version,
        lambda p, rev: composition.remove_target(
            get_session(), p, user_name(), rev, competency_id, role
        ),
    )


@bp.route("/programs/<slug>/v<int:version>/placement", methods=["POST"])
@authoring
def set_placement(slug: str, version: int) -> str | WerkzeugResponse:
    """Switch the placement test on or off and configure it."""
    program = program_or_404(slug, version)
    form = PlacementForm()
    form.competencies.choices = choices((c, c) for c in request.form.getlist("competencies"))
    return _form_save(
        program,
        form,
        "placement",
        lambda: composition.set_placement(
            get_session(), program, user_name(), form.revision.data, form.data_for_service()
        ),
    )
