"""Module pages of the studio: list with use, page with preview, editor with preview."""

from pathlib import Path
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Module
from learnpath.models.base import pk
from learnpath.services.catalog import competency_edits, module_edits, module_lists, ownership
from learnpath.services.catalog.authoring import Conflict, Invalid
from learnpath.services.learning import trajectory
from learnpath.studio.access import authoring
from learnpath.studio.blueprint import bp
from learnpath.studio.forms import choices
from learnpath.studio.forms.catalog import ModuleForm, owner_choices
from learnpath.studio.views.common import save, show_errors, user_name
from learnpath.studio.views.lists import list_order, module_filter, page_number
from learnpath.vocabulary import LEVELS, MODULE_FORMATS


def _module_or_404(slug: str) -> Module:
    module = module_edits.find(get_session(), slug)
    if module is None:
        abort(404)
    return module


@bp.route("/modules")
def list_modules() -> str:
    """Modules with competency, level, format, minutes and use: filtered, sorted, paginated."""
    session = get_session()
    filters = module_filter()
    page, order = module_lists.modules_page(
        session, filters, list_order("competency"), page_number()
    )
    return render_template(
        "studio/modules.html",
        page=page,
        order=order,
        filters=filters,
        competencies=competency_edits.all_competencies(session),
        levels=LEVELS,
        formats=MODULE_FORMATS,
        owners=ownership.deep_lines(session),
    )


@bp.route("/modules/<slug>")
def show_module(slug: str) -> str:
    """A module as learners will see it, its front matter and where it is used."""
    module = _module_or_404(slug)
    session = get_session()
    return render_template(
        "studio/module.html",
        module=module,
        fields=module_edits.fields_of(session, module),
        used_by=module_edits.used_by(session, module),
        owners=ownership.deep_lines(session),
    )


def _choices(form: ModuleForm, module: Module | None) -> None:
    """Competencies, and as prerequisite or original: the chosen modules plus one page of the
    search (`find`; without one, the module's competency), never the whole catalog."""
    session = get_session()
    competencies = competency_edits.all_competencies(session)
    form.competency.choices = choices((c.slug, c.name) for c in competencies)
    find = (request.form if form.is_submitted() else request.args).get("find", "").strip()
    narrowed = module_lists.ModuleFilter(
        competency=None if find else (form.competency.data or None), text=find or None
    )
    own = [pk(module)] if module is not None else []
    found = module_lists.picker_page(session, narrowed, 1, own).rows
    kept = [*(form.requires.data or []), form.alternative_of.data or ""]
    others = [(m.slug, m.title) for m, _ in found]
    listed = {slug for slug, _ in others}
    titles = module_edits.titles_of(session, [k for k in kept if k and k not in listed])
    others = [*titles, *others]
    form.requires.choices = choices(others)
    form.alternative_of.choices = choices([("", "— none —"), *others])
    owner_choices(form.owner, ownership.deep_lines(session))
    form.find.data = find


def _edit(module: Module | None) -> str | WerkzeugResponse:
    """Shared by new and edit: preview without saving, or save in one transaction."""
    form = ModuleForm(revision=module.revision if module else None)
    if module is not None:
        form.slug.data = module.slug
        if not form.is_submitted():
            _fill(form, module_edits.fields_of(get_session(), module), module.body)
    elif not form.is_submitted():
        form.owner.data = request.args.get("owner", "")  # "New department module" of a program
    _choices(form, module)
    conflict, preview = None, None
    if form.is_submitted() and "preview" in request.form:
        preview = form.body.data or ""
    elif form.is_submitted() and "find_modules" in request.form:
        pass  # only the choices change: the form shows again as typed
    elif form.validate_on_submit():
        try:
            saved = save(
                Module,
                module.id if module else None,
                lambda: _save_and_replan(form, module),
            )
        except Invalid as error:
            show_errors(form, error, {"id": "slug", "video": "video", "captions": "captions"})
        except Conflict as error:
            conflict = error
        else:
            return redirect(url_for("studio.show_module", slug=saved.slug))
    return render_template(
        "studio/module_edit.html", form=form, module=module, conflict=conflict, preview=preview
    )


def _fill(form: ModuleForm, fields: dict[str, Any], body: str) -> None:
    for name in ("title", "summary", "competency", "level", "format", "minutes", "requires"):
        getattr(form, name).data = fields[name]
    form.tags.data = ", ".join(fields["tags"])
    form.alternative_of.data = fields["alternative_of"] or ""
    form.video.data = fields.get("video") or ""
    form.captions.data = fields.get("captions") or ""
    form.owner.data = fields.get("owner") or ""
    form.body.data = body


@bp.route("/modules/new", methods=["GET", "POST"])
@authoring
def new_module() -> str | WerkzeugResponse:
    """Write a new module."""
    return _edit(None)


@bp.route("/modules/<slug>/edit", methods=["GET", "POST"])
@authoring
def edit_module(slug: str) -> str | WerkzeugResponse:
    """Edit a module's front matter and lesson, with a preview."""
    return _edit(_module_or_404(slug))


def _save_and_replan(form: ModuleForm, module: Module | None) -> Module:
    """Save the module; the stored plans of programs that list it follow (a GET never re-plans)."""
    session = get_session()
    saved = module_edits.save_module(
        session,
        user_name(),
        form.data_for_service(),
        form.body.data or "",
        module,
        form.revision.data,
        Path(current_app.config["MEDIA_DIR"]),
    )
    if module is not None:
        trajectory.replan_using_module(session, pk(saved))
    return saved
