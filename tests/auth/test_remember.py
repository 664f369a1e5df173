"""The "keep me logged in" cookie: per login, rotated at each use, ended by logout and more."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login.utils import encode_cookie
from sqlmodel import Session, select

from learnpath.auth import remember
from learnpath.models import LoginToken, User
from learnpath.services.accounts import admin, invites, logins
from learnpath.vocabulary import utcnow
from tests import factories
from tests.conftest import build_app

COOKIE = remember.COOKIE
LOGIN = {"email": "pat@example.com", "password": factories.PASSWORD, "remember": "y"}


def _remembered(client: FlaskClient, db: Session) -> str:
    """Log pat in with "keep me logged in"; the remember cookie's value."""
    factories.user(db)
    db.commit()
    assert client.post("/auth/login", data=LOGIN).status_code == 302
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def _visit(app: Flask, token: str, path: str = "/programs") -> tuple[int, str | None]:
    """A new browser holding only this remember cookie opens `path`: status, new cookie value."""
    browser = app.test_client()
    browser.set_cookie(COOKIE, token)
    status = browser.get(path).status_code
    cookie = browser.get_cookie(COOKIE)
    return status, cookie.value if cookie else None


def _set_cookie(response_headers: list[str]) -> str:
    found = [h for h in response_headers if h.startswith(f"{COOKIE}=")]
    assert len(found) == 1
    return found[0]


def test_a_remember_cookie_logs_back_in_once_and_is_replaced(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    token = _remembered(client, db)
    status, successor = _visit(app, token)
    assert status == 200 and successor not in (None, token)
    assert _visit(app, token)[0] == 302  # the used value is refused
    assert successor is not None and _visit(app, successor)[0] == 200
    rows = db.exec(select(LoginToken)).all()
    assert len(rows) == 3 and sum(r.revoked_at is None for r in rows) == 1
    assert token not in {r.token_hash for r in rows}  # stored hashed


def test_a_login_without_remember_sets_no_cookie(client: FlaskClient, db: Session) -> None:
    factories.user(db)
    db.commit()
    client.post("/auth/login", data={**LOGIN, "remember": ""})
    assert client.get_cookie(COOKIE) is None
    assert db.exec(select(LoginToken)).all() == []


def test_logout_ends_the_remembered_login_even_for_a_copied_cookie(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    token = _remembered(client, db)
    response = client.post("/auth/logout")
    assert f"{COOKIE}=;" in _set_cookie(response.headers.getlist("Set-Cookie"))
    assert _visit(app, token)[0] == 302


def test_the_cookie_is_httponly_lax_and_lives_thirty_days_by_default(
    client: FlaskClient, db: Session
) -> None:
    factories.user(db)
    db.commit()
    header = _set_cookie(client.post("/auth/login", data=LOGIN).headers.getlist("Set-Cookie"))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Secure" not in header
    max_age = int(header.split("Max-Age=")[1].split(";")[0])
    assert 30 * 86400 - 60 <= max_age <= 30 * 86400


@pytest.fixture
def configured(database_url: str) -> Iterator[Flask]:
    """An app with a two-day remember cookie given in seconds, marked Secure."""
    app = build_app(database_url, REMEMBER_COOKIE_DURATION=2 * 86400, REMEMBER_COOKIE_SECURE=True)
    yield app
    app.extensions["learnpath.engine"].dispose()


def test_lifetime_and_secure_come_from_the_configuration(configured: Flask) -> None:
    with configured.app_context():
        from learnpath.db import get_session

        factories.user(get_session())
        get_session().commit()
    response = configured.test_client().post("/auth/login", data=LOGIN)
    header = _set_cookie(response.headers.getlist("Set-Cookie"))
    assert "; Secure" in header
    max_age = int(header.split("Max-Age=")[1].split(";")[0])
    assert 2 * 86400 - 60 <= max_age <= 2 * 86400


def test_an_expired_token_is_refused(
    app: Flask, client: FlaskClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _remembered(client, db)
    later = utcnow() + timedelta(days=30, minutes=1)
    monkeypatch.setattr(remember, "utcnow", lambda: later)
    assert _visit(app, token)[0] == 302
    monkeypatch.setattr(remember, "utcnow", lambda: later - timedelta(minutes=2))
    assert _visit(app, token)[0] == 200


def test_rotation_keeps_the_expiry_of_the_password_login(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    token = _remembered(client, db)
    successor = _visit(app, token)[1]
    assert successor is not None
    first, second = db.exec(select(LoginToken).order_by(LoginToken.id)).all()  # type: ignore[arg-type]
    assert second.expires_at == first.expires_at


def test_a_password_change_ends_every_session_and_remembered_login(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    token = _remembered(client, db)
    user = db.exec(select(User)).one()
    link = invites.issue(db, user, "Ada", utcnow())
    invites.redeem(db, link, "another long password", utcnow())
    db.commit()
    assert client.get("/programs").status_code == 302  # the session cookie
    assert _visit(app, token)[0] == 302


def test_deactivation_ends_logins_and_reactivation_does_not_revive_them(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    token = _remembered(client, db)
    boss = factories.user(db, email="ada@example.com", roles=["admin"])
    user = db.exec(select(User).where(User.email == "pat@example.com")).one()
    admin.set_active(db, user, False, boss)
    db.commit()
    admin.set_active(db, user, True, boss)
    db.commit()
    assert client.get("/programs").status_code == 302
    assert _visit(app, token)[0] == 302


def test_an_inactive_users_token_is_refused_and_left_as_it_was(db: Session) -> None:
    user = factories.user(db)
    remembered = logins.issue(db, user, utcnow() + timedelta(days=1))
    user.active = False  # as a direct database edit would leave it, tokens not revoked
    db.add(user)
    assert logins.redeem(db, remembered.token, utcnow()) is None
    assert db.exec(select(LoginToken.revoked_at)).one() is None


def test_flask_logins_old_remember_cookie_no_longer_logs_in(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    user = factories.user(db)
    db.commit()
    with app.test_request_context():
        legacy = encode_cookie(str(user.id))
    browser = app.test_client()
    browser.set_cookie("remember_token", legacy)
    response = browser.get("/programs")
    assert response.status_code == 302
    assert any(h.startswith("remember_token=;") for h in response.headers.getlist("Set-Cookie"))
