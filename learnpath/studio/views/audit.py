"""The audit log page (admins): filters, pages of entries, CSV export."""

from collections.abc import Iterator
from datetime import date
from typing import Any

from flask import Response, render_template, request, stream_with_context, url_for

from learnpath.db import get_session
from learnpath.routing import id_or_none
from learnpath.services.audit import log
from learnpath.studio.access import admin_only
from learnpath.studio.blueprint import bp
from learnpath.studio.forms.admin import AuditFilterForm

PER_PAGE = 50


def _form() -> AuditFilterForm:
    session = get_session()
    return AuditFilterForm(log.actors(session), log.entities(session))


def _here(**changes: object) -> str:
    """The audit URL with this request's filters, some arguments changed."""
    args: dict[str, Any] = {**request.args.to_dict(), **changes}
    return url_for("studio.audit", **{k: v for k, v in args.items() if v not in (None, "")})


@bp.route("/audit")
@admin_only
def audit() -> str:
    """Who changed what, newest first, filtered by person, entity and days, a page at a time."""
    form = _form()
    flt = form.filters()
    page = request.args.get("page", "1")
    found = None
    if flt is not None:
        found = log.page(get_session(), flt, id_or_none(page) or 1, PER_PAGE)
    query: dict[str, Any] = request.args.to_dict()
    query.pop("page", None)
    csv_url = url_for("studio.audit_csv", **query)
    return render_template("studio/audit.html", form=form, found=found, here=_here, csv=csv_url)


def _csv_lines(flt: log.AuditFilter) -> Iterator[str]:
    """The CSV, read through a session opened while streaming.

    Flask ends the request (closing its session) before the body is streamed, then pushes the
    contexts again around the streaming: a session taken now is closed when that ends.
    """
    yield from log.csv_lines(get_session(), flt)


@bp.route("/audit.csv")
@admin_only
def audit_csv() -> Response | str:
    """The filtered log as CSV (oldest first), streamed; formula cells neutralised."""
    form = _form()
    flt = form.filters()
    if flt is None:  # the page says what is wrong beside the filter
        return render_template("studio/audit.html", form=form, found=None, here=_here, csv="")
    response = Response(stream_with_context(_csv_lines(flt)), mimetype="text/csv")
    name = f"audit-{date.today().isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
