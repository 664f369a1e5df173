"""OAuth2 with Authlib: the client-credentials token endpoint and bearer-token scope checks."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from functools import wraps
from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, InvalidScopeError, TokenMixin, grants
from authlib.oauth2.rfc6750 import BearerTokenValidator
from flask import Blueprint, Flask, Response, current_app, g, jsonify, request

from learnpath.api.errors import ApiError
from learnpath.db import get_session
from learnpath.models import ApiClient
from learnpath.services.integration import clients as api_clients
from learnpath.services.integration.clients import Grant
from learnpath.vocabulary import utcnow

bp = Blueprint("oauth", __name__, url_prefix="/oauth")
REALM = "learnpath"


class OAuthClient(ClientMixin):
    """An ApiClient as Authlib sees it: confidential, client credentials only."""

    def __init__(self, row: ApiClient) -> None:
        self.row = row

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        """The requested scopes the client holds; all of them when none are asked for."""
        held = self.row.scopes.split()
        if not scope:
            return " ".join(held)
        return " ".join(s for s in scope.split() if s in held)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return api_clients.secret_matches(self.row, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"


class OAuthToken(TokenMixin):
    """A stored token's grant as Authlib sees it (expired or revoked ones are never found)."""

    def __init__(self, grant: Grant) -> None:
        self.grant = grant

    def check_client(self, client: Any) -> bool:
        return bool(client.get_client_id() == self.grant.client.client_id)

    def get_scope(self) -> str:
        return " ".join(sorted(self.grant.scopes))

    def get_expires_in(self) -> int:
        return max(0, int((self.grant.expires_at - utcnow()).total_seconds()))

    def is_expired(self) -> bool:
        return self.grant.expires_at <= utcnow()

    def is_revoked(self) -> bool:
        return not self.grant.client.active


class ClientCredentials(grants.ClientCredentialsGrant):
    """The client-credentials grant, with the secret in HTTP Basic or in the form body."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def validate_requested_scope(self) -> None:
        """Known scopes only, and at least one the client holds (RFC 6749 §5.2 invalid_scope)."""
        super().validate_requested_scope()
        client: OAuthClient = self.request.client
        if not client.get_allowed_scope(self.request.payload.scope):
            raise InvalidScopeError("The client holds none of the requested scopes.")


class Validator(BearerTokenValidator):
    """Bearer tokens are looked up by their SHA-256 digest."""

    def authenticate_token(self, token_string: str) -> OAuthToken | None:
        grant = current_grant()  # the same header's token, already looked up for rate limits
        return OAuthToken(grant) if grant is not None else None


protector = ResourceProtector()
protector.register_token_validator(Validator(realm=REALM))


def _query_client(client_id: str) -> OAuthClient | None:
    row = api_clients.client_by_id(get_session(), client_id)
    return OAuthClient(row) if row is not None else None


def _save_token(token: dict[str, Any], oauth_request: Any) -> None:
    client: OAuthClient = oauth_request.client
    api_clients.save_token(
        get_session(),
        client.row,
        token["access_token"],
        token.get("scope", ""),
        token["expires_in"],
    )


@bp.post("/token")
def issue_token() -> Response:
    """RFC 6749 §4.4: client credentials in, a bearer token out (errors per §5.2)."""
    server: AuthorizationServer = current_app.extensions["learnpath.oauth"]
    header = request.headers.get("Authorization")
    if header is not None and len(header.split(None, 1)) != 2:  # Authlib raises on these
        description = "The Authorization header is not 'Basic <credentials>'."
        refused = jsonify({"error": "invalid_client", "error_description": description})
        refused.status_code = 401
        refused.headers["Cache-Control"] = "no-store"
        refused.headers["WWW-Authenticate"] = 'Basic realm="learnpath"'
        return refused
    response: Response = server.create_token_response()
    if response.status_code == 200:
        get_session().commit()
    return response


def current_grant() -> Grant | None:
    """The grant behind this request's credentials (Bearer, or Basic for xAPI), cached."""
    if "api_grant" not in g:
        g.api_grant = _grant_from_header(request.headers.get("Authorization", ""))
    grant: Grant | None = g.api_grant
    return grant


def _grant_from_header(header: str) -> Grant | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return api_clients.grant_of(get_session(), value.strip())
    if scheme.lower() == "basic" and request.path.startswith("/xapi/"):
        try:
            client_id, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        client = api_clients.authenticate(get_session(), client_id, secret)
        return api_clients.client_grant(client) if client is not None else None
    return None


def has_scope(scope: str) -> bool:
    """Whether this request's credentials hold `scope` (for answers that depend on it)."""
    grant = current_grant()
    return grant is not None and scope in grant.scopes


def require_scope(*any_of: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Only requests whose token holds one of `any_of` reach the view (401/403 otherwise)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            _authorize(list(any_of))
            return view(*args, **kwargs)

        return wrapped

    return decorate


def _authorize(scopes: list[str]) -> None:
    if _is_basic():
        grant = current_grant()
        if grant is None:
            challenge = ("WWW-Authenticate", f'Basic realm="{REALM}"')
            raise ApiError(401, "Bad client credentials.", headers=[challenge])
        if not grant.scopes & set(scopes):
            raise ApiError(403, f"This client lacks the scope {' or '.join(scopes)}.")
        return
    try:
        token = protector.acquire_token(scopes)
    except OAuth2Error as error:
        raise ApiError(
            error.status_code or 401,
            str(error.description or error.error),
            headers=[(k, v) for k, v in error.get_headers() if k.lower() == "www-authenticate"],
            code=str(error.error),
        ) from error
    g.api_grant = token.grant


def _is_basic() -> bool:
    """xAPI also takes the client id and secret as HTTP Basic credentials."""
    header = request.headers.get("Authorization", "")
    return request.path.startswith("/xapi/") and header[:6].lower() == "basic "


def init_app(app: Flask) -> None:
    """An Authlib authorization server for this app, with tokens that expire."""
    seconds = int(app.config.setdefault("API_TOKEN_SECONDS", 3600))
    app.config.setdefault("OAUTH2_TOKEN_EXPIRES_IN", {"client_credentials": seconds})
    app.config.setdefault("OAUTH2_SCOPES_SUPPORTED", list(api_clients.SCOPES))
    server = AuthorizationServer()
    server.init_app(app, query_client=_query_client, save_token=_save_token)
    server.register_grant(ClientCredentials)
    app.extensions["learnpath.oauth"] = server
    app.register_blueprint(bp)
