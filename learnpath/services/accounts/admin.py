"""People admin: a user's roles, profile fields and activity, never leaving no active admin.

The last-admin check runs inside the transaction that makes the change and locks the active
admins' rows first (SELECT … FOR UPDATE on PostgreSQL; SQLite lets one writer in at a time), so
two admins demoting each other at the same moment cannot both succeed.
"""

import secrets
from dataclasses import dataclass

from sqlmodel import Session, col, delete, select

from learnpath.models import Learner, User, UserRole
from learnpath.models.base import pk
from learnpath.services.accounts import departments, invites, logins
from learnpath.services.accounts.users import (
    AccountError,
    create_user,
    learner_profile,
    new_email,
    roles_of,
)
from learnpath.services.integration.learners import chain_above
from learnpath.services.learning import events, trajectory
from learnpath.vocabulary import ROLES, utcnow


@dataclass(frozen=True)
class Profile:
    """What an admin sets on a user: name, roles and the learner profile's HR fields."""

    name: str
    roles: list[str]
    department: str = ""
    manager: str = ""  # the manager's email or external id; '' for none
    external_id: str = ""  # '' keeps the current one (a new profile takes the email)


def active_admins(session: Session) -> set[int]:
    """Ids of the active users holding the admin role, their rows locked for this transaction."""
    query = (
        select(UserRole.user_id)
        .join(User, col(User.id) == UserRole.user_id)
        .where(UserRole.role == "admin", col(User.active).is_(True))
        .with_for_update()
    )
    return set(session.exec(query).all())


def _keep_an_admin(session: Session, user: User, field: str) -> None:
    """Refuse when this user is the only active admin left (called before taking it away)."""
    admins = active_admins(session)
    if admins <= {pk(user)}:
        raise AccountError(
            f"{field}: {user.name} is the last active admin; make someone else an admin first"
        )


def set_active(session: Session, user: User, active: bool, actor: User) -> None:
    """Deactivate (their sessions, remembered logins and links end now) or reactivate."""
    if user.active == active:
        return
    if not active and pk(user) == pk(actor):
        raise AccountError("active: you cannot deactivate your own account")
    if not active and "admin" in roles_of(session, pk(user)):
        _keep_an_admin(session, user, "active")
    session.refresh(user)  # the row as the locking read left it
    user.active = active
    session.add(user)
    if not active:  # reactivating revives neither a link nor a login made before
        logins.end_all(session, user, utcnow())  # first: it writes the user's row once
        invites.end_links(session, pk(user), utcnow())
    session.flush()


def set_roles(session: Session, user: User, roles: list[str]) -> None:
    """Replace the user's roles (at least one, from the known ones)."""
    unknown = sorted(set(roles) - set(ROLES))
    if unknown or not roles:
        raise AccountError(f"roles: choose from {', '.join(ROLES)}")
    held = roles_of(session, pk(user))
    if "admin" in held and "admin" not in roles and user.active:
        _keep_an_admin(session, user, "roles")
    session.exec(delete(UserRole).where(col(UserRole.user_id) == pk(user)))
    for role in sorted(set(roles)):
        session.add(UserRole(user_id=pk(user), role=role))
    session.flush()


def update_user(session: Session, user: User, profile: Profile) -> None:
    """Save an admin's changes to a user: name, roles, then department, manager, external id."""
    name = profile.name.strip()
    if not name:
        raise AccountError("name: a user needs a name")
    set_roles(session, user, profile.roles)
    user.name = name
    session.add(user)
    needs_profile = "learner" in profile.roles or profile.department or profile.manager
    if user.learner_id is None and needs_profile:
        learner = learner_profile(session, user.email, name, profile.external_id or None)
        user.learner_id = pk(learner)
        session.add(user)
    profile_row = session.get(Learner, user.learner_id) if user.learner_id else None
    if profile_row is not None:
        set_learner_fields(session, profile_row, profile)
    session.flush()


def set_learner_fields(session: Session, learner: Learner, profile: Profile) -> None:
    """Name, department, manager and external id of a learner profile; re-plans on a change."""
    department = profile.department.strip()
    if department and department not in departments.names(session):
        raise AccountError(f"department: no department is called '{department}'")
    values = {
        "name": profile.name.strip(),
        "department": department,
        "manager_id": _manager_id(session, learner, profile.manager.strip()),
        "external_id": _external_id(session, learner, profile.external_id.strip()),
    }
    if all(getattr(learner, k) == v for k, v in values.items()):
        return
    replan = learner.department != department
    for key, value in values.items():
        setattr(learner, key, value)
    session.add(learner)
    session.flush()
    session.refresh(learner)  # the database stamps updated_at
    events.touch_learner_enrollments(session, pk(learner), learner.updated_at)
    if replan:  # the department is a plan input (segment rules)
        trajectory.replan_learner(session, pk(learner))


def _manager_id(session: Session, learner: Learner, key: str) -> int | None:
    """The manager named by email or external id; refused if unknown or a reporting loop."""
    if not key:
        return None
    found = session.exec(
        select(Learner).where((Learner.external_id == key) | (Learner.email == key.lower()))
    ).first()
    if found is None:
        raise AccountError(f"manager: no learner has the email or external id '{key}'")
    if pk(learner) in chain_above(session, pk(found)):
        raise AccountError(f"manager: {found.name} reports to {learner.name}, so it would loop")
    return pk(found)


def _external_id(session: Session, learner: Learner, key: str) -> str:
    """The HR id to keep: unchanged when empty; refused when another learner has it."""
    if not key or key == learner.external_id:
        return learner.external_id
    taken = session.exec(select(Learner).where(Learner.external_id == key)).first()
    if taken is not None:
        raise AccountError(f"external_id: '{key}' is the HR id of {taken.name}")
    return key


def create_account(session: Session, email: str, profile: Profile, password: str = "") -> User:
    """A new user with roles and, for learners (or anyone given HR fields), a learner profile.

    Without a password the account gets a random one nobody knows: an invite link sets it.
    """
    if not profile.name.strip():
        raise AccountError("name: a user needs a name")
    email = new_email(session, email)  # before a learner profile is looked up by it
    password = password or secrets.token_urlsafe(32)
    needs_profile = "learner" in profile.roles or profile.department or profile.manager
    learner = None
    if needs_profile:
        learner = learner_profile(session, email, profile.name.strip(), profile.external_id or None)
    user = create_user(session, email, profile.name.strip(), password, profile.roles, learner)
    if learner is not None:
        set_learner_fields(session, learner, profile)
    return user
