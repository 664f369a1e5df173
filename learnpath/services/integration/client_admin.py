"""Managing API clients: list, look up, change, rotate the secret, revoke and reactivate.

Revoking a client or rotating its secret revokes every token issued to it so far, at once
(`ApiToken.revoked_at`, checked on every call). Reactivating a revoked client lets it ask for
new tokens; the old ones stay revoked. The studio's admin pages and the `api-client` commands
both call these functions.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from learnpath.models import ApiClient, ApiToken
from learnpath.services.integration.clients import checked_name, digest, new_secret, parse_scopes
from learnpath.vocabulary import utcnow


@dataclass(frozen=True)
class ClientRow:
    """A client as the admin list shows it: the row and how many of its tokens still work."""

    client: ApiClient
    live_tokens: int


def _live() -> Any:
    """Tokens neither revoked nor expired."""
    return (col(ApiToken.revoked_at).is_(None), col(ApiToken.expires_at) > utcnow())


def live_tokens(session: Session, client: ApiClient) -> int:
    """How many of the client's tokens still work."""
    query = select(func.count()).where(col(ApiToken.client_id) == client.id, *_live())
    return int(session.exec(query).one())


def list_clients(session: Session) -> list[ClientRow]:
    """Every client, active ones first, by name, with its count of live tokens."""
    live = (
        select(ApiToken.client_id, func.count().label("n"))
        .where(*_live())
        .group_by(col(ApiToken.client_id))
        .subquery()
    )
    rows = session.exec(
        select(ApiClient, func.coalesce(live.c.n, 0))
        .outerjoin(live, live.c.client_id == ApiClient.id)
        .order_by(col(ApiClient.active).desc(), col(ApiClient.name), col(ApiClient.id))
    ).all()
    return [ClientRow(client, int(n)) for client, n in rows]


def find(session: Session, client_id: str) -> ApiClient | None:
    """The client with this public id, active or revoked (None if it holds NUL)."""
    if "\x00" in client_id:
        return None
    return session.exec(select(ApiClient).where(ApiClient.client_id == client_id)).first()


def change(session: Session, client: ApiClient, name: str, scopes: str) -> ApiClient:
    """Rename a client and set its scopes; tokens lose scopes it no longer holds at once."""
    client.name = checked_name(name)
    client.scopes = " ".join(parse_scopes(scopes))
    session.add(client)
    session.flush()
    return client


def rotate_secret(session: Session, client: ApiClient) -> str:
    """A new secret for the client (returned, stored only hashed); its tokens stop working."""
    secret = new_secret()
    client.secret_hash = digest(secret)
    session.add(client)
    revoke_tokens(session, client)
    return secret


def revoke(session: Session, client: ApiClient) -> None:
    """The client can no longer get tokens, and those it holds stop working (no-op if revoked)."""
    if not client.active:
        return
    client.active = False
    session.add(client)
    revoke_tokens(session, client)


def reactivate(session: Session, client: ApiClient) -> None:
    """The client may ask for tokens again; those issued before it was revoked stay revoked.

    A token issued while the revocation was committing (it read the client still active) is
    revoked here too: a revoked client can hold no working token.
    """
    if client.active:
        return
    revoke_tokens(session, client)
    client.active = True
    session.add(client)
    session.flush()


def revoke_tokens(session: Session, client: ApiClient) -> None:
    """Revoke every token issued to the client that is not revoked yet."""
    session.flush()
    session.execute(
        update(ApiToken)
        .where(col(ApiToken.client_id) == client.id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
