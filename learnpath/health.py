"""Liveness (/health) and readiness (/ready) for orchestrators; 503 while the database is down.

/health answers without touching the database: the process serves requests. /ready answers 200
when the database is reachable and at the migrations' head, else 503 with the reason as a JSON
error (docs/api.md). Any other request that finds the database unreachable gets 503 with
Retry-After instead of a bare 500: a JSON error under /api/ and /xapi/ (and to JSON clients), the
RFC 6749 shape under /oauth/, the site's error page for browsers.
"""

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, make_response, request
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from learnpath import auth, db, migrate
from learnpath.api.errors import PAGE_HANDLER, ApiError, http_error

bp = Blueprint("health", __name__)
RETRY_AFTER = 5  # seconds: a restarting PostgreSQL is usually back within this
UNREACHABLE = "The database cannot be reached. Try again in a moment."


@bp.get("/health")
def show_health() -> Response:
    """Liveness: the process answers requests; the database is not asked."""
    return jsonify({"status": "ok"})


@bp.get("/ready")
def show_readiness() -> Response:
    """Readiness: the database answers and is at the migrations' head; else 503 saying why."""
    try:
        with db.engine().connect() as connection:
            at = migrate.current(connection)
    except db.Error as exc:
        current_app.logger.warning("not ready: %s", exc.orig)
        if db.unreachable(exc):
            return _not_ready("database", UNREACHABLE)
        return _not_ready("database", "The database answered with an error (see the log).")
    expected = _expected_heads()
    if at != expected:
        found = ", ".join(at) or "none (never migrated)"
        return _not_ready(
            "revision",
            f"The database is at revision {found}; this code expects {', '.join(expected)}. "
            "Run `flask --app learnpath init-db`.",
        )
    return jsonify({"status": "ready", "revision": ", ".join(at)})


@functools.cache
def _expected_heads() -> tuple[str, ...]:
    """The migrations' head(s), read once: parsing the scripts costs ~50 ms, probes come often."""
    return migrate.heads()


def _not_ready(field: str, reason: str) -> Response:
    """503 in the API's error shape, the reason as the message and as the field's detail."""
    headers = [("Retry-After", str(RETRY_AFTER))]
    return ApiError(503, reason, [(field, reason)], headers).response()


def database_unavailable(exc: Exception) -> Response:
    """503 (JSON or page, as the request wants) when the database is unreachable; else re-raise."""
    if not db.unreachable(exc):
        raise exc  # a bug, not an outage: Flask's 500 path logs it
    current_app.logger.warning(
        "database unreachable (%s %s): %s", request.method, request.path, getattr(exc, "orig", exc)
    )
    auth.forget_user()  # the page's layout must not ask the database who is logged in
    response = make_response(http_error(ServiceUnavailable(UNREACHABLE)))
    response.headers["Retry-After"] = str(RETRY_AFTER)  # the HTML page does not carry it itself
    return response


def _without_database(render: Callable[[HTTPException], Any]) -> Callable[[HTTPException], Any]:
    """An error page renderer that falls back to an anonymous layout when the database is down.

    A 404 for a logged-in visitor renders the layout, which asks the database who they are; with
    the database down that would fail inside the error handler and end as a bare 500.
    """

    def render_page(exc: HTTPException) -> Any:
        try:
            return render(exc)
        except db.Error as error:
            if not db.unreachable(error):
                raise
            auth.forget_user()
            return render(exc)

    return render_page


def init_app(app: Flask) -> None:
    """Register /health and /ready, and the 503 answer to an unreachable database."""
    app.register_blueprint(bp)
    app.register_error_handler(db.Error, database_unavailable)
    if PAGE_HANDLER in app.extensions:  # registered by the learner blueprint before us
        app.extensions[PAGE_HANDLER] = _without_database(app.extensions[PAGE_HANDLER])
