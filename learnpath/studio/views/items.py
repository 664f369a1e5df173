"""Item pages of the studio: the item as a learner sees it, and its editor with preview."""

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.db import get_session
from learnpath.models import Competency, Item
from learnpath.services.catalog import competency_edits, item_edits, ownership
from learnpath.services.catalog.authoring import Conflict, Invalid
from learnpath.services.learning.quiz import exposure
from learnpath.studio.access import authoring
from learnpath.studio.blueprint import bp
from learnpath.studio.forms.catalog import (
    ItemForm,
    MultiplePreviewForm,
    SinglePreviewForm,
    owner_choices,
)
from learnpath.studio.views.common import save, show_errors, user_name


def _item_or_404(slug: str) -> Item:
    item = item_edits.find(get_session(), slug)
    if item is None:
        abort(404)
    return item


AnswerForm = SinglePreviewForm | MultiplePreviewForm


def learner_view(data: dict[str, Any]) -> tuple[dict[str, Any], AnswerForm]:
    """The question and its answer field as the quiz page renders them (authored order)."""
    cls = MultiplePreviewForm if data["type"] == "multiple" else SinglePreviewForm
    form = cls(formdata=None)
    form.choice.choices = [(str(i), o["text"]) for i, o in enumerate(data["options"])]
    return {"stem": data["stem"], "kind": data["type"]}, form


@bp.route("/items/<slug>")
def show_item(slug: str) -> str:
    """An item as learners see it, with its key, explanation, parameters and status."""
    item = _item_or_404(slug)
    session = get_session()
    data = item_edits.fields_of(session, item)
    question, answer = learner_view(data)
    return render_template(
        "studio/item.html",
        item=item,
        data=data,
        question=question,
        answer=answer,
        competency=session.get(Competency, item.competency_id),
        owners=ownership.deep_lines(session),
        exposure=exposure.item_exposure(session, item),
    )


def _edit(competency: Competency, item: Item | None) -> str | WerkzeugResponse:
    """Shared by new and edit: preview without saving, or save in one transaction."""
    session = get_session()
    current = item_edits.fields_of(session, item) if item else {"c": 0.0, "d": 1.0}
    form = ItemForm(revision=item.revision if item else None)
    owner_choices(form.owner, ownership.deep_lines(session))
    if item is not None:
        form.slug.data = item.slug
        if not form.is_submitted():
            _fill(form, current)
    elif not form.is_submitted():
        form.owner.data = request.args.get("owner", "")  # "New department item" of a program
    conflict, preview = None, None
    if form.is_submitted() and "preview" in request.form:
        preview = learner_view(form.data_for_service())
    elif form.validate_on_submit():
        data = {"c": current["c"], "d": current["d"], **form.data_for_service()}
        try:
            saved = save(
                Item,
                item.id if item else None,
                lambda: item_edits.save_item(
                    session, user_name(), competency.slug, data, item, form.revision.data
                ),
            )
        except Invalid as error:
            show_errors(form, error, {"id": "slug"})
        except Conflict as error:
            conflict = error
        else:
            return redirect(url_for("studio.show_item", slug=saved.slug))
    return render_template(
        "studio/item_edit.html",
        form=form,
        item=item,
        competency=competency,
        conflict=conflict,
        preview=preview,
    )


def _fill(form: ItemForm, data: dict[str, Any]) -> None:
    for name in ("type", "stem", "explanation", "status", "a", "b"):
        getattr(form, name).data = data[name]
    form.owner.data = data["owner"] or ""
    for row, option in zip(form.options, data["options"], strict=False):
        row.form.text.data, row.form.correct.data = option["text"], option["correct"]


@bp.route("/competencies/<slug>/items/new", methods=["GET", "POST"])
@authoring
def new_item(slug: str) -> str | WerkzeugResponse:
    """Write a new item in a competency's bank."""
    competency = competency_edits.find(get_session(), slug)
    if competency is None:
        abort(404)
    return _edit(competency, None)


@bp.route("/items/<slug>/edit", methods=["GET", "POST"])
@authoring
def edit_item(slug: str) -> str | WerkzeugResponse:
    """Edit an item, with a preview as the learner sees it."""
    item = _item_or_404(slug)
    competency = get_session().get(Competency, item.competency_id)
    assert competency is not None
    return _edit(competency, item)
