"""Query parameters and responses of list endpoints: limit, cursor, updated_since, Link."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import orjson
from flask import Response, current_app, request, url_for
from pydantic import AwareDatetime, BaseModel, TypeAdapter, ValidationError

from learnpath.api.errors import ApiError, invalid
from learnpath.db import get_session
from learnpath.services.integration.formats import DATE_TIME, in_utc_range
from learnpath.services.integration.sync import CursorError, Seal, Window, open_window
from learnpath.vocabulary import iso_utc

MAX_LIMIT = 1000
_TIME = TypeAdapter(AwareDatetime)


def json_response(model: BaseModel, status: int = 200, **headers: str) -> Response:
    """A data model as a JSON response."""
    response = Response(model.model_dump_json(), status=status, mimetype="application/json")
    response.headers.update(headers)
    return response


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high] (422 otherwise)."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", raw) or not low <= int(raw) <= high:
        raise invalid(name, f"must be an integer from {low} to {high}")
    return int(raw)


def time_arg(name: str) -> datetime | None:
    """An ISO 8601 time with a time zone (422 otherwise)."""
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        if not DATE_TIME.fullmatch(raw):
            raise ValueError(raw)
        value = _TIME.validate_python(raw)
    except (ValidationError, ValueError) as exc:
        raise invalid(name, "must be an ISO 8601 time with a time zone, e.g. ...Z") from exc
    try:
        return in_utc_range(value)
    except ValueError as exc:
        raise invalid(name, str(exc)) from exc


def cursor_seal() -> Seal:
    """The seal that signs this app's cursors with its SECRET_KEY (made once per app)."""
    seal = current_app.extensions.get("learnpath.cursor_seal")
    if seal is None:
        seal = current_app.extensions["learnpath.cursor_seal"] = Seal(current_app.secret_key or "")
    return seal


def cursor_refused(exc: CursorError) -> ApiError:
    """The 400 naming `cursor` for a cursor this API did not hand out (or one edited since)."""
    return ApiError(400, "The cursor is not valid.", [("cursor", str(exc))])


def read_window(since_arg: str = "updated_since") -> Window:
    """The window a list request asks for: a fresh watermark, or the one its cursor carries."""
    limit = int_arg("limit", 100, 1, MAX_LIMIT)
    since = time_arg(since_arg)
    try:
        return open_window(get_session(), request.args.get("cursor"), since, limit, cursor_seal())
    except CursorError as exc:
        raise cursor_refused(exc) from exc


def page_response(
    page: type[BaseModel], data: list[Any], cursor: str | None, window: Window
) -> Response:
    """A page with next_cursor and has_more, its Link header and the sync watermark."""
    if data and isinstance(data[0], str):  # records already encoded as JSON text (speed)
        rest = orjson.dumps({"next_cursor": cursor, "has_more": cursor is not None}).decode()
        text = '{"data":[' + ",".join(data) + "]," + rest[1:]  # as orjson writes the whole
        response = Response(text, mimetype="application/json")
    else:
        body = page(data=data, next_cursor=cursor, has_more=cursor is not None)
        response = json_response(body)
    response.headers["X-Consistent-Through"] = iso_utc(window.through)
    if cursor is not None:
        args: dict[str, Any] = {**request.args.to_dict(), **(request.view_args or {})}
        args["cursor"] = cursor
        assert request.endpoint is not None
        # Relative (RFC 8288 resolves it against the request's URL): never built from the Host
        # header, which a client or a misconfigured proxy can set to anything.
        url = url_for(request.endpoint, **args)
        response.headers["Link"] = f'<{url}>; rel="next"'
    return response
