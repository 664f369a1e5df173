"""Learner pages by account kind: where each lands, what staff may see, what needs a profile."""

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session

STAFF = ["author", "facilitator", "admin"]


def test_visitors_start_on_the_catalog_behind_the_login(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/programs"


@pytest.mark.parametrize(
    "path", ["/path", "/quizzes", "/profile", "/programs", "/programs/data-literacy-essentials/v1"]
)
def test_visitors_are_sent_to_log_in_from_every_learner_page(
    client: FlaskClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/quizzes"),
        ("GET", "/quizzes/some-attempt"),
        ("POST", "/quizzes/some-attempt"),
        ("GET", "/quizzes/some-attempt/results"),
    ],
)
def test_visitors_are_sent_to_log_in_from_every_quiz_route(
    client: FlaskClient, method: str, path: str
) -> None:
    response = client.open(path, method=method, data={"kind": "check"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


@pytest.mark.parametrize(("roles", "start"), [(["learner"], "/path"), (["admin"], "/programs")])
def test_learners_start_on_their_paths_and_staff_on_the_catalog(
    client: FlaskClient, login, roles: list[str], start: str
) -> None:  # type: ignore[no-untyped-def]
    login(*roles)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == start


@pytest.mark.parametrize("path", ["/path", "/quizzes", "/profile"])
def test_a_staff_account_without_a_learner_profile_is_refused_learner_pages(
    client: FlaskClient, login, path: str
) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    response = client.get(path)
    assert response.status_code == 403
    assert "no learner profile" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", STAFF)
def test_every_staff_role_sees_retired_versions_and_may_open_them(
    catalog: Session, client: FlaskClient, login, role: str
) -> None:  # type: ignore[no-untyped-def]
    login(role)
    assert "retired" in client.get("/programs").get_data(as_text=True)
    assert client.get("/programs/project-management-foundations/v1").status_code == 200
