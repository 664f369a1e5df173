"""Invite links: shown once, stored hashed, valid 72 hours, used once; the set-password page."""

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select
from werkzeug.security import check_password_hash

from learnpath.models import Invite, User
from learnpath.services.accounts import admin, invites
from learnpath.services.accounts.users import AccountError
from learnpath.vocabulary import utcnow
from tests import factories

NEW = "a brand new password"


def _invited(db: Session) -> tuple[User, str]:
    user = factories.user(db, email="ivy@example.com")
    token = invites.issue(db, user, "Ada", utcnow())
    db.commit()
    return user, token


def test_only_the_tokens_hash_is_stored_valid_for_72_hours(db: Session) -> None:
    now = utcnow()
    user = factories.user(db, email="ivy@example.com")
    token = invites.issue(db, user, "Ada", now)
    [row] = db.exec(select(Invite)).all()
    assert token not in row.token_hash and row.token_hash == invites.digest(token)
    assert row.expires_at - row.created_at == timedelta(hours=72)
    assert row.created_by == "Ada" and row.used_at is None


def test_redeeming_sets_the_password_and_consumes_the_link(db: Session) -> None:
    user, token = _invited(db)
    invites.redeem(db, token, NEW, utcnow())
    assert check_password_hash(user.password_hash, NEW)
    with pytest.raises(invites.InviteError) as refused:
        invites.redeem(db, token, "another long password", utcnow())
    assert refused.value.refusal == "used"


@pytest.mark.parametrize(
    ("later", "refusal"),
    [(timedelta(hours=72), "expired"), (timedelta(hours=71, minutes=59), None)],
)
def test_a_link_expires_after_72_hours(db: Session, later: timedelta, refusal: str) -> None:
    _, token = _invited(db)
    if refusal is None:
        invites.check(db, token, utcnow() + later)
        return
    with pytest.raises(invites.InviteError) as refused:
        invites.check(db, token, utcnow() + later)
    assert refused.value.refusal == refusal


def test_a_new_link_ends_the_older_one(db: Session) -> None:
    user, old = _invited(db)
    new = invites.issue(db, user, "Ada", utcnow())
    with pytest.raises(invites.InviteError, match="expired"):
        invites.check(db, old, utcnow())
    invites.check(db, new, utcnow())


def test_a_deactivated_users_link_does_not_work_and_none_is_issued(db: Session) -> None:
    user, token = _invited(db)
    user.active = False
    with pytest.raises(invites.InviteError) as refused:
        invites.check(db, token, utcnow())
    assert refused.value.refusal == "inactive"
    with pytest.raises(AccountError, match=r"^active: reactivate"):
        invites.issue(db, user, "Ada", utcnow())


def test_deactivating_ends_the_link_for_good(db: Session) -> None:
    user, token = _invited(db)
    actor = factories.staff(db, "admin")
    admin.set_active(db, user, False, actor)
    admin.set_active(db, user, True, actor)
    with pytest.raises(invites.InviteError) as refused:
        invites.check(db, token, utcnow())
    assert refused.value.refusal == "expired"


def test_a_short_password_is_refused_and_the_link_stays(db: Session) -> None:
    _, token = _invited(db)
    with pytest.raises(AccountError, match=r"^password: "):
        invites.redeem(db, token, "short", utcnow())
    assert db.exec(select(Invite)).one().used_at is None


def test_the_page_sets_the_password_once_then_login_works(client: FlaskClient, db: Session) -> None:
    user, token = _invited(db)
    page = client.get(f"/auth/invite/{token}")
    assert page.status_code == 200 and "Welcome, Ivy" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    mismatch = client.post(f"/auth/invite/{token}", data={"password": NEW, "again": "other"})
    assert "The two passwords differ." in mismatch.get_data(as_text=True)
    done = client.post(f"/auth/invite/{token}", data={"password": NEW, "again": NEW})
    assert done.status_code == 302 and done.location == "/auth/login"
    again = client.get(f"/auth/invite/{token}")
    assert again.status_code == 410 and "has been used already" in again.get_data(as_text=True)
    login = client.post("/auth/login", data={"email": user.email, "password": NEW})
    assert login.status_code == 302


def test_an_expired_or_unknown_link_gets_a_clear_page(client: FlaskClient, db: Session) -> None:
    _, token = _invited(db)
    row = db.exec(select(Invite)).one()
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.commit()
    expired = client.post(f"/auth/invite/{token}", data={"password": NEW, "again": NEW})
    assert expired.status_code == 410 and "has expired" in expired.get_data(as_text=True)
    unknown = client.get("/auth/invite/not-a-token")
    assert unknown.status_code == 404 and "not valid" in unknown.get_data(as_text=True)
    db.expire_all()
    assert db.exec(select(Invite)).one().used_at is None
