"""The login guard itself: whose session holds, which login input and redirects it takes."""

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

from learnpath.models import User
from tests import factories


def test_a_deactivated_user_loses_their_open_session(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = login("learner")
    assert client.get("/programs").status_code == 200

    row = db.get(User, user.id)
    assert row is not None
    row.active = False
    db.commit()

    response = client.get("/programs")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("forged", ["x1", "1x", " 1"])
def test_a_session_naming_no_user_id_is_a_visitor(client: FlaskClient, login, forged: str) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    assert client.get("/programs").status_code == 200
    with client.session_transaction() as session:
        session["_user_id"] = forged
    assert client.get("/programs").status_code == 302


def test_a_session_cookie_replayed_from_another_browser_is_logged_out(
    client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    assert client.get("/programs").status_code == 200

    # Flask-Login's "strong" protection: the session is bound to the browser that logged in,
    # and a replay from another one ends it for both.
    stolen = client.get("/programs", headers={"User-Agent": "another browser"})
    assert stolen.status_code == 302
    assert client.get("/programs").status_code == 302


def test_the_login_form_labels_its_fields(client: FlaskClient) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<label for="email">Email</label>' in page
    assert '<label for="password">Password</label>' in page
    assert 'value="y"> Keep me logged in on this device</label>' in page


def test_the_login_page_says_why_a_visitor_was_sent_there(client: FlaskClient) -> None:
    page = client.get("/programs", follow_redirects=True).get_data(as_text=True)
    assert '<p class="flash" role="status">Please log in to continue.</p>' in page


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("/programs?depth=2", "/programs?depth=2"),
        ("//evil.example/x", "/"),
        ("https://evil.example/x", "/"),
        ("programs", "/"),
    ],
)
def test_after_login_only_same_site_paths_are_followed(
    client: FlaskClient, db: Session, target: str, landing: str
) -> None:
    factories.user(db)
    db.commit()
    data = {"email": "pat@example.com", "password": factories.PASSWORD}
    response = client.post("/auth/login", query_string={"next": target}, data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == landing


def _email(length: int) -> str:
    """A well-formed address of exactly `length` characters (labels of at most 63)."""
    local = "a" * 64
    labels, left = [], length - len(local) - 1 - len(".com")
    while left > 0:
        size = min(63, left)
        if left - size == 1:  # a label after the dot needs a character
            size -= 2
        labels.append("b" * size)
        left -= size + 1
    return f"{local}@{'.'.join(labels)}.com"


@pytest.mark.parametrize(
    ("field", "longest", "message"),
    [("email", 254, "longer than 254"), ("password", 200, "longer than 200")],
)
def test_login_fields_are_refused_one_character_past_their_limit(
    client: FlaskClient, field: str, longest: int, message: str
) -> None:
    def attempt(length: int) -> str:
        data = {"email": "pat@example.com", "password": "x"}
        data[field] = _email(length) if field == "email" else "p" * length
        return client.post("/auth/login", data=data).get_data(as_text=True)

    assert message not in attempt(longest)
    assert message in attempt(longest + 1)
