"""OAuth2 client credentials: clients from the CLI, tokens that expire, scopes per endpoint."""

import base64
from collections.abc import Callable
from datetime import timedelta

from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, select

from learnpath.models import ApiClient, ApiToken
from learnpath.services.integration.clients import digest
from learnpath.vocabulary import utcnow


def _token(client: FlaskClient, client_id: str, secret: str, **extra: str):  # type: ignore[no-untyped-def]
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return client.post("/oauth/token", data={**form, **extra})


def test_the_cli_creates_a_client_whose_secret_is_shown_once_and_stored_hashed(
    runner: FlaskCliRunner, db: Session
) -> None:
    result = runner.invoke(
        args=[
            "api-client",
            "create",
            "--name",
            "Workday",
            "--scopes",
            "learners:read enrollments:read",
        ]
    )
    assert result.exit_code == 0, result.output
    lines = dict(line.split(":", 1) for line in result.output.splitlines() if ":" in line)
    client_id, secret = lines["client_id"].strip(), lines["client_secret"].strip()
    row = db.exec(select(ApiClient).where(ApiClient.client_id == client_id)).one()
    assert row.secret_hash == digest(secret) and secret not in row.secret_hash
    assert row.scopes == "enrollments:read learners:read"


def test_the_cli_refuses_unknown_scopes(runner: FlaskCliRunner, db: Session) -> None:
    result = runner.invoke(args=["api-client", "create", "--name", "X", "--scopes", "admin"])
    assert result.exit_code != 0
    assert db.exec(select(ApiClient)).all() == []


def test_client_credentials_in_the_form_give_a_bearer_token_that_expires_in_an_hour(
    client: FlaskClient, make_client: Callable[..., tuple[str, str]], db: Session
) -> None:
    client_id, secret = make_client("learners:read")
    response = _token(client, client_id, secret)
    assert response.status_code == 200
    body = response.json
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"] == "learners:read"
    stored = db.exec(select(ApiToken)).one()
    assert stored.token_hash == digest(body["access_token"])


def test_client_credentials_also_work_as_http_basic(
    client: FlaskClient, make_client: Callable[..., tuple[str, str]]
) -> None:
    client_id, secret = make_client("learners:read")
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200


def test_a_token_carries_only_requested_scopes_the_client_holds(
    client: FlaskClient, make_client: Callable[..., tuple[str, str]]
) -> None:
    client_id, secret = make_client("learners:read", "learners:write")
    response = _token(client, client_id, secret, scope="learners:read enrollments:read")
    assert response.json["scope"] == "learners:read"


def test_a_wrong_secret_gets_an_oauth_error_and_no_token(
    client: FlaskClient, make_client: Callable[..., tuple[str, str]], db: Session
) -> None:
    client_id, _secret = make_client()
    response = _token(client, client_id, "not-the-secret")
    assert response.status_code in (400, 401)
    assert response.json["error"] == "invalid_client"
    assert db.exec(select(ApiToken)).all() == []


def test_an_expired_token_is_refused_with_401_and_www_authenticate(
    client: FlaskClient, bearer: Callable[..., dict[str, str]], db: Session
) -> None:
    headers = bearer("learners:read")
    assert client.get("/api/v1/learners", headers=headers).status_code == 200
    token = db.exec(select(ApiToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.add(token)
    db.commit()
    response = client.get("/api/v1/learners", headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_token"
    assert "Bearer" in response.headers["WWW-Authenticate"]


def test_no_credentials_get_401_in_the_api_error_shape(client: FlaskClient) -> None:
    response = client.get("/api/v1/enrollments")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert set(response.json["error"]) == {"code", "message", "details"}


def test_a_made_up_token_gets_401(client: FlaskClient) -> None:
    response = client.get("/api/v1/learners", headers={"Authorization": "Bearer made-up"})
    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers


def test_a_token_without_the_scope_gets_403(
    client: FlaskClient, bearer: Callable[..., dict[str, str]]
) -> None:
    headers = bearer("learners:read")
    assert client.get("/api/v1/enrollments", headers=headers).status_code == 403
    response = client.put(
        "/api/v1/learners/E1", json={"email": "a@b.co", "name": "A"}, headers=headers
    )
    assert response.status_code == 403
    assert response.json["error"]["code"] == "insufficient_scope"


def test_a_deactivated_client_loses_its_tokens(
    client: FlaskClient, bearer: Callable[..., dict[str, str]], db: Session
) -> None:
    headers = bearer("learners:read")
    row = db.exec(select(ApiClient)).one()
    row.active = False
    db.add(row)
    db.commit()
    assert client.get("/api/v1/learners", headers=headers).status_code == 401


def test_asking_only_for_scopes_the_client_lacks_gets_invalid_scope_and_no_token(
    client: FlaskClient, make_client: Callable[..., tuple[str, str]], db: Session
) -> None:
    client_id, secret = make_client("learners:read")
    response = _token(client, client_id, secret, scope="enrollments:read enrollments:write")
    assert response.status_code == 400
    assert response.json["error"] == "invalid_scope"
    assert "access_token" not in response.json
    assert db.exec(select(ApiToken)).all() == []


def test_every_token_answer_names_its_scope(
    client: FlaskClient, make_client: Callable[..., tuple[str, str]]
) -> None:
    client_id, secret = make_client("learners:read", "enrollments:read")
    for asked, granted in (
        (None, "enrollments:read learners:read"),
        ("", "enrollments:read learners:read"),
        ("enrollments:read statements:read", "enrollments:read"),
    ):
        extra = {} if asked is None else {"scope": asked}
        response = _token(client, client_id, secret, **extra)
        assert response.status_code == 200, asked
        assert sorted(response.json["scope"].split()) == granted.split(), asked
