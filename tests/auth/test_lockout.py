"""Failed-login lockout per email with backoff, and the same hash work for every failed login."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from learnpath.services.accounts import lockout, users
from learnpath.services.accounts.lockout import Locked, lock_length, sign_in
from learnpath.vocabulary import utcnow
from tests import factories

WRONG = "not the password"


def _fail(db: Session, email: str, times: int, now: object) -> list[object]:
    return [sign_in(db, email, WRONG, now) for _ in range(times)]  # type: ignore[arg-type]


def test_the_lock_doubles_from_one_minute_up_to_an_hour() -> None:
    assert [lock_length(n) for n in range(5)] == [None] * 5
    minutes = [lock_length(n) // timedelta(minutes=1) for n in (5, 6, 7, 8, 10, 11, 50)]  # type: ignore[operator]
    assert minutes == [1, 2, 4, 8, 32, 60, 60]


def test_five_failures_lock_the_account_even_against_the_right_password(db: Session) -> None:
    factories.user(db)
    now = utcnow()
    outcomes = _fail(db, "pat@example.com", 5, now)
    assert outcomes[:4] == [None] * 4 and outcomes[4] == Locked(timedelta(minutes=1))
    during = sign_in(db, "pat@example.com", factories.PASSWORD, now + timedelta(seconds=59))
    assert str(during) == "Too many failed attempts; try again in 1 minute."
    after = sign_in(db, "PAT@example.com ", factories.PASSWORD, now + timedelta(seconds=61))
    assert getattr(after, "email", None) == "pat@example.com"
    assert _fail(db, "pat@example.com", 1, now + timedelta(minutes=2)) == [None]  # count cleared


def test_a_failure_after_the_lock_locks_twice_as_long(db: Session) -> None:
    factories.user(db)
    now = utcnow()
    _fail(db, "pat@example.com", 5, now)
    later = now + timedelta(minutes=1, seconds=1)
    assert _fail(db, "pat@example.com", 1, later) == [Locked(timedelta(minutes=2))]
    wait = sign_in(db, "pat@example.com", WRONG, later + timedelta(seconds=30))
    assert str(wait) == "Too many failed attempts; try again in 2 minutes."


def test_an_unknown_email_locks_the_same_way(db: Session) -> None:
    now = utcnow()
    assert _fail(db, "nobody@example.com", 5, now)[4] == Locked(timedelta(minutes=1))
    assert lockout.locked_for(db, "nobody@example.com", now) == timedelta(minutes=1)


def test_the_login_page_says_the_account_is_locked(client: FlaskClient, db: Session) -> None:
    factories.user(db)
    db.commit()
    for _ in range(5):
        client.post("/auth/login", data={"email": "pat@example.com", "password": WRONG})
    right = {"email": "pat@example.com", "password": factories.PASSWORD}
    page = client.post("/auth/login", data=right)
    assert page.status_code == 200
    assert "Too many failed attempts; try again in 1 minute." in page.text
    assert client.get("/programs").status_code == 302


@pytest.fixture
def hashing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stored hashes each password check compares against, in order."""
    checked: list[str] = []
    real: Callable[[str, str], bool] = users.check_password_hash

    def spy(stored: str, password: str) -> bool:
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(users, "check_password_hash", spy)
    return checked


def test_unknown_and_deactivated_accounts_cost_one_hash_check_like_a_wrong_password(
    db: Session, hashing: list[str]
) -> None:
    pat = factories.user(db)
    gone = factories.user(db, email="gone@example.com")
    gone.active = False
    db.add(gone)
    db.flush()
    assert users.authenticate(db, "pat@example.com", WRONG) is None
    assert users.authenticate(db, "nobody@example.com", WRONG) is None
    assert users.authenticate(db, "gone@example.com", factories.PASSWORD) is None
    assert hashing == [pat.password_hash, users._DUMMY_HASH, users._DUMMY_HASH]
