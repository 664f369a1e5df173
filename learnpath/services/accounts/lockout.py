"""Failed-login lockout per email, with exponential backoff.

After FREE_FAILURES wrong tries for one email, the email is locked for FIRST_LOCK; each further
failure once the lock has passed doubles it, up to LONGEST_LOCK. While locked, even the right
password is refused. Emails of unknown accounts are counted and locked the same way, so the
answers (and the work behind them) never tell whether an account exists. A successful login
clears the count; an admin can clear it from the person's page. The flip side, inherent in any
per-account lockout, is that anyone can keep a known email locked: the lock is at most an hour,
and the per-address rate limit slows whoever does it.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, update

from learnpath.models import LoginThrottle, User
from learnpath.services.accounts.users import authenticate
from learnpath.vocabulary import aware

FREE_FAILURES = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)


@dataclass(frozen=True)
class Locked:
    """A login refused because its email is locked, for `wait` more."""

    wait: timedelta

    def __str__(self) -> str:
        minutes = max(1, math.ceil(self.wait.total_seconds() / 60))
        return f"Too many failed attempts; try again in {minutes} minute{'s' * (minutes > 1)}."


def sign_in(session: Session, email: str, password: str, now: datetime) -> User | Locked | None:
    """The user these credentials log in; Locked while the email is locked; None if wrong."""
    wait = locked_for(session, email, now)
    if wait is not None:
        return Locked(wait)
    user = authenticate(session, email, password)
    if user is None:
        record_failure(session, email, now)
        wait = locked_for(session, email, now)
        return Locked(wait) if wait is not None else None
    clear(session, email)
    return user


def normal(email: str) -> str:
    """The email as accounts store it (trimmed, lower case)."""
    return email.strip().lower()


def lock_length(failures: int) -> timedelta | None:
    """How long `failures` consecutive failures lock an email: None below the threshold."""
    if failures < FREE_FAILURES:
        return None
    return min(FIRST_LOCK * 2 ** min(failures - FREE_FAILURES, 12), LONGEST_LOCK)


def locked_for(session: Session, email: str, now: datetime) -> timedelta | None:
    """How long this email stays locked from `now`, or None if it may try."""
    row = session.get(LoginThrottle, normal(email))
    if row is None or row.locked_until is None or aware(row.locked_until) <= now:
        return None
    return aware(row.locked_until) - now


def record_failure(session: Session, email: str, now: datetime) -> None:
    """Count one failed login for this email and lock it when the count calls for it."""
    email = normal(email)
    counted = session.exec(
        update(LoginThrottle)
        .where(col(LoginThrottle.email) == email)
        .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
    )
    if counted.rowcount == 0:
        try:
            with session.begin_nested():  # another request may insert the same email first
                session.add(LoginThrottle(email=email, failures=1, last_failure_at=now))
        except IntegrityError:
            return record_failure(session, email, now)
    row = session.get(LoginThrottle, email, populate_existing=True)
    assert row is not None
    length = lock_length(row.failures)
    row.locked_until = now + length if length else None
    session.add(row)
    session.flush()


def clear(session: Session, email: str) -> None:
    """Forget the failures of this email (after a successful login, or by an admin)."""
    session.exec(delete(LoginThrottle).where(col(LoginThrottle.email) == normal(email)))
