"""Deriving programs, and the derivation editor of specialized and deep drafts."""

from collections.abc import Callable
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Program
from learnpath.models.base import pk
from learnpath.services.catalog import (
    competency_edits,
    derived_modules,
    drafts,
    facilitation,
    module_lists,
    overrides,
    ownership,
)
from learnpath.services.catalog.authoring import Invalid
from learnpath.services.catalog.derivation import (
    DERIVED,
    changes_modules,
    derivation,
    derive_program,
    modules_by_slug,
    newer_parent,
    parent_of,
)
from learnpath.services.catalog.parent_diff import parent_diff
from learnpath.services.learning import versions
from learnpath.studio.access import authoring, may_edit, require_editor
from learnpath.studio.blueprint import bp
from learnpath.studio.forms import accept_posted, choices
from learnpath.studio.forms.derived import AddDerivedForm, DeriveForm, OverrideForm, SwapForm
from learnpath.studio.forms.programs import RevisionForm
from learnpath.studio.views.common import (
    button,
    form_action,
    program_or_404,
    save,
    show_errors,
    user_name,
)
from learnpath.studio.views.lists import module_filter, page_number, picker_choices


def editor_of(program: Program) -> str:
    """The endpoint where a draft of this depth is edited."""
    if changes_modules(program.depth):
        return "studio.edit_derivation"
    return "studio.facilitation" if program.depth_kind.is_derived else "studio.edit_program"


def program_extras(program: Program) -> dict[str, Any]:
    """What the program page shows of derivations: the diff, sessions, notes, newer versions."""
    session = get_session()
    derived = program.parent_id is not None
    newest = drafts.versions(session, program.slug)[0]
    published = program.status == "published"
    return {
        "editor": editor_of(program),
        "diff": parent_diff(session, program),
        "newer_parent": newer_parent(session, program) if newest.id == program.id else None,
        "sessions": facilitation.sessions(session, program) if derived else [],
        "overlays": facilitation.overlays(session, program) if derived else [],
        "movable": versions.waiting(session, program) if published else 0,
        "derivable": published and any(d > program.depth for d in DERIVED),
        "department": ownership.department_content(session, program)
        if program.depth_kind.owns_content
        else None,
        "owners": ownership.deep_lines(session),
    }


@bp.route("/programs/<slug>/v<int:version>/derive", methods=["GET", "POST"])
def derive(slug: str, version: int) -> str | WerkzeugResponse:
    """Derive a facilitated, specialized or deep program from this published version."""
    parent = program_or_404(slug, version)
    depths = [d for d in DERIVED if d > parent.depth and may_edit(d)]
    if not depths:
        abort(403, "You may not derive a program from this one.")
    if request.method == "POST":
        require_editor(request.form.get("depth", 0, type=int))
    form = DeriveForm()
    form.depth.choices = choices((int(d), f"{d} · {d.label}") for d in depths)
    if form.validate_on_submit():
        try:
            child = save(
                Program,
                None,
                lambda: derive_program(
                    get_session(),
                    parent,
                    user_name(),
                    form.depth.data,
                    form.title.data or "",
                    form.audience.data or "",
                    form.slug.data or "",
                ),
            )
        except Invalid as error:
            show_errors(form, error, {"id": "slug", "parent": "depth"})
        else:
            return redirect(url_for(editor_of(child), slug=child.slug, version=child.version))
    return render_template("studio/derive.html", parent=parent, form=form)


def _derivation_page(program: Program, **forms: Any) -> str:
    """The editor of a specialized or deep draft's modules and targets."""
    session = get_session()
    d = derivation(session, program)
    named = modules_by_slug(session, {*d.modules, *d.parent_ids})
    listed = [named[m] for m in d.modules]
    picker = module_lists.picker_page(
        session,
        module_filter("find"),
        page_number(),
        [pk(m) for m in listed],
        ownership.owners_for(session, program),
    )
    swap = forms.get("swap") or SwapForm(revision=program.revision)
    swap.module.choices = choices((m.slug, m.title) for m in listed)
    swap.with_.choices = picker_choices(picker.rows, swap.with_.data, lambda m, _: m.title)
    add = forms.get("add") or AddDerivedForm(revision=program.revision)
    add.module.choices = picker_choices(picker.rows, add.module.data, lambda m, _: m.title)
    add.after.choices = choices([("", "(first)"), *((m.slug, m.title) for m in listed)])
    if not add.is_submitted() and listed:
        add.after.data = listed[-1].slug
    rows = overrides.target_rows(session, program, d.parent)
    target = forms.get("target") or OverrideForm(revision=program.revision)
    target.competency.choices = choices((r.competency.slug, r.competency.name) for r in rows)
    taken_out = [named[m] for m in d.parent_ids if m not in set(d.modules)]
    return render_template(
        "studio/derivation.html",
        program=program,
        derivation=d,
        listed=listed,
        taken_out=taken_out,
        targets=rows,
        diff=parent_diff(session, program),
        swap=swap,
        add=add,
        picker=picker,
        finding=module_filter("find"),
        competencies=competency_edits.all_competencies(session),
        target=target,
        row=RevisionForm(revision=program.revision),
        owners=ownership.deep_lines(session),
        department=ownership.department_content(session, program)
        if program.depth_kind.owns_content
        else None,
    )


@bp.route("/programs/<slug>/v<int:version>/derivation")
@authoring
def edit_derivation(slug: str, version: int) -> str | WerkzeugResponse:
    """Modules and targets of a specialized or deep draft, with its diff to the parent."""
    program = program_or_404(slug, version)
    if program.status != "draft" or not changes_modules(program.depth):
        return redirect(url_for("studio.show_program", slug=slug, version=version))
    return _derivation_page(program)


def _back(program: Program) -> WerkzeugResponse:
    return redirect(url_for("studio.edit_derivation", slug=program.slug, version=program.version))


def _button(
    slug: str, version: int, act: Callable[[Program, int | None], None]
) -> WerkzeugResponse:
    """A one-button change: run it, or say why it was refused; back to the editor."""
    return button(slug, version, act, "studio.edit_derivation")


def _form(
    slug: str, version: int, name: str, form: Any, act: Callable[[Program], None]
) -> str | WerkzeugResponse:
    """Save a derivation form; a refusal shows the editor again with the input kept."""
    program = program_or_404(slug, version)
    if form_action(program, form, act):
        return _back(program)
    return _derivation_page(program, **{name: form})


@bp.route("/programs/<slug>/v<int:version>/derivation/<module>/drop", methods=["POST"])
@authoring
def drop_derived(slug: str, version: int, module: str) -> WerkzeugResponse:
    """Take a module out of the derived draft."""
    return _button(
        slug,
        version,
        lambda p, rev: derived_modules.drop_module(get_session(), p, user_name(), rev, module),
    )


@bp.route("/programs/<slug>/v<int:version>/derivation/<module>/restore", methods=["POST"])
@authoring
def restore_derived(slug: str, version: int, module: str) -> WerkzeugResponse:
    """Bring back a parent's module the draft took out or swapped."""
    return _button(
        slug,
        version,
        lambda p, rev: derived_modules.restore_module(get_session(), p, user_name(), rev, module),
    )


@bp.route("/programs/<slug>/v<int:version>/derivation/<module>/move", methods=["POST"])
@authoring
def move_derived(slug: str, version: int, module: str) -> WerkzeugResponse:
    """Move a module one place up or down, within its prerequisites."""
    step = -1 if request.form.get("direction") == "up" else 1
    return _button(
        slug,
        version,
        lambda p, rev: derived_modules.move_module(
            get_session(), p, user_name(), rev, module, step
        ),
    )


@bp.route("/programs/<slug>/v<int:version>/derivation/order", methods=["POST"])
@authoring
def order_derived(slug: str, version: int) -> WerkzeugResponse:
    """Put the modules in the order dropped by drag and drop, within their prerequisites."""
    slugs = request.form.getlist("module")
    return _button(
        slug,
        version,
        lambda p, rev: derived_modules.reorder_modules(get_session(), p, user_name(), rev, slugs),
    )


@bp.route("/programs/<slug>/v<int:version>/derivation/swap", methods=["POST"])
@authoring
def swap_derived(slug: str, version: int) -> str | WerkzeugResponse:
    """Put another module in a module's place."""
    form = SwapForm()
    accept_posted(form.module, form.with_)
    return _form(
        slug,
        version,
        "swap",
        form,
        lambda p: derived_modules.swap_module(
            get_session(), p, user_name(), form.revision.data, form.module.data, form.with_.data
        ),
    )


@bp.route("/programs/<slug>/v<int:version>/derivation/add", methods=["POST"])
@authoring
def add_derived(slug: str, version: int) -> str | WerkzeugResponse:
    """Add a module (a client's case, a department's own module) after another one."""
    form = AddDerivedForm()
    accept_posted(form.module, form.after)
    return _form(
        slug,
        version,
        "add",
        form,
        lambda p: derived_modules.add_module(
            get_session(), p, user_name(), form.revision.data, form.module.data, form.after.data
        ),
    )


@bp.route("/programs/<slug>/v<int:version>/derivation/targets", methods=["POST"])
@authoring
def override_target(slug: str, version: int) -> str | WerkzeugResponse:
    """Aim at another level of a competency than the parent, within its bounds."""
    form = OverrideForm()
    accept_posted(form.competency)
    return _form(
        slug,
        version,
        "target",
        form,
        lambda p: overrides.override_target(
            get_session(),
            p,
            _parent(p),
            user_name(),
            form.revision.data,
            form.competency.data,
            form.level.data,
        ),
    )


@bp.route(
    "/programs/<slug>/v<int:version>/derivation/targets/<int:competency_id>/reset",
    methods=["POST"],
)
@authoring
def reset_target(slug: str, version: int, competency_id: int) -> WerkzeugResponse:
    """Aim at the parent's level again."""
    return _button(
        slug,
        version,
        lambda p, rev: overrides.reset_target(
            get_session(), p, _parent(p), user_name(), rev, competency_id
        ),
    )


def _parent(program: Program) -> Program:
    return parent_of(get_session(), program)
