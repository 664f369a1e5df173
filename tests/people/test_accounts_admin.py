"""People admin service: roles, HR fields, activity, and the last active admin kept."""

import threading

import pytest
from sqlmodel import Session, select

from learnpath.models import Department, Learner, User, UserRole
from learnpath.models.base import pk
from learnpath.services.accounts import admin
from learnpath.services.accounts.admin import Profile
from learnpath.services.accounts.users import AccountError, roles_of
from tests import factories
from tests.conftest import PG_URL


def _admin(db: Session, name: str) -> User:
    return factories.user(db, email=f"{name}@example.com", roles=["admin"])


def test_a_new_learner_gets_a_profile_with_department_and_manager(db: Session) -> None:
    boss = factories.learner(db, "BOSS")
    db.add(Department(name="Sales"))
    profile = Profile("Nia", ["learner"], department="Sales", manager="BOSS", external_id="E77")
    user = admin.create_account(db, "Nia@Example.com", profile)
    learner = db.get(Learner, user.learner_id)
    assert learner is not None
    assert (learner.external_id, learner.department, learner.manager_id) == (
        "E77",
        "Sales",
        pk(boss),
    )
    assert user.email == "nia@example.com" and roles_of(db, pk(user)) == {"learner"}


def test_an_author_gets_no_learner_profile(db: Session) -> None:
    user = admin.create_account(db, "ana@example.com", Profile("Ana", ["author"]), "long password!")
    assert user.learner_id is None and roles_of(db, pk(user)) == {"author"}


def test_an_unknown_department_is_refused_beside_its_field(db: Session) -> None:
    with pytest.raises(AccountError, match=r"^department: no department is called 'Nowhere'"):
        admin.create_account(db, "x@example.com", Profile("X", ["learner"], department="Nowhere"))


@pytest.mark.parametrize(
    ("manager", "message"),
    [("NOBODY", "^manager: no learner has"), ("SELF", "^manager: .* would loop")],
)
def test_a_manager_must_exist_and_not_loop(db: Session, manager: str, message: str) -> None:
    user = factories.user(db, email="self@example.com")
    report = factories.learner(db, "REPORT", manager_id=user.learner_id)
    assert report.manager_id == user.learner_id
    profile = Profile("Self", ["learner"], manager="REPORT" if manager == "SELF" else manager)
    with pytest.raises(AccountError, match=message):
        admin.update_user(db, user, profile)


def test_an_external_id_of_someone_else_is_refused(db: Session) -> None:
    factories.learner(db, "TAKEN")
    user = factories.user(db, email="lee@example.com")
    with pytest.raises(AccountError, match=r"^external_id: 'TAKEN' is the HR id of"):
        admin.update_user(db, user, Profile("Lee", ["learner"], external_id="TAKEN"))


def test_update_changes_roles_name_and_profile_and_stamps_the_learner(db: Session) -> None:
    db.add(Department(name="Ops"))
    user = factories.user(db, email="kim@example.com")
    db.commit()
    learner = db.get(Learner, user.learner_id)
    assert learner is not None
    stamp = learner.updated_at
    admin.update_user(db, user, Profile("Kim Lee", ["learner", "facilitator"], department="Ops"))
    db.commit()
    db.refresh(learner)
    assert roles_of(db, pk(user)) == {"learner", "facilitator"}
    assert (user.name, learner.name, learner.department) == ("Kim Lee", "Kim Lee", "Ops")
    assert learner.updated_at >= stamp


def test_deactivate_and_reactivate(db: Session) -> None:
    actor, user = _admin(db, "root"), factories.user(db, email="pat@example.com")
    admin.set_active(db, user, False, actor)
    assert db.get(User, user.id).active is False  # type: ignore[union-attr]
    admin.set_active(db, user, True, actor)
    assert db.get(User, user.id).active is True  # type: ignore[union-attr]


def test_an_admin_cannot_deactivate_themselves(db: Session) -> None:
    actor = _admin(db, "root")
    _admin(db, "other")
    with pytest.raises(AccountError, match=r"^active: you cannot deactivate your own account"):
        admin.set_active(db, actor, False, actor)


def test_the_last_active_admin_can_be_neither_deactivated_nor_demoted(db: Session) -> None:
    only, other = _admin(db, "only"), _admin(db, "other")
    admin.set_active(db, other, False, only)  # other admins left: allowed
    with pytest.raises(AccountError, match=r"^roles: Only is the last active admin"):
        admin.set_roles(db, only, ["author"])
    with pytest.raises(AccountError, match=r"^active: Only is the last active admin"):
        admin.set_active(db, only, False, other)  # as if by a stale session
    assert roles_of(db, pk(only)) == {"admin"}


def test_a_deactivated_admin_is_no_admin_to_fall_back_on(db: Session) -> None:
    a, b = _admin(db, "a"), _admin(db, "b")
    b.active = False
    db.add(b)
    with pytest.raises(AccountError, match="last active admin"):
        admin.set_roles(db, a, ["learner"])
    admin.set_roles(db, b, ["learner"])  # an inactive admin may lose the role
    assert "admin" not in roles_of(db, pk(b))


def test_two_admins_demoting_each_other_one_after_the_other(db: Session) -> None:
    """The second save is checked against what the first one did, not what its page showed."""
    a, b = _admin(db, "a"), _admin(db, "b")
    db.commit()
    admin.set_roles(db, b, ["author"])
    db.commit()
    with pytest.raises(AccountError, match="last active admin"):
        admin.set_roles(db, a, ["author"])
    db.rollback()
    assert roles_of(db, pk(a)) == {"admin"}


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="row locks need PostgreSQL (SQLite has one writer)")
def test_two_admins_demoting_each_other_at_once_leave_one_admin(db: Session) -> None:
    """The first demotion holds the admins' rows; the second waits, re-reads and is refused."""
    a, b = _admin(db, "a"), _admin(db, "b")
    db.commit()
    engine = db.get_bind()
    outcome: list[str] = []

    def second() -> None:
        with Session(engine) as other:
            try:
                admin.set_roles(other, other.get(User, a.id), ["author"])  # type: ignore[arg-type]
                other.commit()
                outcome.append("demoted")
            except AccountError as error:
                outcome.append(str(error))

    thread = threading.Thread(target=second)
    with Session(engine) as first:
        admin.set_roles(first, first.get(User, b.id), ["author"])  # type: ignore[arg-type]
        thread.start()
        thread.join(timeout=1)
        waited = thread.is_alive()
        first.commit()
    thread.join(timeout=30)
    assert waited, "the second demotion waits for the first one's locks"
    assert outcome and "last active admin" in outcome[0]
    admins = db.exec(select(UserRole.user_id).where(UserRole.role == "admin")).all()
    assert admins == [a.id]
