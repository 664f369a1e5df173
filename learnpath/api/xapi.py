"""GET /xapi/statements: the learning records as an xAPI 1.0.3 statements resource (read-only)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from learnpath.api.errors import ApiError, load_json
from learnpath.api.oauth import require_scope
from learnpath.api.paging import cursor_refused, cursor_seal, time_arg
from learnpath.db import get_session
from learnpath.services.integration import learners as api_learners
from learnpath.services.integration import statements as api_statements
from learnpath.services.integration import xapi as api_xapi
from learnpath.services.integration.statements import MAX_LIMIT, Query
from learnpath.services.integration.sync import CursorError, Window, decode
from learnpath.services.integration.xapi import XAPI_VERSION
from learnpath.vocabulary import iso_utc

bp = Blueprint("xapi", __name__, url_prefix="/xapi")
VERSIONS = ("1.0.0", "1.0.1", "1.0.2", "1.0.3")
FILTERS = {"agent", "verb", "activity", "registration", "since", "until", "limit", "ascending"}
ACCEPTED = FILTERS | {"statementId", "voidedStatementId", "format", "attachments", "cursor"}
ACCEPTED |= {"related_activities", "related_agents"}
FORMATS = ("ids", "exact", "canonical")
DEFAULT_HOME_PAGE = "https://learnpath.invalid/"


@bp.before_request
def check_version() -> None:
    """Every request but /about names the xAPI version it speaks (1.0.0 to 1.0.3)."""
    if request.endpoint == "xapi.about":
        return
    version = request.headers.get("X-Experience-API-Version")
    if version is None:
        raise ApiError(400, "The X-Experience-API-Version header is required.")
    if version not in VERSIONS and version != "1.0":
        raise ApiError(400, f"xAPI version {version!r} is not supported; use 1.0.3.")


@bp.after_app_request
def add_version(response: Response) -> Response:
    """Every answer under /xapi/ says the version it speaks (404s and 405s included)."""
    if request.path.startswith("/xapi/") or request.path == "/xapi":
        response.headers["X-Experience-API-Version"] = XAPI_VERSION
    return response


@bp.get("/about")
def about() -> Response:
    """The xAPI versions this LRS speaks."""
    return jsonify({"version": list(VERSIONS)})


@bp.get("/statements")
@require_scope("statements:read")
def statements() -> Response:
    """One statement by id, or a page of statements with a `more` link."""
    unknown = sorted(set(request.args) - ACCEPTED)
    if unknown:
        raise ApiError(400, f"Unknown parameter(s): {', '.join(unknown)}.")
    _flag("attachments")  # none has any, but the value must be a boolean
    if "voidedStatementId" in request.args:
        raise ApiError(404, "No statement has been voided.")
    query, shape = _query(), _format()  # checked with statementId too, then ignored
    if "statementId" in request.args:
        return _one(request.args["statementId"])
    session = get_session()
    window = _window(query)
    found, last = api_statements.page(session, query, window, _home_page())
    found = [shape(s) for s in found]
    more = ""
    if last is not None:
        args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "cursor"}
        args["cursor"] = window.cursor(last)
        more = url_for("xapi.statements", **args)
    response = jsonify({"statements": found, "more": more})
    response.headers["X-Experience-API-Consistent-Through"] = iso_utc(window.through)
    return response


def _one(statement_id: str) -> Response:
    """The statement with this id; other filters sent along are ignored (docs/api.md)."""
    if not _is_uuid(statement_id):
        raise ApiError(400, "statementId must be a UUID.", [("statementId", "must be a UUID")])
    shape = _format()
    found = api_statements.one(get_session(), statement_id, _home_page())
    if found is None:
        raise ApiError(404, f"No statement has id {statement_id!r}.")
    response = jsonify(shape(found))
    response.headers["X-Experience-API-Consistent-Through"] = found["stored"]
    return response


def _window(query: Query) -> Window:
    cursor = request.args.get("cursor")
    if not cursor:
        through = api_statements.through(get_session(), query)
        return Window(through, query.since, None, query.limit, cursor_seal())
    try:
        through, after = decode(cursor, cursor_seal())
    except CursorError as exc:
        raise cursor_refused(exc) from exc
    return Window(through, query.since, after, query.limit, cursor_seal())


def _query() -> Query:
    try:
        since, until = time_arg("since"), time_arg("until")
    except ApiError as exc:  # the 422 of /api/v1 is 400 here, naming the parameter all the same
        field, message = exc.details[0] if exc.details else ("", exc.message)
        raise ApiError(400, f"{field} {message}".strip(), exc.details) from exc
    limit = request.args.get("limit", "100")
    if not re.fullmatch(r"[0-9]+", limit):
        raise ApiError(400, "limit must be a non-negative integer.")
    digits = limit.lstrip("0")
    number = int(digits or 0) if len(digits) <= 9 else MAX_LIMIT  # int() refuses huge digit runs
    registration = request.args.get("registration")
    if registration is not None and not _is_uuid(registration):
        raise ApiError(400, "registration must be a UUID.")
    return Query(
        agent=_agent(request.args.get("agent")),
        verb=request.args.get("verb"),
        activity=request.args.get("activity"),
        registration=registration,
        since=since,
        until=until,
        limit=min(number, MAX_LIMIT) or MAX_LIMIT,
        ascending=_flag("ascending"),
        related_activities=_flag("related_activities"),
        related_agents=_flag("related_agents"),
    )


def _format() -> Callable[[dict[str, Any]], dict[str, Any]]:
    """How statements are shaped (xAPI 1.0.3 format): ids only, or as stored.

    `canonical` is `exact` here: every definition and verb display has the one language en-US.
    """
    name = request.args.get("format", "exact")
    if name not in FORMATS:
        raise ApiError(400, f"format must be one of {', '.join(FORMATS)}.")
    return api_xapi.ids_only if name == "ids" else lambda statement: statement


def _agent(raw: str | None) -> str | None:
    """The external id an agent filter names (by account name, or by mbox email).

    An account on another homePage is nobody here: the filter then matches no statement ("").
    """
    if raw is None:
        return None
    agent: Any = load_json(raw, "agent", "agent must be an xAPI Agent as JSON.")
    if not isinstance(agent, dict):
        raise ApiError(400, "agent must be an xAPI Agent as JSON.")
    account = agent.get("account")
    if _has_nul(agent, account):  # PostgreSQL text cannot hold NUL
        raise ApiError(400, "agent contains a NUL character.", [("agent", "contains NUL")])
    if isinstance(account, dict) and isinstance(account.get("name"), str):
        if account.get("homePage", _home_page()) != _home_page():
            return ""
        return str(account["name"])
    mbox = agent.get("mbox")
    if isinstance(mbox, str) and mbox.startswith("mailto:"):
        email = mbox.removeprefix("mailto:")
        return api_learners.external_id_by_email(get_session(), email) or ""
    raise ApiError(400, "agent must name an account or an mbox.")


def _has_nul(agent: dict[str, Any], account: Any) -> bool:
    """Whether a field the filter reads (mbox, account name and homePage) holds a NUL character.

    Other members are ignored, as the document allows any (AGENT_FILTER), so they are not checked.
    """
    read = [agent.get("mbox")]
    if isinstance(account, dict):
        read += [account.get("name"), account.get("homePage")]
    return any(isinstance(v, str) and "\x00" in v for v in read)


def _flag(name: str) -> bool:
    value = request.args.get(name, "false").lower()
    if value not in ("true", "false"):
        raise ApiError(400, f"{name} must be true or false.")
    return value == "true"


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return bool(re.fullmatch(r"[0-9a-fA-F-]{36}", value))


def home_page(config: Mapping[str, Any]) -> str:
    """The homePage of learners' accounts: configured, else from SERVER_NAME, else a fixed URL.

    Never from the request: the Host header would change who a statement's actor is.
    """
    if config.get("XAPI_ACCOUNT_HOMEPAGE"):
        return str(config["XAPI_ACCOUNT_HOMEPAGE"])
    if config.get("SERVER_NAME"):
        return f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}/"
    return DEFAULT_HOME_PAGE


def _home_page() -> str:
    return home_page(current_app.config)
