"""Accounts: creating users with roles, checking passwords."""

from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from learnpath.models import Learner, User, UserRole
from learnpath.models.base import pk
from learnpath.vocabulary import ROLES, utcnow

MIN_PASSWORD = 10


class AccountError(ValueError):
    """A user cannot be created as asked; the message says which field and why."""


def create_user(
    session: Session,
    email: str,
    name: str,
    password: str,
    roles: list[str],
    learner: Learner | None = None,
) -> User:
    """Add a user with a hashed password (scrypt) and the given roles."""
    email = new_email(session, email)
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: use at least {MIN_PASSWORD} characters")
    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        raise AccountError(
            f"role: choose from {', '.join(ROLES)} (got {', '.join(unknown) or 'none'})"
        )
    user = User(email=email, name=name, password_hash=generate_password_hash(password))
    user.learner_id = learner.id if learner else None
    session.add(user)
    session.flush()
    for role in sorted(set(roles)):
        session.add(UserRole(user_id=pk(user), role=role))
    session.flush()
    return user


def new_email(session: Session, email: str) -> str:
    """The email of a new user, lower-cased; refused if malformed or another user has it."""
    email = email.strip().lower()
    if "@" not in email:
        raise AccountError(f"email: '{email}' is not an email address")
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError(f"email: a user with '{email}' already exists")
    return email


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same answer for both failures)."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    # The same hash work whatever the account: an unknown or deactivated one is checked against a
    # dummy hash, so the answer takes as long as for a wrong password.
    usable = user is not None and user.active
    stored = user.password_hash if user is not None and usable else _DUMMY_HASH
    if not check_password_hash(stored, password) or user is None or not usable:
        return None
    user.last_login_at = utcnow()
    session.add(user)
    return user


def roles_of(session: Session, user_id: int) -> set[str]:
    """The roles a user holds."""
    return set(session.exec(select(UserRole.role).where(UserRole.user_id == user_id)).all())


_DUMMY_HASH = generate_password_hash("not a real password, only for timing")


def learner_profile(
    session: Session, email: str, name: str, external_id: str | None = None
) -> Learner:
    """The learner profile a new learner login links to: found by external id or email, or new."""
    email = email.strip().lower()
    key = (external_id or email).strip()
    found = session.exec(select(Learner).where(Learner.external_id == key)).first()
    if found is None and external_id is None:
        found = session.exec(select(Learner).where(Learner.email == email)).first()
    if found is not None:
        taken = session.exec(select(User).where(User.learner_id == found.id)).first()
        if taken is not None:
            raise AccountError(f"learner {found.external_id} already has a login ({taken.email})")
        return found
    learner = Learner(external_id=key, email=email, name=name)
    session.add(learner)
    session.flush()
    return learner
