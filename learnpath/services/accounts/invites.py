"""Invites: a one-time set-password link an admin passes on; valid 72 hours, stored hashed.

The token is shown once, when issued; only its SHA-256 is kept. Using it consumes it (a
conditional UPDATE, so two tabs submitting at once cannot both use it); a newer invite for the
same user ends the older ones.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session, col, select, update
from werkzeug.security import generate_password_hash

from learnpath.models import Invite, User
from learnpath.models.base import pk
from learnpath.services.accounts import logins
from learnpath.services.accounts.users import MIN_PASSWORD, AccountError
from learnpath.vocabulary import aware

VALID_FOR = timedelta(hours=72)
Refusal = Literal["unknown", "used", "expired", "inactive"]
REASONS: dict[Refusal, str] = {
    "unknown": "This link is not valid. Check that it was copied whole, or ask for a new one.",
    "used": "This link has been used already: each link sets a password once. "
    "Log in with that password, or ask your admin for a new link.",
    "expired": "This link has expired (links are valid for 72 hours). "
    "Ask your admin for a new one.",
    "inactive": "This account is deactivated. Ask your admin.",
}


class InviteError(ValueError):
    """A link that cannot be used; `reason` says why in words for the page."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(REASONS[refusal])
        self.refusal = refusal


def digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, user: User, by: str, now: datetime) -> str:
    """A new link token for the user (earlier unused ones end now); shown once, stored hashed."""
    if not user.active:
        raise AccountError("active: reactivate the user before inviting them")
    end_links(session, pk(user), now)
    token = secrets.token_urlsafe(32)
    session.add(
        Invite(
            user_id=pk(user),
            token_hash=digest(token),
            created_by=by,
            created_at=now,
            expires_at=now + VALID_FOR,
        )
    )
    session.flush()
    return token


def end_links(session: Session, user_id: int, now: datetime) -> None:
    """Every unused link of the user stops working now (a new one, or deactivation)."""
    session.exec(
        update(Invite)
        .where(col(Invite.user_id) == user_id, col(Invite.used_at).is_(None))
        .where(col(Invite.expires_at) > now)
        .values(expires_at=now)
    )


def check(session: Session, token: str, now: datetime) -> tuple[Invite, User]:
    """The invite and its user if the link may be used now, else InviteError saying why."""
    invite = session.exec(select(Invite).where(Invite.token_hash == digest(token))).first()
    if invite is None:
        raise InviteError("unknown")
    user = session.get(User, invite.user_id)
    assert user is not None
    if invite.used_at is not None:
        raise InviteError("used")
    if aware(invite.expires_at) <= now:
        raise InviteError("expired")
    if not user.active:
        raise InviteError("inactive")
    return invite, user


def redeem(session: Session, token: str, password: str, now: datetime) -> User:
    """Set the user's password through the link, consuming it; the user."""
    invite, user = check(session, token, now)
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: use at least {MIN_PASSWORD} characters")
    consumed = session.exec(
        update(Invite)
        .where(col(Invite.id) == pk(invite), col(Invite.used_at).is_(None))
        .values(used_at=now)
    )
    if consumed.rowcount != 1:  # another request used it between our read and this write
        raise InviteError("used")
    user.password_hash = generate_password_hash(password)
    session.add(user)
    logins.end_all(session, user, now)  # a new password ends every login made with the old one
    return user


def pending(session: Session, user_id: int, now: datetime) -> Invite | None:
    """The user's link that is still usable, if any (to say so on their page)."""
    return session.exec(
        select(Invite)
        .where(Invite.user_id == user_id, col(Invite.used_at).is_(None))
        .where(col(Invite.expires_at) > now)
        .order_by(col(Invite.id).desc())
    ).first()
