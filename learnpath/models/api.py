"""API client credentials and the access tokens issued to them (both stored hashed)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from learnpath.models.base import created_field


class ApiClient(SQLModel, table=True):
    """An HR system's OAuth2 client: id, hashed secret and granted scopes (space-separated)."""

    id: int | None = Field(default=None, primary_key=True)
    client_id: str = Field(unique=True, max_length=64)
    name: str = Field(max_length=200)
    secret_hash: str = Field(max_length=255)
    scopes: str = Field(default="", max_length=255)
    active: bool = True
    created_at: datetime = created_field()
    last_used_at: datetime | None = None


class ApiToken(SQLModel, table=True):
    """A bearer token issued to a client; only its SHA-256 is stored; a revoked one stays so."""

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    client_id: int = Field(foreign_key="apiclient.id", index=True)
    scopes: str = Field(default="", max_length=255)
    issued_at: datetime = created_field()
    expires_at: datetime
    revoked_at: datetime | None = None  # set when its client is revoked or its secret rotated
