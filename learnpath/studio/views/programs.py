"""Program pages of the studio: overview, new draft, settings, publish, versions."""

from flask import redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Program
from learnpath.services.catalog import browse, composition, drafts, publishing
from learnpath.services.catalog.authoring import Conflict, Invalid
from learnpath.services.catalog.paging import slice_page
from learnpath.services.catalog.schema import DEEP_AUDIENCE
from learnpath.studio.access import authoring, require_editor
from learnpath.studio.blueprint import bp
from learnpath.studio.forms import choices
from learnpath.studio.forms.programs import NewProgramForm, RevisionForm, SettingsForm
from learnpath.studio.views.common import (
    program_or_404,
    refused,
    save,
    show_errors,
    user_name,
    valid,
)
from learnpath.studio.views.composition import editor_context
from learnpath.studio.views.derived import editor_of, program_extras
from learnpath.studio.views.lists import page_number


def _to_program(program: Program, endpoint: str = "studio.show_program") -> WerkzeugResponse:
    return redirect(url_for(endpoint, slug=program.slug, version=program.version))


@bp.route("/programs/<slug>/v<int:version>")
def show_program(slug: str, version: int) -> str:
    """A program version as its authors see it: settings, modules, versions, publish check."""
    program = program_or_404(slug, version)
    session = get_session()
    view = browse.program_view(session, slug, version)
    entries = composition.entries(session, program)
    draft = program.status == "draft"
    return render_template(
        "studio/program.html",
        view=view,
        entries=entries,
        shown=slice_page(entries, page_number("modules_page")),
        targets=composition.targets(session, program),
        versions=drafts.versions(session, slug),
        problems=publishing.publish_problems(session, program, entries) if draft else [],
        form=RevisionForm(revision=program.revision),
        **program_extras(program),
    )


@bp.route("/programs/new", methods=["GET", "POST"])
@authoring
def new_program() -> str | WerkzeugResponse:
    """Start a boxed or personal program as a draft, version 1."""
    form = NewProgramForm()
    if form.validate_on_submit():
        try:
            program = save(
                Program,
                None,
                lambda: drafts.create_program(
                    get_session(),
                    user_name(),
                    form.title.data or "",
                    form.depth.data or 1,
                    form.slug.data or "",
                ),
            )
        except Invalid as error:
            show_errors(form, error, {"id": "slug"})
        else:
            return _to_program(program, "studio.edit_program")
    return render_template("studio/program_new.html", form=form)


@bp.route("/programs/<slug>/v<int:version>/edit", methods=["GET", "POST"])
@authoring
def edit_program(slug: str, version: int) -> str | WerkzeugResponse:
    """The draft editor: settings here, module list, targets and placement beside them."""
    program = program_or_404(slug, version)
    if program.status != "draft":
        return _to_program(program)
    form = SettingsForm(obj=program, revision=program.revision)
    if program.depth_kind.owns_content:  # a deep program is for one department or group
        form.audience_kind.choices = choices([(DEEP_AUDIENCE, "department or group")])
    if not form.is_submitted():
        form.instructors.data = "\n".join(program.instructors)
    conflict, names = None, {"audience": "audience_name"}
    if form.is_submitted() and valid(form, drafts.SettingsIn, form.data_for_service(), names):
        try:
            save(
                Program,
                program.id,
                lambda: drafts.update_settings(
                    get_session(), program, user_name(), form.revision.data, form.data_for_service()
                ),
            )
        except Invalid as error:
            show_errors(form, error, names)
        except Conflict as error:
            conflict = error
        else:
            return _to_program(program, "studio.edit_program")
    return render_template(
        "studio/program_edit.html", form=form, conflict=conflict, **editor_context(program)
    )


@bp.route("/programs/<slug>/v<int:version>/publish", methods=["POST"])
def publish_program(slug: str, version: int) -> WerkzeugResponse:
    """Publish the draft (refused with every reason), which freezes it."""
    program = program_or_404(slug, version)
    require_editor(program.depth)
    form = RevisionForm()
    if form.validate_on_submit():
        try:
            save(
                Program,
                program.id,
                lambda: publishing.publish(get_session(), program, user_name(), form.revision.data),
            )
        except publishing.Unpublishable as error:
            refused(Invalid({"publish": error.reasons}))
        except (Invalid, Conflict) as error:
            refused(error)
    return _to_program(program)


@bp.route("/programs/<slug>/v<int:version>/draft", methods=["POST"])
def open_draft(slug: str, version: int) -> WerkzeugResponse:
    """Edit a published version: open (or reopen) its next draft."""
    program = program_or_404(slug, version)
    require_editor(program.depth)
    if not RevisionForm().validate_on_submit():
        return _to_program(program)
    draft = save(Program, None, lambda: drafts.open_draft(get_session(), program, user_name()))
    return _to_program(draft, editor_of(draft))


@bp.route("/programs/<slug>/v<int:version>/retire", methods=["POST"])
@authoring
def retire_program(slug: str, version: int) -> WerkzeugResponse:
    """Take a published version out of the catalog; enrolled learners keep it."""
    program = program_or_404(slug, version)
    if RevisionForm().validate_on_submit():
        try:
            save(
                Program,
                program.id,
                lambda: publishing.retire(get_session(), program, user_name()),
            )
        except publishing.Unpublishable as error:
            refused(Invalid({"retire": error.reasons}))
    return _to_program(program)
