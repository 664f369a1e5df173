"""Rate limits (Flask-Limiter): per API client, per address for the token and login endpoints.

Counters live in memory by default (per process); set RATELIMIT_STORAGE_URI, e.g.
`redis://127.0.0.1:6379/0`, to share them between workers. A refused request gets 429 with
Retry-After (and the X-RateLimit-* headers on every limited response).
"""

from __future__ import annotations

from typing import Any, cast

from flask import Blueprint, Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from learnpath.api.oauth import current_grant

DEFAULTS = {
    "API_RATE_LIMIT": "600 per minute",
    "TOKEN_RATE_LIMIT": "30 per minute",
    # Password guessing: scrypt costs ~0.3 s of CPU per try, so tries are also a DoS lever.
    "LOGIN_RATE_LIMIT": "10 per minute",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
}


def client_key() -> str:
    """Who a request counts against: its API client, else its address."""
    grant = current_grant()
    return f"client:{grant.client.client_id}" if grant else f"address:{get_remote_address()}"


def _api_limit() -> str:
    return str(current_app.config["API_RATE_LIMIT"])


def _token_limit() -> str:
    return str(current_app.config["TOKEN_RATE_LIMIT"])


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def init_app(app: Flask, api: list[Blueprint], token: Blueprint) -> Limiter:
    """A limiter for this app on the API blueprints, the token endpoint and login posts."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    limiter = Limiter(client_key, app=app, default_limits=[])
    for blueprint in api:
        limiter.limit(_api_limit)(blueprint)
    limiter.limit(_token_limit, key_func=get_remote_address)(token)
    login = app.view_functions["auth.login"]
    limited = limiter.limit(_login_limit, key_func=get_remote_address, methods=["POST"])(login)
    app.view_functions["auth.login"] = cast(Any, limited)
    app.extensions["learnpath.limiter"] = limiter
    return limiter
