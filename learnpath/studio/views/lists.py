"""Query arguments of the studio's long lists (page, order, module filters), links, pickers."""

from collections.abc import Callable
from typing import Any

from flask import request, url_for
from wtforms.fields.choices import SelectChoice

from learnpath.db import get_session
from learnpath.models import Module
from learnpath.routing import id_or_none
from learnpath.services.catalog import module_edits
from learnpath.services.catalog.module_lists import ModuleFilter
from learnpath.services.catalog.paging import Order
from learnpath.studio.forms import choices


def page_number(name: str = "page") -> int:
    """The page asked for (1 when missing or not a positive number)."""
    return id_or_none(request.args.get(name)) or 1


def list_order(default: str) -> Order:
    """The sort key and direction asked for (the list falls back to its default key)."""
    return Order(request.args.get("sort") or default, request.args.get("order") == "desc")


def module_filter(text: str = "q") -> ModuleFilter:
    """Modules narrowed by competency, level, format and words (query argument `text`)."""
    args = request.args
    return ModuleFilter(
        competency=args.get("competency") or None,
        level=args.get("level") or None,
        format=args.get("format") or None,
        text=args.get(text) or None,
    )


def url_with(**changes: Any) -> str:
    """This page's address with some query arguments changed (None drops one): page links."""
    args: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict()}
    args |= {k: str(v) for k, v in changes.items() if v is not None}
    for name in (k for k, v in changes.items() if v is None):
        args.pop(name, None)
    return url_for(str(request.endpoint), **args)


def picker_choices(
    rows: list[tuple[Module, str]], kept: str | None, label: Callable[[Module, str], str]
) -> list[SelectChoice]:
    """A picker page's modules as options, plus the one a refused form posted (kept selected)."""
    options = [(m.slug, label(m, comp)) for m, comp in rows]
    if kept and all(slug != kept for slug, _ in options):
        found = module_edits.find(get_session(), kept)
        options.insert(0, (kept, found.title if found else kept))
    return choices(options)
