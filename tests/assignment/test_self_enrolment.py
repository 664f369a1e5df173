"""Self-enrolment: who a version is open to, the catalog's Enrol button, the placement after it."""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Enrollment, Learner, Program, User
from learnpath.services.learning import audience
from tests import factories
from tests.api.conftest import program

BASE = "/programs/data-literacy-essentials/v1"


@pytest.mark.parametrize(
    ("kind", "name", "department", "role", "expected"),
    [
        ("", "", "Finance", "analyst", False),
        ("everyone", "", "Finance", "analyst", True),
        ("department", "Finance", " finance ", "analyst", True),
        ("department", "Finance", "Sales", "analyst", False),
        ("role", "Analyst", "Sales", "analyst", True),
        ("role", "Analyst", "Sales", "", False),
    ],
)
def test_who_a_version_is_open_to(
    catalog: Session, kind: str, name: str, department: str, role: str, expected: bool
) -> None:
    chosen = program(catalog)
    audience.set_self_enrol(chosen, kind, name, "Ana")
    learner = factories.learner(catalog, department=department, role=role)
    assert audience.open_to(chosen, learner) is expected
    learner.active = False
    assert audience.open_to(chosen, learner) is False


def test_setting_refuses_a_missing_name_an_unknown_audience_and_a_retired_version(
    catalog: Session,
) -> None:
    chosen = program(catalog)
    for kind, name, field in (("role", " ", "name"), ("team", "", "audience")):
        with pytest.raises(audience.AudienceError) as refused:
            audience.set_self_enrol(chosen, kind, name, "Ana")
        assert refused.value.field == field
    chosen.status = "retired"
    with pytest.raises(audience.AudienceError):
        audience.set_self_enrol(chosen, "everyone", "", "Ana")
    assert chosen.self_enrol == ""


def _open(db: Session, kind: str = "department", name: str = "Finance") -> None:
    chosen = program(db)
    audience.set_self_enrol(chosen, kind, name, "Ana")
    db.add(chosen)
    db.commit()


def _learner(db: Session, department: str) -> Learner:
    user = db.exec(select(User).where(User.email == "pat@example.com")).one()
    learner = db.get(Learner, user.learner_id)
    assert learner is not None
    learner.department = department
    db.add(learner)
    db.commit()
    return learner


def test_a_learner_enrols_from_the_catalog_and_is_offered_the_placement(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    _open(catalog)
    login("learner")
    _learner(catalog, "Finance")
    page = client.get("/programs").get_data(as_text=True)
    assert f'action="{BASE}/enrol"' in page
    response = client.post(f"{BASE}/enrol")
    rows = catalog.exec(select(Enrollment)).all()
    assert len(rows) == 1 and rows[0].source == "self" and rows[0].status == "assigned"
    assert response.status_code == 302 and response.location.endswith(f"/path/{rows[0].id}")
    path = client.get(response.location).get_data(as_text=True)
    assert "Take the placement test" in path
    client.post(f"{BASE}/enrol")  # twice: still one
    assert len(catalog.exec(select(Enrollment)).all()) == 1
    assert "You are enrolled in this program" in client.get(BASE).get_data(as_text=True)


def test_a_learner_outside_the_audience_gets_no_button_and_404(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    _open(catalog)
    login("learner")
    _learner(catalog, "Sales")
    assert "/enrol" not in client.get("/programs").get_data(as_text=True)
    assert "/enrol" not in client.get(BASE).get_data(as_text=True)  # boxed: anyone reads it
    before = factories.snapshot(catalog)
    assert client.post(f"{BASE}/enrol").status_code == 404
    assert client.post("/programs/no-such-program/v1/enrol").status_code == 404
    assert factories.snapshot(catalog) == before


def test_a_program_opened_to_a_role_becomes_visible_to_it(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    learner = _learner(catalog, "Sales")
    learner.role = "controller"
    catalog.add(learner)
    finance = catalog.exec(select(Program).where(Program.slug == "secure-finance-operations")).one()
    assert client.get("/programs/secure-finance-operations/v1").status_code == 404
    audience.set_self_enrol(finance, "role", "Controller", "Ana")
    catalog.add(finance)
    catalog.commit()
    assert client.get("/programs/secure-finance-operations/v1").status_code == 200
    assert client.post("/programs/secure-finance-operations/v1/enrol").status_code == 302


def test_the_enrol_button_keeps_csrf_on(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    _open(catalog, "everyone", "")
    login("learner")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"{BASE}/enrol").status_code == 400
    assert catalog.exec(select(Enrollment)).all() == []
    page = client.get("/programs").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    assert client.post(f"{BASE}/enrol", data={"csrf_token": token}).status_code == 302
    assert len(catalog.exec(select(Enrollment)).all()) == 1
