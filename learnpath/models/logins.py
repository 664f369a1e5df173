"""Logins: remembered-login tokens (stored hashed) and failed-login counters per email."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from learnpath.models.base import created_field


class LoginToken(SQLModel, table=True):
    """One "keep me logged in" login: only the SHA-256 of its cookie value is stored.

    A token is used once: the login it restores gets a new token and this one is revoked
    (`revoked_at`); logout revokes it, a password change or deactivation revokes all of a user's.
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_agent: str = Field(default="", max_length=200)
    created_at: datetime = created_field()
    expires_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class LoginThrottle(SQLModel, table=True):
    """Failed logins for one email (known account or not), and until when it is locked."""

    email: str = Field(primary_key=True, max_length=254)
    failures: int = 0
    locked_until: datetime | None = None
    last_failure_at: datetime = created_field()
