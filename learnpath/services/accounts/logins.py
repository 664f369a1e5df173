"""Remembered logins: one token per "keep me logged in" login, stored hashed, used once.

Restoring a login with a token revokes it and issues its successor, which keeps the first
login's expiry (a remembered login lasts the configured lifetime from the password login, however
often it is used). A reused token is refused outright, with no grace window: the one case where an
honest browser reuses one is several tabs restored at the same instant, and those get the login
page once; a grace window would let a copied cookie in during it too. Logout revokes its own token;
`end_all` (password change, deactivation) revokes every token of the user and raises the user's
session version, so session cookies made before stop working as well.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select, update

from learnpath.models import LoginToken, User
from learnpath.models.base import pk
from learnpath.vocabulary import aware


@dataclass(frozen=True)
class Remembered:
    """A token as its cookie carries it, and when it expires."""

    token: str
    expires_at: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, user: User, expires_at: datetime, user_agent: str = "") -> Remembered:
    """A new token for this user's login, valid until `expires_at`."""
    token = secrets.token_urlsafe(32)
    session.add(
        LoginToken(
            user_id=pk(user),
            token_hash=_digest(token),
            user_agent=user_agent[:200],
            expires_at=expires_at,
        )
    )
    session.flush()
    return Remembered(token, expires_at)


def redeem(
    session: Session, token: str, now: datetime, user_agent: str = ""
) -> tuple[User, Remembered] | None:
    """The active user a token logs back in and its successor; None if unusable (nothing changed).

    Whether the token is still unrevoked is decided by the conditional UPDATE that revokes it, so
    of two requests racing with the same token only one gets the login.
    """
    row = session.exec(select(LoginToken).where(LoginToken.token_hash == _digest(token))).first()
    if row is None or aware(row.expires_at) <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    used = session.exec(
        update(LoginToken)
        .where(col(LoginToken.id) == pk(row), col(LoginToken.revoked_at).is_(None))
        .values(revoked_at=now, last_used_at=now)
    )
    if used.rowcount != 1:
        return None
    return user, issue(session, user, aware(row.expires_at), user_agent)


def revoke(session: Session, token: str, now: datetime) -> None:
    """End the login this token remembers (logout)."""
    session.exec(
        update(LoginToken)
        .where(col(LoginToken.token_hash) == _digest(token), col(LoginToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )


def end_all(session: Session, user: User, now: datetime) -> None:
    """End every login of the user: revoke all their tokens, invalidate their session cookies.

    The version is raised before the bulk update, whose autoflush then writes it with whatever
    else the caller changed on the user: one row update, so one audit entry.
    """
    user.session_version += 1
    session.add(user)
    session.exec(
        update(LoginToken)
        .where(col(LoginToken.user_id) == pk(user), col(LoginToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )
    session.flush()
