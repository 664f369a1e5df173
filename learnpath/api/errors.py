"""JSON errors under /api/ and /xapi/ (the docs/api.md shape) and /oauth/ (RFC 6749 shape).

Unknown URLs, wrong methods and rate limits included; the token endpoint's own errors are
Authlib's, already in the RFC 6749 §5.2 shape this module gives the rest of /oauth/.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, jsonify, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException, InternalServerError

from learnpath.services.integration.schemas import InputError

PREFIXES = ("/api/", "/xapi/")
PAGE_HANDLER = "learnpath.error_page"
"""app.extensions key of the function that renders an HTML error page (learner.errors)."""
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}
# RFC 6749 §5.2 names for the statuses it covers; the others keep the API's code names.
OAUTH_CODES = {400: "invalid_request", 500: "server_error", 503: "temporarily_unavailable"}
M = TypeVar("M", bound=BaseModel)


class ApiError(Exception):
    """An error answered as JSON: status, code, message and optional field details."""

    def __init__(
        self,
        status: int,
        message: str,
        details: Iterable[tuple[str, str]] = (),
        headers: Iterable[tuple[str, str]] = (),
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.code = code or CODES.get(status, "error")
        self.details, self.headers = list(details), list(headers)

    def response(self) -> Response:
        """The JSON response of this error."""
        details = [{"field": f, "message": m} for f, m in self.details]
        body = {"code": self.code, "message": self.message, "details": details}
        response = jsonify({"error": body})
        response.status_code = self.status
        for name, value in self.headers:
            response.headers[name] = value
        return response


def invalid(field: str, message: str) -> ApiError:
    """A 422 about one field."""
    return ApiError(422, "The request is not valid.", [(field, message)])


def from_input_error(exc: InputError) -> ApiError:
    """A service's complaint about the data, as an API error."""
    return ApiError(
        exc.status,
        exc.message if exc.status != 422 else "The request is not valid.",
        [(exc.field, exc.message)],
    )


def parse_body(model: type[M]) -> M:
    """The JSON body validated by a data model; 415 unless sent as JSON, 400 if it is not JSON,
    422 with field details."""
    if not request.is_json:
        raise ApiError(
            415, "Send the body as application/json.", [("Content-Type", "must be JSON")]
        )
    data = load_json(request.get_data(cache=True) or b"null", "body", "The body is not valid JSON.")
    if not isinstance(data, dict):
        raise ApiError(422, "The request is not valid.", [("body", "must be a JSON object")])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, "The request is not valid.", details_of(exc)) from exc


def load_json(text: str | bytes, field: str, message: str) -> Any:
    """Parse JSON text; 400 naming `field` if it is not JSON or nests too deeply to parse."""
    try:
        return json.loads(text)
    except RecursionError as exc:  # e.g. 100,000 nested arrays: Python's parser recurses
        raise ApiError(400, message, [(field, "nests too deeply")]) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, message, [(field, "is not valid JSON")]) from exc


def details_of(exc: ValidationError) -> list[tuple[str, str]]:
    """(field, message) of each pydantic error, the field as a dotted path."""
    return [(".".join(str(p) for p in e["loc"]) or "body", e["msg"]) for e in exc.errors()]


def is_api_request() -> bool:
    """Whether the current request is under /api/ or /xapi/."""
    return request.path.startswith(PREFIXES) or request.path in ("/api", "/xapi")


def is_oauth_request() -> bool:
    """Whether the current request is under /oauth/."""
    return request.path.startswith("/oauth/") or request.path == "/oauth"


def oauth_error(status: int, description: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
    """An RFC 6749 §5.2 error body: `error` and `error_description`."""
    code = OAUTH_CODES.get(status) or CODES.get(status, "error")
    response = jsonify({"error": code, "error_description": description})
    response.status_code = status
    response.headers.update(dict(headers))
    response.headers["Cache-Control"] = "no-store"
    return response


def wants_json() -> bool:
    """Whether a client of a page asked for JSON rather than HTML (its Accept header)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def _page(exc: HTTPException) -> Any:
    """The error as a page in the site's layout, if a blueprint registered one (PAGE_HANDLER)."""
    render = current_app.extensions.get(PAGE_HANDLER)
    return render(exc) if render else exc


def http_error(exc: HTTPException) -> Any:
    """The error as the request wants it: RFC 6749 under /oauth/, JSON for the API, else a page."""
    headers = [
        (k, v) for k, v in exc.get_headers() if k.lower() not in ("content-type", "content-length")
    ]
    status, description = exc.code or 500, exc.description or "Error."
    if is_oauth_request():
        return oauth_error(status, description, headers)
    if not is_api_request() and not wants_json():
        return _page(exc)
    return ApiError(status, description, headers=headers).response()


def _server_error(exc: InternalServerError) -> Any:
    if is_oauth_request():
        return oauth_error(500, "Something went wrong on our side.")
    if not is_api_request() and not wants_json():
        return _page(exc)
    return ApiError(500, "Something went wrong on our side.").response()


def init_app(app: Flask) -> None:
    """Answer API errors as JSON; HTML pages keep their own error pages."""
    app.register_error_handler(ApiError, lambda exc: exc.response())
    app.register_error_handler(InternalServerError, _server_error)
    app.register_error_handler(HTTPException, http_error)
