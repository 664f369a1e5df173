"""The users list of people admin: filtered and paginated in SQL, and the same rows as CSV."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, func, or_, select

from learnpath.models import Learner, User, UserRole
from learnpath.models.base import pk

PAGE_SIZE = 50
CSV_HEADER = ("email", "name", "roles", "active", "external_id", "department", "manager")


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; empty values filter nothing."""

    text: str = ""  # part of a name or email
    role: str = ""
    department: str = ""
    status: str = ""  # 'active', 'inactive' or '' for both


@dataclass
class UserRow:
    """One user with their roles and learner profile (if any) and their manager's name."""

    user: User
    learner: Learner | None
    roles: list[str] = field(default_factory=list)
    manager: str = ""  # the manager's name
    manager_key: str = ""  # and their external id

    def cells(self) -> tuple[object, ...]:
        """The row as CSV_HEADER orders it."""
        lr = self.learner
        return (
            self.user.email,
            self.user.name,
            " ".join(self.roles),
            "yes" if self.user.active else "no",
            lr.external_id if lr else "",
            lr.department if lr else "",
            self.manager,
        )


@dataclass(frozen=True)
class Page:
    """One page of the list and where it sits among the others."""

    rows: list[UserRow]
    number: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages the filtered list has (at least one)."""
        return max(1, -(-self.total // PAGE_SIZE))


def _query(filters: Filters) -> Any:
    query = select(User, Learner).outerjoin(Learner, col(Learner.id) == User.learner_id)
    if filters.text.strip():
        like = f"%{filters.text.strip().lower()}%"
        query = query.where(
            or_(func.lower(User.name).like(like), func.lower(User.email).like(like))
        )
    if filters.role:
        holders = select(UserRole.user_id).where(UserRole.role == filters.role)
        query = query.where(col(User.id).in_(holders))
    if filters.department:
        query = query.where(Learner.department == filters.department)
    if filters.status in ("active", "inactive"):
        query = query.where(col(User.active).is_(filters.status == "active"))
    return query


def list_users(session: Session, filters: Filters, number: int = 1) -> Page:
    """One page of users matching the filters, by name; a page past the end shows the last."""
    query = _query(filters)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    number = min(max(1, number), max(1, -(-total // PAGE_SIZE)))
    found = session.exec(
        query.order_by(func.lower(User.name), col(User.id))
        .offset((number - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return Page(_rows(session, list(found)), number, total)


def export_rows(session: Session, filters: Filters) -> Iterator[tuple[object, ...]]:
    """Every user matching the filters as CSV cells, by name."""
    found = session.exec(_query(filters).order_by(func.lower(User.name), col(User.id))).all()
    for row in _rows(session, list(found)):
        yield row.cells()


def _rows(session: Session, found: list[tuple[User, Learner | None]]) -> list[UserRow]:
    """Rows with their roles and managers' names, loaded in two queries."""
    ids = [pk(u) for u, _ in found]
    roles: dict[int, list[str]] = {}
    for user_id, role in session.exec(
        select(UserRole.user_id, UserRole.role)
        .where(col(UserRole.user_id).in_(ids))
        .order_by(col(UserRole.role))
    ).all():
        roles.setdefault(user_id, []).append(role)
    manager_ids = {lr.manager_id for _, lr in found if lr is not None and lr.manager_id}
    managers = {
        id_: (name, key)
        for id_, name, key in session.exec(
            select(Learner.id, Learner.name, Learner.external_id).where(
                col(Learner.id).in_(manager_ids)
            )
        ).all()
    }
    rows = []
    for user, learner in found:
        name, key = managers.get(learner.manager_id or 0, ("", "")) if learner else ("", "")
        rows.append(UserRow(user, learner, roles.get(pk(user), []), name, key))
    return rows


def user_row(session: Session, user_id: int) -> UserRow | None:
    """One user as the list shows them, or None."""
    user = session.get(User, user_id)
    if user is None:
        return None
    learner = session.get(Learner, user.learner_id) if user.learner_id else None
    return _rows(session, [(user, learner)])[0]
