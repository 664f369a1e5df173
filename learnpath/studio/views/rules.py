"""Personal programs in the studio: segment rules as data, and a live preview that writes nothing.

The preview is a GET: the rule form's Preview button sends the fields as the query, the page
shows how many learners the rule matches, a page of them, and one learner's trajectory under the
draft with the rule in its place. A small script refreshes that panel as the author types.
"""

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Learner, Program
from learnpath.routing import id_or_none
from learnpath.services.catalog import personal
from learnpath.services.catalog.authoring import Conflict, Invalid
from learnpath.services.learning import preview
from learnpath.studio.access import authoring
from learnpath.studio.blueprint import bp
from learnpath.studio.forms import choices
from learnpath.studio.forms.programs import RevisionForm
from learnpath.studio.forms.rules import RuleForm
from learnpath.studio.views.common import (
    button_action,
    program_or_404,
    save,
    show_errors,
    user_name,
)
from learnpath.vocabulary import utcnow

PER_PAGE = 25
ERROR_FIELDS = {"below": "levels", "at_least": "levels", "rule": "name", "status": "name"}


def _personal(slug: str, version: int) -> Program:
    """A personal program version, or 404 (other depths have no rules)."""
    program = program_or_404(slug, version)
    if not program.is_personal:
        abort(404)
    return program


def _rules_page(program: Program) -> WerkzeugResponse:
    return redirect(url_for("studio.list_rules", slug=program.slug, version=program.version))


def _here(**changes: Any) -> str:
    """This page's URL with the same query, some arguments changed (None drops one)."""
    args: dict[str, Any] = request.args.to_dict(flat=False)
    for key, value in changes.items():
        args.pop(key, None)
        if value is not None:
            args[key] = value
    return url_for(str(request.endpoint), **(request.view_args or {}), **args)


def _sample() -> Learner | None:
    """The learner whose trajectory is previewed: ?learner=<id>, or ?who=<employee id or email>."""
    session = get_session()
    number = id_or_none(request.args.get("learner"))
    if number is not None:
        return preview.learner_by_id(session, number)
    who = request.args.get("who", "").strip()
    if not who:
        return None
    found = preview.find_learner(session, who)
    if found is None:
        flash(f"No active learner with employee id or email “{who}”.")
    return found


def _rule_form(program: Program, formdata: Any = None, **meta: Any) -> RuleForm:
    """The rule form with its choices: modules (the pool first) and competencies."""
    session = get_session()
    form = RuleForm(formdata=formdata, meta=meta or None, revision=program.revision)
    form.modules.choices = personal.module_choices(session, program)
    names = personal.competency_choices(session)
    for row in form.levels:
        row.form.competency.choices = choices([("", "—"), *names])
    return form


@bp.route("/programs/<slug>/v<int:version>/rules")
def list_rules(slug: str, version: int) -> str:
    """A personal program's rules in order, and a chosen learner's trajectory under the draft."""
    program = _personal(slug, version)
    session = get_session()
    learner = _sample()
    return render_template(
        "studio/rules.html",
        program=program,
        rules=personal.rules(session, program),
        row=RevisionForm(revision=program.revision),
        learner=learner,
        trajectory=preview.trajectory(session, program, learner, utcnow().date())
        if learner
        else None,
    )


def _preview(program: Program, position: int | None, rule: Any) -> dict[str, Any]:
    """What the preview panel shows for a rule: its matches and a sample's trajectory."""
    session = get_session()
    page = request.args.get("page", "1")
    matches = preview.matching(
        session,
        preview.as_planning(rule).when,
        program.level_bands,
        id_or_none(page) or 1,
        PER_PAGE,
    )
    learner = _sample()
    if learner is None and matches.people:
        learner = preview.learner_by_id(session, matches.people[0].id)
    trajectory = None
    if learner is not None:
        change = (position, preview.as_planning(rule))
        trajectory = preview.trajectory(session, program, learner, utcnow().date(), change)
    return {"matches": matches, "learner": learner, "trajectory": trajectory, "here": _here}


@bp.route("/programs/<slug>/v<int:version>/rules/<int:position>/preview")
def preview_rule(slug: str, version: int, position: int) -> str:
    """Whom a stored rule matches, and what it makes of one learner's trajectory."""
    program = _personal(slug, version)
    views = personal.rules(get_session(), program)
    if not 0 <= position < len(views):
        abort(404)
    rule = personal.parse_rule(get_session(), views[position].data)
    return render_template(
        "studio/rule_preview.html",
        program=program,
        view=views[position],
        **_preview(program, position, rule),
    )


def _edit_page(program: Program, position: int | None) -> str | WerkzeugResponse:
    """The rule form: GET shows it (with ?preview, a preview of what was typed), POST saves."""
    if program.status != "draft":
        flash(f"Version {program.version} is {program.status} and frozen: open a new draft.")
        return _rules_page(program)
    views = personal.rules(get_session(), program)
    if position is not None and not 0 <= position < len(views):
        abort(404)
    if request.method == "GET" and "csrf_token" in request.args:
        # The Preview button sends the whole form, token included: keep it out of the address
        # bar, history and Referer by asking again without it.
        return redirect(_here(csrf_token=None))
    if request.method == "GET" and "preview" in request.args:
        return _previewed(program, position, _rule_form(program, request.args, csrf=False))
    form = _rule_form(program, request.form if request.method == "POST" else None)
    if request.method == "GET" and position is not None:
        form.fill(views[position].data)
    conflict = None
    if form.validate_on_submit():
        try:
            save(Program, program.id, lambda: _store(program, position, form))
        except Invalid as error:
            show_errors(form, error, ERROR_FIELDS)
        except Conflict as error:
            conflict = error
        else:
            return _rules_page(program)
    return _render_edit(program, position, form, conflict=conflict)


def _store(program: Program, position: int | None, form: RuleForm) -> None:
    data, revision = form.data_for_service(), form.revision.data
    if position is None:
        personal.add_rule(get_session(), program, user_name(), revision, data)
    else:
        personal.update_rule(get_session(), program, user_name(), revision, position, data)


def _previewed(program: Program, position: int | None, form: RuleForm) -> str:
    """Preview what the form holds, or show why it cannot be previewed (beside each field)."""
    if not form.validate():
        return _render_edit(program, position, form)
    try:
        rule = personal.parse_rule(get_session(), form.data_for_service())
    except Invalid as error:
        show_errors(form, error, ERROR_FIELDS)
        return _render_edit(program, position, form)
    return _render_edit(program, position, form, **_preview(program, position, rule))


def _render_edit(program: Program, position: int | None, form: RuleForm, **context: Any) -> str:
    template = "studio/_preview_panel.html" if request.headers.get("X-Preview") else None
    return render_template(
        template or "studio/rule_edit.html",
        program=program,
        position=position,
        form=form,
        **dict(zip(("roles", "departments"), preview.known_groups(get_session()), strict=True)),
        **{"conflict": None, **context},
    )


@bp.route("/programs/<slug>/v<int:version>/rules/new", methods=["GET", "POST"])
@authoring
def new_rule(slug: str, version: int) -> str | WerkzeugResponse:
    """Write a new rule (added after the others: a later rule wins for the same module)."""
    return _edit_page(_personal(slug, version), None)


@bp.route("/programs/<slug>/v<int:version>/rules/<int:position>", methods=["GET", "POST"])
@authoring
def edit_rule(slug: str, version: int, position: int) -> str | WerkzeugResponse:
    """Change a rule."""
    return _edit_page(_personal(slug, version), position)


def _button(
    slug: str, version: int, act: Callable[[Program, int | None], None]
) -> WerkzeugResponse:
    """A one-button change to the rules: run it, or say why it was refused."""
    program = _personal(slug, version)
    button_action(program, act)
    return _rules_page(program)


@bp.route("/programs/<slug>/v<int:version>/rules/<int:position>/remove", methods=["POST"])
@authoring
def remove_rule(slug: str, version: int, position: int) -> WerkzeugResponse:
    """Delete a rule."""
    return _button(
        slug,
        version,
        lambda p, rev: personal.remove_rule(get_session(), p, user_name(), rev, position),
    )


@bp.route("/programs/<slug>/v<int:version>/rules/<int:position>/move", methods=["POST"])
@authoring
def move_rule(slug: str, version: int, position: int) -> WerkzeugResponse:
    """Move a rule one place earlier or later."""
    step = -1 if request.form.get("direction") == "up" else 1
    return _button(
        slug,
        version,
        lambda p, rev: personal.move_rule(get_session(), p, user_name(), rev, position, step),
    )


@bp.route("/programs/<slug>/v<int:version>/rules/order", methods=["POST"])
@authoring
def order_rules(slug: str, version: int) -> WerkzeugResponse:
    """Put the rules in the order dropped by drag and drop."""
    positions = request.form.getlist("rule", type=int)
    return _button(
        slug,
        version,
        lambda p, rev: personal.reorder_rules(get_session(), p, user_name(), rev, positions),
    )
