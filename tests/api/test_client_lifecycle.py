"""API client lifecycle: rotating, revoking and reactivating act on tokens at once."""

import base64

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, col, select

from learnpath.models import ApiClient, ApiToken, AuditEntry
from learnpath.services.integration import client_admin
from learnpath.services.integration.clients import ClientError, create_client, digest

LEARNERS = "/api/v1/learners"


def _token(client: FlaskClient, client_id: str, secret: str) -> dict[str, str]:
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def _made(db: Session, scopes: str = "learners:read") -> tuple[ApiClient, str]:
    row, secret = create_client(db, "Workday", scopes)
    db.commit()
    return row, secret


def test_revoking_a_client_stops_its_tokens_at_once(db: Session, client: FlaskClient) -> None:
    row, secret = _made(db)
    headers = _token(client, row.client_id, secret)
    assert client.get(LEARNERS, headers=headers).status_code == 200
    client_admin.revoke(db, row)
    db.commit()
    assert client.get(LEARNERS, headers=headers).status_code == 401
    refused = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": row.client_id,
            "client_secret": secret,
        },
    )
    assert refused.json["error"] == "invalid_client"  # RFC 6749 §5.2
    db.expire_all()
    tokens = db.exec(select(ApiToken)).all()
    assert len(tokens) == 1 and tokens[0].revoked_at is not None


def test_reactivating_does_not_revive_old_tokens(db: Session, client: FlaskClient) -> None:
    row, secret = _made(db)
    old = _token(client, row.client_id, secret)
    client_admin.revoke(db, row)
    db.commit()
    client_admin.reactivate(db, row)
    db.commit()
    assert client.get(LEARNERS, headers=old).status_code == 401
    new = _token(client, row.client_id, secret)  # the secret still works: a new token does
    assert client.get(LEARNERS, headers=new).status_code == 200


def test_reactivating_revokes_a_token_that_slipped_in_during_revocation(db: Session) -> None:
    row, _secret = _made(db)
    client_admin.revoke(db, row)
    db.commit()
    # as if a token request had read the client active while the revocation committed
    db.add(ApiToken(token_hash=digest("late"), client_id=row.id, expires_at=row.created_at))
    db.commit()
    client_admin.reactivate(db, row)
    db.commit()
    late = db.exec(select(ApiToken).where(ApiToken.token_hash == digest("late"))).one()
    assert late.revoked_at is not None


def test_rotating_the_secret_stops_old_tokens_and_the_old_secret(
    db: Session, client: FlaskClient
) -> None:
    row, old_secret = _made(db)
    old = _token(client, row.client_id, old_secret)
    new_secret = client_admin.rotate_secret(db, row)
    db.commit()
    assert new_secret != old_secret
    assert db.get(ApiClient, row.id).secret_hash == digest(new_secret)  # type: ignore[union-attr]
    assert client.get(LEARNERS, headers=old).status_code == 401
    basic = base64.b64encode(f"{row.client_id}:{old_secret}".encode()).decode()
    statements = client.get(
        "/xapi/statements",
        headers={"Authorization": f"Basic {basic}", "X-Experience-API-Version": "1.0.3"},
    )
    assert statements.status_code == 401
    assert (
        client.get(LEARNERS, headers=_token(client, row.client_id, new_secret)).status_code == 200
    )


def test_narrowing_scopes_narrows_live_tokens(db: Session, client: FlaskClient) -> None:
    row, secret = _made(db, "learners:read enrollments:read")
    headers = _token(client, row.client_id, secret)
    client_admin.change(db, row, "Workday EU", "enrollments:read")
    db.commit()
    assert client.get(LEARNERS, headers=headers).status_code == 403
    assert client.get("/api/v1/enrollments", headers=headers).status_code == 200


def test_changes_are_checked(db: Session) -> None:
    row, _ = _made(db)
    with pytest.raises(ClientError):
        client_admin.change(db, row, "  ", "learners:read")
    with pytest.raises(ClientError):
        client_admin.change(db, row, "Workday", "learners:read everything")
    with pytest.raises(ClientError):
        client_admin.change(db, row, "Workday", "")


def test_the_list_counts_live_tokens_only(db: Session, client: FlaskClient) -> None:
    kept, kept_secret = _made(db)
    gone, gone_secret = _made(db)
    _token(client, kept.client_id, kept_secret)
    _token(client, kept.client_id, kept_secret)
    _token(client, gone.client_id, gone_secret)
    client_admin.revoke(db, gone)
    db.commit()
    rows = {r.client.client_id: r.live_tokens for r in client_admin.list_clients(db)}
    assert rows == {kept.client_id: 2, gone.client_id: 0}
    listed = [r.client.active for r in client_admin.list_clients(db)]
    assert listed == [True, False]  # active first


def test_find_sees_revoked_clients_and_refuses_nul(db: Session) -> None:
    row, _ = _made(db)
    client_admin.revoke(db, row)
    db.commit()
    assert client_admin.find(db, row.client_id) is row
    assert client_admin.find(db, "lpc_\x00") is None
    assert db.exec(select(ApiClient).where(col(ApiClient.active))).all() == []


def test_the_commands_share_the_lifecycle_and_are_audited_as_cli(
    db: Session, client: FlaskClient, runner: FlaskCliRunner
) -> None:
    row, secret = _made(db)
    headers = _token(client, row.client_id, secret)
    listed = runner.invoke(args=["api-client", "list"])
    assert f"{row.client_id}  active     1 live  learners:read  Workday" in listed.output
    revoked = runner.invoke(args=["api-client", "revoke", row.client_id])
    assert revoked.exit_code == 0, revoked.output
    assert client.get(LEARNERS, headers=headers).status_code == 401
    assert runner.invoke(args=["api-client", "reactivate", row.client_id]).exit_code == 0
    assert client.get(LEARNERS, headers=headers).status_code == 401
    rotated = runner.invoke(args=["api-client", "rotate", row.client_id])
    new_secret = rotated.output.split("client_secret:")[1].split()[0]
    db.expire_all()
    assert db.get(ApiClient, row.id).secret_hash == digest(new_secret)  # type: ignore[union-attr]
    origins = {e.origin for e in db.exec(select(AuditEntry)).all() if e.entity == "apiclient"}
    assert origins == {
        "flask api-client revoke",
        "flask api-client reactivate",
        "flask api-client rotate",
    }
    assert {e.actor for e in db.exec(select(AuditEntry)).all()} == {"cli"}


def test_a_command_on_an_unknown_client_fails(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["api-client", "revoke", "lpc_nobody"])
    assert result.exit_code != 0 and "no API client 'lpc_nobody'" in result.output
