"""The audit log in the studio: writes recorded with their transaction, the page, CSV export."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, func, select

from learnpath.models import AuditEntry, Competency
from learnpath.services.catalog import competency_edits
from learnpath.services.catalog.authoring import Invalid
from tests import factories

NEW_COMPETENCY = {"slug": "audited", "name": "Audited", "description": "", "requires": []}


def entries(db: Session) -> list[AuditEntry]:
    db.expire_all()
    return list(db.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all())


def test_a_studio_save_is_recorded_under_the_user(client: FlaskClient, db: Session, login) -> None:  # type: ignore[no-untyped-def]
    author = login("author")
    response = client.post("/studio/competencies/new", data=NEW_COMPETENCY)
    assert response.status_code == 302
    entry, *later = [e for e in entries(db) if e.entity == "competency"]  # a flush each step
    saved = db.exec(select(Competency).where(Competency.slug == "audited")).one()
    assert (entry.actor_id, entry.actor) == (author.id, author.name)
    assert (entry.action, entry.entity_id) == ("insert", str(saved.id))
    assert entry.origin == "POST /studio/competencies/new"
    assert entry.changes["name"] == "Audited"
    assert all(e.actor_id == author.id and e.action == "update" for e in later)


def test_a_failing_save_leaves_neither_the_change_nor_its_audit_entry(
    client: FlaskClient, db: Session, login, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    real = competency_edits.save_competency
    seen: list[int] = []

    def save_then_fail(session: Session, *args: Any, **kwargs: Any) -> Competency:
        real(session, *args, **kwargs)
        session.flush()  # the row and its audit entry are written in the transaction...
        seen.append(session.exec(select(func.count()).select_from(AuditEntry)).one())
        raise Invalid.one("name", "refused after writing")  # ...which then rolls back

    monkeypatch.setattr(competency_edits, "save_competency", save_then_fail)
    response = client.post("/studio/competencies/new", data=NEW_COMPETENCY)
    assert response.status_code == 200 and "refused after writing" in response.text
    assert seen and seen[0] > 0
    assert entries(db) == []
    assert db.exec(select(Competency).where(Competency.slug == "audited")).first() is None


def test_reading_pages_records_nothing(client: FlaskClient, db: Session, login) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    assert client.get("/studio/").status_code == 200
    assert client.get("/studio/audit").status_code == 200
    assert entries(db) == []


START = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _log(db: Session, n: int, **fields: Any) -> None:
    """n entries, one a day from START, as the recorder writes them."""
    values = {"actor_id": 1, "actor": "Ana", "action": "update", "entity": "program", **fields}
    for i in range(n):
        db.add(AuditEntry(at=START + timedelta(days=i), entity_id=str(i), **values))
    db.commit()


def _rows(client: FlaskClient, query: str) -> list[str]:
    text = client.get(f"/studio/audit.csv?{query}").get_data(as_text=True)
    return [",".join(r) for r in csv.reader(io.StringIO(text))][1:]


def test_filters_by_person_entity_row_and_days(client: FlaskClient, db: Session, login) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    _log(db, 3)
    _log(db, 2, actor_id=2, actor="Ben", entity="module")
    page = client.get("/studio/audit")
    assert page.status_code == 200 and page.text.count("<tr>") == 1 + 5
    assert '<option value="2">Ben</option>' in page.text
    assert len(_rows(client, "person=2")) == 2
    assert len(_rows(client, "entity=program")) == 3
    assert len(_rows(client, "entity=program&entity_id=1")) == 1
    assert len(_rows(client, "since=2026-03-02&until=2026-03-02")) == 2  # one of each
    assert len(_rows(client, "since=2026-03-03")) == 1


def test_a_range_that_ends_before_it_starts_is_said_beside_the_field(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    _log(db, 1)
    page = client.get("/studio/audit?since=2026-03-05&until=2026-03-01")
    assert page.status_code == 200
    assert 'id="until-error"' in page.text and "must end on or after" in page.text
    assert 'value="2026-03-05"' in page.text  # the form keeps what was typed


def test_pages_of_fifty_newest_first(client: FlaskClient, db: Session, login) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    _log(db, 120)
    first = client.get("/studio/audit").text
    assert "page 1 of 3" in first and "2026-06-28" in first and "2026-03-01 " not in first
    last = client.get("/studio/audit?page=3").text
    assert last.count("<tr>") == 1 + 20 and "2026-03-01 " in last
    assert "page 3 of 3" in client.get("/studio/audit?page=99").text


def test_the_csv_export_neutralises_formula_cells(client: FlaskClient, db: Session, login) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    names = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]
    for name in names:
        _log(db, 1, actor=name, origin=name)
    response = client.get("/studio/audit.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["actor"] for r in rows] == ["'" + n for n in names]
    assert [r["origin"] for r in rows] == ["'" + n for n in names]
    assert rows[0]["at"] == "2026-03-01T12:00:00Z" and rows[0]["entity"] == "program"


def test_the_streamed_export_returns_its_connection(
    app: Flask, client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    _log(db, 3)
    response = client.get("/studio/audit.csv")
    assert len(response.get_data(as_text=True).splitlines()) == 4
    response.close()
    assert app.extensions["learnpath.engine"].pool.checkedout() == 0


def test_people_admin_is_audited_without_calling_anything(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    admin = login("admin", email="root@example.com")
    user = factories.user(db, email="quinn@example.com")
    db.commit()
    assert client.post(f"/studio/people/users/{user.id}/deactivate").status_code == 302
    (entry,) = [e for e in entries(db) if e.entity == "user" and e.action == "update"]
    assert (entry.actor_id, entry.entity_id) == (admin.id, str(user.id))
    assert entry.changes["active"] == [True, False]
    assert entry.origin == f"POST /studio/people/users/{user.id}/deactivate"
