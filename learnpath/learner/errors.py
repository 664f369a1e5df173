"""Error pages in the site's layout that say what happened and what to do next.

The API's error handlers (api.errors) answer JSON under /api/, /xapi/ and /oauth/ and to clients
that ask for JSON; every other error comes here through the app's `learnpath.error_page` hook.
"""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

ADVICE = {
    400: ("The request could not be read", "Go back, reload the page and try again."),
    403: (
        "Not allowed",
        "This page is not open to your account. If you think it should be, ask your learning team.",
    ),
    404: (
        "Page not found",
        "The link may be old, or the page was moved. "
        "Start again from your learning or the catalog.",
    ),
    405: ("That did not work", "Go back and use the page's own buttons."),
    413: (
        "That was too large",
        "What you sent is over the size limit (2 MB). Send something smaller.",
    ),
    429: ("Too many tries", "Wait a minute, then try again."),
    500: (
        "Something went wrong on our side",
        "It is not your fault. Try again in a moment; if it keeps happening, "
        "tell your learning team.",
    ),
    503: (
        "Back in a moment",
        "The service cannot reach its database just now. What you saved before is kept: "
        "wait a minute, then reload the page.",
    ),
}
FALLBACK = ("Something went wrong", "Go back and try again.")


def error_page(exc: HTTPException) -> tuple[str, int]:
    """The error page for an HTTP error, keeping its status code."""
    status = exc.code or 500
    title, advice = ADVICE.get(status, FALLBACK)
    # The reason a view gave (abort(403, "...")), not werkzeug's generic text for the status.
    detail = exc.description if exc.description != type(exc).description else None
    page = render_template("error.html", status=status, title=title, advice=advice, detail=detail)
    return page, status


def init_app(app: Flask) -> None:
    """Hand the API's error handlers this page for requests that are not API requests."""
    app.extensions["learnpath.error_page"] = error_page
