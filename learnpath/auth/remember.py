"""The "keep me logged in" cookie: a per-login token, rotated at each use, revocable.

Flask-Login's own remember cookie (the user id, signed: one value per user for ever) is not used.
The cookie COOKIE carries a token of services/accounts/logins.py; when a request comes without
a logged-in session, the token restores the login once and is replaced by a new one. It lives
REMEMBER_COOKIE_DURATION (a timedelta or seconds; 30 days by default) from the password login,
is HttpOnly and SameSite=REMEMBER_COOKIE_SAMESITE (Lax), and Secure when REMEMBER_COOKIE_SECURE.
"""

from datetime import timedelta

from flask import Flask, current_app, g, request
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from learnpath.db import get_session
from learnpath.models import User
from learnpath.services.accounts import logins
from learnpath.vocabulary import utcnow

COOKIE = "learnpath_remember"
LEGACY_COOKIE = "remember_token"  # Flask-Login's, set by versions before 0018; now dropped
DEFAULTS = {
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    "REMEMBER_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
}


def lifetime() -> timedelta:
    """How long a remembered login lasts (REMEMBER_COOKIE_DURATION, seconds or a timedelta)."""
    value = current_app.config["REMEMBER_COOKIE_DURATION"]
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


def _user_agent() -> str:
    return request.headers.get("User-Agent", "")


def remember(user: User) -> None:
    """Issue a token for this new login; the response sets the cookie (the caller commits)."""
    g.remember_cookie = logins.issue(get_session(), user, utcnow() + lifetime(), _user_agent())


def restore() -> None:
    """Before a request without a logged-in session: log in with the remember cookie, if valid."""
    token = request.cookies.get(COOKIE)
    if not token or current_user.is_authenticated:
        return
    session = get_session()
    found = logins.redeem(session, token, utcnow(), _user_agent())
    if found is None:
        g.remember_cookie = None  # unusable: the response deletes it
        return
    session.commit()
    user, g.remember_cookie = found
    login_user(user, fresh=False)


def forget() -> None:
    """At logout: revoke this browser's token (the caller commits); the response deletes it."""
    token = request.cookies.get(COOKIE)
    if token:
        logins.revoke(get_session(), token, utcnow())
    g.remember_cookie = None


def write_cookie(response: Response) -> Response:
    """Set, replace or delete the remember cookie as the request decided."""
    if LEGACY_COOKIE in request.cookies:
        response.delete_cookie(LEGACY_COOKIE)
    if "remember_cookie" not in g:
        return response
    config, remembered = current_app.config, g.remember_cookie
    flags = {
        "httponly": True,
        "secure": bool(config["REMEMBER_COOKIE_SECURE"]),
        "samesite": config["REMEMBER_COOKIE_SAMESITE"],
    }
    if remembered is None:
        response.delete_cookie(COOKIE, **flags)
    else:
        seconds = int((remembered.expires_at - utcnow()).total_seconds())
        response.set_cookie(
            COOKIE, remembered.token, max_age=seconds, expires=remembered.expires_at, **flags
        )
    return response


def init_app(app: Flask) -> None:
    """Default the cookie settings; restore remembered logins and write the cookie."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    app.before_request(restore)
    app.after_request(write_cookie)
