"""Logging in and out, roles, and what each role sees in the catalog."""

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath import create_app
from learnpath.models import Program, User
from tests import factories


def test_visitors_are_sent_to_the_login_page(client: FlaskClient) -> None:
    response = client.get("/programs")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    page = client.get("/auth/login")
    assert page.status_code == 200
    assert b'name="password"' in page.data


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(
    client: FlaskClient, db: Session
) -> None:
    factories.user(db, email="pat@example.com")
    db.commit()
    for email, password in [
        ("pat@example.com", "wrong password"),
        ("nobody@example.com", factories.PASSWORD),
    ]:
        response = client.post("/auth/login", data={"email": email, "password": password})
        assert response.status_code == 200
        assert b"Unknown email or wrong password." in response.data
    assert client.get("/programs").status_code == 302


def test_passwords_are_stored_hashed(db: Session) -> None:
    user = factories.user(db)
    assert factories.PASSWORD not in user.password_hash
    assert user.password_hash.startswith("scrypt:")


def test_learner_sees_published_programs_of_their_audience(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    page = client.get("/programs").get_data(as_text=True)
    for depth in ["1 · boxed", "5 · personal"]:  # made for anyone
        assert depth in page
    for depth in ["2 · facilitated", "3 · specialized", "4 · deep"]:  # a client's, Finance's
        assert depth not in page
    assert "Team Lead Path" in page
    assert "retired" not in page  # project-management-foundations v1 is retired


def test_staff_see_programs_at_every_depth(catalog: Session, client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("facilitator", email="fay@example.com")
    page = client.get("/programs").get_data(as_text=True)
    for depth in ["1 · boxed", "2 · facilitated", "3 · specialized", "4 · deep", "5 · personal"]:
        assert depth in page


def test_staff_also_see_retired_versions(catalog: Session, client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("author", email="alex@example.com")
    page = client.get("/programs").get_data(as_text=True)
    assert "retired" in page


def test_program_page_shows_derivation(catalog: Session, client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("author")
    page = client.get("/programs/data-literacy-for-northwind/v1").get_data(as_text=True)
    assert "Derived from" in page and "Northwind Logistics cohort" in page
    assert "Swapped “Reading charts without being misled” for" in page
    assert "Facilitator overlays" in page


def test_learner_cannot_open_a_retired_version(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    assert client.get("/programs/project-management-foundations/v1").status_code == 404
    assert client.get("/programs/project-management-foundations/v2").status_code == 200
    assert client.get("/programs/no-such-program/v1").status_code == 404


def test_login_follows_only_local_next(client: FlaskClient, db: Session) -> None:
    factories.user(db)
    db.commit()
    data = {"email": "pat@example.com", "password": factories.PASSWORD}
    response = client.post("/auth/login?next=https://evil.example/x", data=data)
    assert response.headers["Location"] == "/"


def test_logout_ends_the_session(client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    assert client.get("/programs").status_code == 200
    client.post("/auth/logout")
    assert client.get("/programs").status_code == 302


def test_inactive_user_cannot_log_in(client: FlaskClient, db: Session) -> None:
    user = factories.user(db)
    user.active = False
    db.add(user)
    db.commit()
    response = client.post(
        "/auth/login", data={"email": "pat@example.com", "password": factories.PASSWORD}
    )
    assert response.status_code == 200
    assert db.exec(select(User).where(User.email == "pat@example.com")).one().last_login_at is None


def test_csrf_is_enforced_when_on(database_url: str) -> None:
    app: Flask = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "t"})
    client = app.test_client()
    response = client.post("/auth/login", data={"email": "a@example.com", "password": "x"})
    assert response.status_code == 400
    assert b"CSRF" in response.data
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    app.extensions["learnpath.engine"].dispose()


def test_programs_exist_for_each_depth(catalog: Session) -> None:
    assert {p.depth for p in catalog.exec(select(Program)).all()} == {1, 2, 3, 4, 5}


def test_password_guessing_is_slowed_down_by_a_rate_limit(client: FlaskClient, db: Session) -> None:
    factories.user(db)
    db.commit()
    guess = {"email": "pat@example.com", "password": "wrong guess"}
    codes = [client.post("/auth/login", data=guess).status_code for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429
    assert "Retry-After" in client.post("/auth/login", data=guess).headers
    assert client.get("/auth/login").status_code == 200
