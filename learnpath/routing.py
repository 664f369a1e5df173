"""URL converters: `<int:...>` ids end at the database's integer range, so larger ones are 404."""

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1
"""The largest id a row can have (PostgreSQL `integer`; SQLite tables mirror it)."""


class IdConverter(IntegerConverter):
    """`<int:...>` capped at MAX_ID: a larger number names no row (and PostgreSQL refuses it)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def id_or_none(raw: str | None) -> int | None:
    """A row id from a query or form value: None unless 0 to MAX_ID written in digits."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    number = int(raw)
    return number if number <= MAX_ID else None


def init_app(app: Flask) -> None:
    """Register the capped converter as `int`, before any blueprint adds its rules."""
    app.url_map.converters["int"] = IdConverter
