"""Learners for the API: upsert by external id, pages for sync, a learner's progress."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from learnpath.models import Competency, Enrollment, Learner, User
from learnpath.models.base import pk
from learnpath.services.accounts import logins
from learnpath.services.integration import records
from learnpath.services.integration import schemas as out
from learnpath.services.integration.ids import public_id
from learnpath.services.integration.loaders import levels_of
from learnpath.services.integration.sync import Window, page_of
from learnpath.services.learning import events, trajectory
from learnpath.vocabulary import aware, utcnow

PROFILE = ("email", "name", "role", "department", "locale", "interests", "active")


def by_external_id(session: Session, external_id: str) -> Learner | None:
    """The learner the HR system knows by this id."""
    return session.exec(select(Learner).where(Learner.external_id == external_id)).first()


def external_id_by_email(session: Session, email: str) -> str | None:
    """The HR id of the learner with this e-mail address (stored lower-case), if any."""
    found = session.exec(select(Learner.external_id).where(Learner.email == email.lower()))
    return found.first()


def upsert(session: Session, external_id: str, data: out.LearnerIn) -> tuple[Learner, bool]:
    """Create or update a learner; returns it and whether it is new.

    Deactivating keeps every record and also disables the learner's login, if any;
    reactivating enables it again. A changed profile changes the learner's enrollment records
    and re-plans their trajectories (role, department and interests are plan inputs).
    """
    learner = by_external_id(session, external_id)
    manager_id = _manager_id(session, external_id, learner, data.manager_external_id)
    values = {name: getattr(data, name) for name in PROFILE} | {"manager_id": manager_id}
    values["pending_manager_external_id"] = data.manager_external_id if manager_id is None else None
    values["email"] = data.email.lower()
    if learner is None:
        _refuse_pending_loop(session, external_id, manager_id)
        new = _create(session, external_id, values)
        if new is not None:
            _resolve_pending(session, new)
            return new, True
        learner = by_external_id(session, external_id)  # created meanwhile by another request
        assert learner is not None
    if all(getattr(learner, k) == v for k, v in values.items()):
        return learner, False
    was_active = learner.active
    for name, value in values.items():
        setattr(learner, name, value)
    session.add(learner)
    session.flush()
    if was_active != learner.active:
        _set_login(session, pk(learner), learner.active)
    events.touch_learner_enrollments(session, pk(learner), learner.updated_at)
    trajectory.replan_learner(session, pk(learner))  # role, department, interests: plan inputs
    session.flush()
    session.refresh(learner)  # the database stamps updated_at
    return learner, False


def _create(session: Session, external_id: str, values: dict[str, object]) -> Learner | None:
    """A new learner, or None if another request created one with this id at the same moment."""
    learner = Learner(external_id=external_id, **values)  # type: ignore[arg-type]
    try:
        with session.begin_nested():
            session.add(learner)
    except IntegrityError:
        return None
    session.refresh(learner)  # the database stamps updated_at
    return learner


def _manager_id(
    session: Session, external_id: str, learner: Learner | None, manager: str | None
) -> int | None:
    """The manager's row id; None when there is none or they have not arrived yet (pending)."""
    if manager is None:
        return None
    if manager == external_id:
        raise out.InputError("manager_external_id", "a learner cannot be their own manager", 409)
    found = by_external_id(session, manager)
    if found is None:
        return None  # kept as pending_manager_external_id until that learner arrives
    if learner is not None and pk(learner) in chain_above(session, pk(found)):
        message = f"{manager!r} reports to {external_id!r}, so the chain would loop"
        raise out.InputError("manager_external_id", message, 409)
    return pk(found)


def _waiting_for(session: Session, external_id: str) -> Sequence[Learner]:
    """The learners whose pending manager is `external_id`."""
    return session.exec(
        select(Learner).where(Learner.pending_manager_external_id == external_id)
    ).all()


def _refuse_pending_loop(session: Session, external_id: str, manager_id: int | None) -> None:
    """409 if a learner waiting for this new one as manager is above them (before any write)."""
    above = chain_above(session, manager_id) if manager_id is not None else set()
    for learner in _waiting_for(session, external_id):
        if pk(learner) in above:
            message = f"{learner.external_id!r} is waiting for {external_id!r} as manager"
            raise out.InputError("manager_external_id", f"{message}, so the chain would loop", 409)


def _resolve_pending(session: Session, arrived: Learner) -> None:
    """Learners waiting for `arrived` as their manager get them."""
    waiting = _waiting_for(session, arrived.external_id)
    for learner in waiting:
        learner.manager_id, learner.pending_manager_external_id = pk(arrived), None
        session.add(learner)
    if waiting:
        session.flush()


def chain_above(session: Session, learner_id: int) -> set[int]:
    """The learner and everyone above them in the reporting chain (stops at a loop)."""
    seen: set[int] = set()
    current: int | None = learner_id
    while current is not None and current not in seen:
        seen.add(current)
        current = session.exec(select(Learner.manager_id).where(Learner.id == current)).first()
    return seen


def _set_login(session: Session, learner_id: int, active: bool) -> None:
    for user in session.exec(select(User).where(User.learner_id == learner_id)).all():
        user.active = active
        session.add(user)
        if not active:  # their sessions and remembered logins end now, and stay ended
            logins.end_all(session, user, utcnow())


def page(session: Session, window: Window) -> tuple[list[out.LearnerOut], str | None]:
    """Learners changed in the window, in (updated_at, id) order, and the next cursor."""
    query = window.apply(select(Learner), col(Learner.updated_at), col(Learner.id))
    rows, cursor = page_of(list(session.exec(query).all()), window, _position)
    return views(session, rows), cursor


def _position(learner: Learner) -> tuple[object, int]:
    return aware(learner.updated_at), pk(learner)


def views(session: Session, learners: Sequence[Learner]) -> list[out.LearnerOut]:
    """The API view of learners (their managers' external ids looked up at once)."""
    manager_ids = {lr.manager_id for lr in learners if lr.manager_id is not None}
    managers = dict(
        session.exec(
            select(Learner.id, Learner.external_id).where(col(Learner.id).in_(manager_ids))
        ).all()
    )
    return [
        out.LearnerOut(
            external_id=lr.external_id,
            email=lr.email,
            name=lr.name,
            role=lr.role,
            department=lr.department,
            manager_external_id=(
                managers.get(lr.manager_id) if lr.manager_id else lr.pending_manager_external_id
            ),
            manager_pending=lr.manager_id is None and lr.pending_manager_external_id is not None,
            locale=lr.locale,
            interests=list(lr.interests),
            active=lr.active,
            created_at=aware(lr.created_at),
            updated_at=aware(lr.updated_at),
        )
        for lr in learners
    ]


def progress(session: Session, learner: Learner, profile: bool = False) -> out.ProgressOut:
    """A learner's enrollment records and current levels; their whole profile if `profile`.

    The progress scope (enrollments:read) names the learner as enrollment records do; the
    profile (name, department, role, manager, interests) is for learners:read to see.
    """
    rows = session.exec(
        records.rows().where(Enrollment.learner_id == learner.id).order_by(col(Enrollment.id))
    ).all()
    names = {pk(c): c.name for c in session.exec(select(Competency)).all()}
    levels = [
        out.LevelOut(
            id=public_id("competency", lv.competency_id),
            name=names[lv.competency_id],
            level=lv.level,
            theta=lv.theta,
            se=lv.se,
            updated_at=aware(lv.updated_at),
        )
        for lv in levels_of(session, [pk(learner)]).get(pk(learner), [])
    ]
    return out.ProgressOut(
        learner=views(session, [learner])[0]
        if profile
        else out.LearnerRef(external_id=learner.external_id, email=learner.email),
        enrollments=[out.EnrollmentRecord.model_validate(r) for r in records.build(session, rows)],
        levels=levels,
    )
