"""Writes made in a session with an actor are recorded in its transaction; others are not."""

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from learnpath.models import AuditEntry, Learner, User
from learnpath.services.audit import Actor, AuditImmutable, set_actor
from learnpath.services.audit.values import REDACTED
from tests import factories

ANA = Actor(7, "Ana", "POST /studio/somewhere")


def entries(db: Session) -> list[AuditEntry]:
    db.expire_all()
    return list(db.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all())


def test_insert_update_delete_are_recorded_with_who_what_and_changes(db: Session) -> None:
    set_actor(db, ANA)
    row = factories.learner(db, "E9", department="Sales")
    db.commit()
    row.department = "Finance"
    row.name = row.name  # set to the same value: not a change
    db.commit()
    db.delete(row)
    db.commit()

    insert, change, removal = entries(db)
    assert (insert.action, insert.entity, insert.entity_id) == ("insert", "learner", str(row.id))
    assert insert.changes["department"] == "Sales" and insert.changes["external_id"] == "E9"
    assert (insert.actor_id, insert.actor, insert.origin) == (7, "Ana", "POST /studio/somewhere")
    assert change.action == "update"
    assert change.changes == {"department": ["Sales", "Finance"]}
    assert removal.action == "delete" and removal.changes["department"] == "Finance"


def test_a_session_without_an_actor_records_nothing(db: Session) -> None:
    factories.learner(db, "E10")
    db.commit()
    assert entries(db) == []


def test_a_rolled_back_write_leaves_no_audit_entry(db: Session) -> None:
    set_actor(db, ANA)
    factories.learner(db, "E11")  # flushed: its audit entry is written too
    db.rollback()
    assert entries(db) == []
    assert db.exec(select(Learner)).all() == []


def test_password_hashes_are_redacted(db: Session) -> None:
    set_actor(db, ANA)
    user = factories.user(db, email="red@example.com", roles=["author"])
    db.commit()
    user.password_hash = "new-hash"
    db.commit()
    recorded = {(e.entity, e.action): e.changes for e in entries(db)}
    assert recorded[("user", "insert")]["password_hash"] == REDACTED
    assert recorded[("user", "update")] == {"password_hash": [REDACTED, REDACTED]}
    assert recorded[("userrole", "insert")] == {"user_id": user.id, "role": "author"}


def test_long_values_are_shortened(db: Session) -> None:
    set_actor(db, ANA)
    factories.learner(db, "E12", interests=["x" * 500])
    db.commit()
    (entry,) = entries(db)
    assert entry.changes["interests"].startswith('["xxx')
    assert len(entry.changes["interests"]) == 200 and entry.changes["interests"].endswith("…")


def test_a_bulk_statement_is_recorded_as_one_entry(db: Session) -> None:
    factories.learner(db, "E13", department="Sales")
    factories.learner(db, "E14", department="Sales")
    db.commit()
    set_actor(db, ANA)
    db.execute(update(Learner).where(col(Learner.department) == "Sales").values(department="Ops"))
    db.commit()
    (entry,) = entries(db)
    assert (entry.action, entry.entity, entry.entity_id) == ("bulk update", "learner", "")
    assert "Ops" in entry.changes["params"].values()
    assert "Sales" in entry.changes["params"].values()


def _one_entry(db: Session) -> AuditEntry:
    set_actor(db, ANA)
    factories.learner(db, "E15")
    db.commit()
    return entries(db)[0]


def test_the_application_cannot_update_or_delete_an_audit_entry(db: Session) -> None:
    entry = _one_entry(db)
    entry.actor = "Mallory"
    with pytest.raises(AuditImmutable):
        db.commit()
    db.rollback()
    db.delete(db.get(AuditEntry, entry.id))
    with pytest.raises(AuditImmutable):
        db.commit()
    db.rollback()
    with pytest.raises(AuditImmutable):
        db.execute(update(AuditEntry).values(actor="Mallory"))
    with pytest.raises(AuditImmutable):
        db.execute(delete(AuditEntry))
    db.rollback()
    assert [(e.id, e.actor) for e in entries(db)] == [(entry.id, "Ana")]


@pytest.mark.parametrize(
    "sql", ["UPDATE auditentry SET actor = 'Mallory'", "DELETE FROM auditentry"]
)
def test_the_database_refuses_sql_that_rewrites_the_log(db: Session, sql: str) -> None:
    entry = _one_entry(db)
    with pytest.raises(DBAPIError, match="never updated or deleted"):
        db.execute(text(sql))
    db.rollback()
    assert [(e.id, e.actor) for e in entries(db)] == [(entry.id, "Ana")]


def test_users_are_not_recorded_by_factories_without_an_actor(db: Session) -> None:
    factories.user(db, email="quiet@example.com")
    db.commit()
    assert db.exec(select(User)).one() and entries(db) == []
