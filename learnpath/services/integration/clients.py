"""API clients and their bearer tokens: creation, secret checks, issue and look-up.

Client secrets and access tokens are random 256-bit strings, so a SHA-256 digest is enough to
store them (a slow password hash only pays off for guessable secrets) and lets every request be
checked in one indexed look-up. The secret is shown once, when the client is created.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from learnpath.models import ApiClient, ApiToken
from learnpath.models.base import pk
from learnpath.vocabulary import aware, utcnow

SCOPES = (
    "learners:read",
    "learners:write",
    "enrollments:read",
    "enrollments:write",
    "statements:read",
)


class ClientError(ValueError):
    """An API client cannot be created as asked; the message says why."""


@dataclass(frozen=True)
class Grant:
    """A valid bearer token: the client it was issued to, its scopes and expiry."""

    client: ApiClient
    scopes: frozenset[str]
    expires_at: datetime


def digest(secret: str) -> str:
    """SHA-256 of a secret or token, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_scopes(text: str) -> list[str]:
    """Scopes from a space- or comma-separated list, checked against SCOPES."""
    scopes = sorted({s for s in text.replace(",", " ").split() if s})
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ClientError(f"scopes must be among {', '.join(SCOPES)}; got {text!r}")
    return scopes


def checked_name(name: str) -> str:
    """A client's name, stripped; 1 to 200 characters."""
    if not name.strip() or len(name) > 200:
        raise ClientError("name must be 1 to 200 characters")
    return name.strip()


def new_secret() -> str:
    """A fresh random client secret (256 bits)."""
    return secrets.token_urlsafe(32)


def create_client(session: Session, name: str, scopes: str) -> tuple[ApiClient, str]:
    """A new client with the given scopes; returns it and its secret (never stored)."""
    secret = new_secret()
    client = ApiClient(
        client_id="lpc_" + secrets.token_hex(12),
        name=checked_name(name),
        secret_hash=digest(secret),
        scopes=" ".join(parse_scopes(scopes)),
    )
    session.add(client)
    session.flush()
    return client, secret


def client_by_id(session: Session, client_id: str) -> ApiClient | None:
    """The active client with this public id (None if it holds NUL: PostgreSQL cannot compare)."""
    if "\x00" in client_id:
        return None
    client = session.exec(select(ApiClient).where(ApiClient.client_id == client_id)).first()
    return client if client is not None and client.active else None


def secret_matches(client: ApiClient, secret: str) -> bool:
    """Whether `secret` is the client's (constant-time comparison of digests)."""
    return hmac.compare_digest(client.secret_hash, digest(secret))


def authenticate(session: Session, client_id: str, secret: str) -> ApiClient | None:
    """The active client with these credentials, or None."""
    client = client_by_id(session, client_id)
    return client if client is not None and secret_matches(client, secret) else None


def save_token(
    session: Session, client: ApiClient, access_token: str, scope: str, expires_in: int
) -> ApiToken:
    """Store an issued access token (digest only); the client was used now."""
    now = utcnow()
    token = ApiToken(
        token_hash=digest(access_token),
        client_id=pk(client),
        scopes=scope,
        issued_at=now,
        expires_at=now + timedelta(seconds=expires_in),
    )
    client.last_used_at = now
    session.add_all([token, client])
    return token


def grant_of(session: Session, access_token: str, now: datetime | None = None) -> Grant | None:
    """The grant behind a bearer token, if the token is unexpired and unrevoked, its client active.

    Its scopes are those issued that the client still holds: narrowing a client's scopes
    narrows its tokens at once.
    """
    row = session.exec(
        select(ApiToken, ApiClient)
        .join(ApiClient, ApiClient.id == ApiToken.client_id)  # type: ignore[arg-type]
        .where(ApiToken.token_hash == digest(access_token))
    ).first()
    if row is None:
        return None
    token, client = row
    expires_at = aware(token.expires_at)
    if not client.active or token.revoked_at is not None or expires_at <= (now or utcnow()):
        return None
    return Grant(client, frozenset(token.scopes.split()) & set(client.scopes.split()), expires_at)


def client_grant(client: ApiClient) -> Grant:
    """A grant for a client that authenticated with its own secret (xAPI Basic auth)."""
    return Grant(client, frozenset(client.scopes.split()), utcnow())
