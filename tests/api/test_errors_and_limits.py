"""JSON errors under /api/ (unknown URLs included), rate limits with Retry-After, CSRF exemption."""

import base64
import socket
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from learnpath import create_app
from learnpath.services.integration.clients import create_client


def test_an_unknown_api_url_answers_json_404(client: FlaskClient) -> None:
    response = client.get("/api/v2/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_a_wrong_method_answers_json_405_with_allow(client: FlaskClient) -> None:
    response = client.delete("/api/v1/programs")
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_html_pages_keep_their_html_errors(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def _limited_app(database_url: str, **config: object) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test",
            "API_RATE_LIMIT": "3 per minute",
            **config,
        }
    )


@pytest.fixture
def limited(database_url: str) -> Iterator[Flask]:
    """The app with a tiny API rate limit and CSRF on (the production setting)."""
    app = _limited_app(database_url)
    assert app.config["WTF_CSRF_ENABLED"]
    yield app
    app.extensions["learnpath.engine"].dispose()


def _headers(app: Flask) -> dict[str, str]:
    with Session(app.extensions["learnpath.engine"], expire_on_commit=False) as session:
        row, secret = create_client(session, "HR", "learners:read learners:write")
        session.commit()
    form = {"grant_type": "client_credentials", "client_id": row.client_id, "client_secret": secret}
    token = app.test_client().post("/oauth/token", data=form).json["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_too_many_requests_get_429_with_retry_after(limited: Flask) -> None:
    client, headers = limited.test_client(), _headers(limited)
    statuses = [client.get("/api/v1/learners", headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/learners", headers=headers)
    assert response.json["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 0


def test_the_api_takes_json_writes_without_a_csrf_token(limited: Flask) -> None:
    client, headers = limited.test_client(), _headers(limited)
    body = {"email": "a@example.com", "name": "A"}
    assert client.put("/api/v1/learners/E1", json=body, headers=headers).status_code == 201


def _redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_is_up(), reason="no Redis on 127.0.0.1:6379")
def test_limits_can_be_shared_through_redis(database_url: str) -> None:
    import uuid

    uri = "redis://127.0.0.1:6379/15"
    app = _limited_app(
        database_url, RATELIMIT_STORAGE_URI=uri, RATELIMIT_KEY_PREFIX=uuid.uuid4().hex
    )
    other = _limited_app(
        database_url,
        RATELIMIT_STORAGE_URI=uri,
        RATELIMIT_KEY_PREFIX=app.config["RATELIMIT_KEY_PREFIX"],
    )
    headers = _headers(app)
    for _ in range(3):
        assert app.test_client().get("/api/v1/learners", headers=headers).status_code == 200
    assert other.test_client().get("/api/v1/learners", headers=headers).status_code == 429
    for built in (app, other):
        built.extensions["learnpath.engine"].dispose()


def test_errors_under_oauth_are_rfc_6749_json(client: FlaskClient) -> None:
    wrong_method = client.get("/oauth/token")
    assert wrong_method.status_code == 405 and "POST" in wrong_method.headers["Allow"]
    assert wrong_method.json["error"] == "method_not_allowed"
    assert wrong_method.json["error_description"]
    unknown = client.post("/oauth/nothing-here")
    assert unknown.status_code == 404 and unknown.mimetype == "application/json"
    assert set(unknown.json) == {"error", "error_description"}
    assert unknown.json["error"] == "not_found"


def test_too_many_token_requests_get_json_429_with_retry_after(database_url: str) -> None:
    app = _limited_app(database_url, TOKEN_RATE_LIMIT="2 per minute")
    client, form = app.test_client(), {"grant_type": "client_credentials", "client_id": "x"}
    statuses = [client.post("/oauth/token", data=form).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]  # a bad client still counts
    response = client.post("/oauth/token", data=form)
    assert response.status_code == 429 and response.json["error"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 0
    app.extensions["learnpath.engine"].dispose()


def test_a_nul_in_the_token_form_is_an_invalid_request_naming_the_field(
    client: FlaskClient,
) -> None:
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "\x00", "client_secret": "x"},
    )
    assert response.status_code == 400
    assert response.json["error"] == "invalid_request"
    assert "client_id" in response.json["error_description"]


def test_a_nul_in_an_api_query_gets_a_json_400_naming_the_parameter(client: FlaskClient) -> None:
    response = client.get("/api/v1/enrollments?updated_since=%00")
    assert response.status_code == 400
    assert "updated_since" in response.json["error"]["message"]


def test_a_nul_in_basic_credentials_is_not_a_client(client: FlaskClient) -> None:
    basic = base64.b64encode(b"\x00:secret").decode()
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 401
    assert response.json["error"] == "invalid_client"


def test_a_nul_in_the_login_form_is_refused_without_a_server_error(client: FlaskClient) -> None:
    response = client.post("/auth/login", data={"email": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400
    assert b"email" in response.data
