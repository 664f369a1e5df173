"""Query arguments of the studio's long lists: page, sort order, module filters; page links."""

from typing import Any

from flask import request, url_for

from learnpath.services.catalog.module_lists import ModuleFilter
from learnpath.services.catalog.paging import Order


def page_number(name: str = "page") -> int:
    """The page asked for (1 when missing or not a positive number)."""
    return max(1, request.args.get(name, 1, type=int) or 1)


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
    args = {**request.args.to_dict(), **{k: str(v) for k, v in changes.items() if v is not None}}
    for name in (k for k, v in changes.items() if v is None):
        args.pop(name, None)
    return url_for(str(request.endpoint), **(request.view_args or {}), **args)
