"""Audiences: every learner route × {in the audience, enrolled, outside} (issues 14 and 16).

The program is Finance's deep program, made for the Finance department and opened here to
self-enrolment for Finance. "In the audience" is a Finance learner who is not enrolled;
"enrolled" a Sales learner assigned to it; "outside" a Sales learner whose enrollment was
withdrawn. Outside, every route that shows the program or its modules answers 404 (as for a
program that does not exist) and changes nothing, and no list names it. A learner route that
this file does not classify fails the first test: new routes get a row on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from learnpath.models import Enrollment, Learner, Module, Program, ProgramModule, User
from learnpath.models.base import pk
from learnpath.services.learning import audience, enrolment
from tests import factories
from tests.test_ownership_matrix import DROPPED

SLUG, TITLE = "secure-finance-operations", "Secure Finance Operations"
BASE = f"/programs/{SLUG}/v1"
# Routes that name the program version: status per identity (GET pages, the Enrol POST).
ON_PROGRAM = {
    "learner.show_program": ("GET", {"in": 200, "enrolled": 200, "outside": 404}),
    "learner.self_enrol": ("POST", {"in": 302, "enrolled": 404, "outside": 404}),
}
# Routes that name an enrollment: the enrolled learner's own, the outside learner's withdrawn
# one (the learner in the audience has none). POST form data that would change something.
ON_ENROLLMENT = {
    "learner.show_path": ("GET", "", {}),
    "learner.adjust_path": ("POST", "/adjust", {"kind": "drop", "module": "{module}"}),
    "learner.add_elective": ("POST", "/electives", {"module": DROPPED}),
    "learner.change_pace": ("POST", "/pace", {"pace": "300"}),
    "learner.undo_change": ("POST", "/changes/999999/undo", {}),
    "learner.show_module": ("GET", "/modules/{module}", {}),
    "learner.start_module": ("POST", "/modules/{module}/start", {}),
    "learner.complete_module": ("POST", "/modules/{module}/complete", {"minutes": "20"}),
    "learner.module_video": ("GET", "/modules/{module}/video", {}),
    "learner.module_captions": ("GET", "/modules/{module}/captions", {}),
}
# The program's first module gets a video file here, so that its media routes serve something.
VIDEO = "media/sec-phishing-video.webm media/sec-phishing-video.vtt"
# Lists: whether each identity finds the program named on the page.
LISTS = {
    "learner.list_programs": ("/programs", {"in": True, "enrolled": True, "outside": False}),
    "learner.list_paths": ("/path", {"in": False, "enrolled": True, "outside": False}),
    "learner.list_quizzes": ("/quizzes", {"in": False, "enrolled": True, "outside": False}),
}
# The placement POST names an enrollment in its form.
ON_FORM = {"learner.start_quiz"}
NOT_ABOUT_A_PROGRAM = {
    "learner.home": "a redirect to My learning or the catalog",
    "learner.edit_profile": "the learner's own settings",
    "learner.take_quiz": "an attempt, owned (tests/test_ownership_matrix.py)",
    "learner.answer_quiz": "an attempt, owned",
    "learner.resume_quiz": "an attempt, owned",
    "learner.show_results": "an attempt's results, owned",
    "learner.show_review": "an attempt's answers with the right ones, owned",
    "learner.show_team": "a manager's direct reports and their enrollments (My team's tests)",
    "learner.show_report": "one direct report, for their manager (My team's tests)",
}


@dataclass
class Identity:
    client: FlaskClient
    learner: Learner
    enrollment: Enrollment | None = None


def _sign_in(app: Flask, db: Session, email: str, department: str) -> Identity:
    factories.user(db, email=email)
    user = db.exec(select(User).where(User.email == email)).one()
    learner = db.get(Learner, user.learner_id)
    assert learner is not None
    learner.department = department
    db.add(learner)
    db.commit()
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return Identity(client, learner)


@pytest.fixture
def world(app: Flask, catalog: Session) -> dict[str, Identity]:
    program = catalog.exec(select(Program).where(Program.slug == SLUG)).one()
    audience.set_self_enrol(program, "department", "Finance", "Ana")
    catalog.add(program)
    first = catalog.exec(select(Module).where(Module.slug == _module(catalog))).one()
    first.video_url = VIDEO
    catalog.add(first)
    who = {
        "in": _sign_in(app, catalog, "fin@example.com", "Finance"),
        "enrolled": _sign_in(app, catalog, "sal@example.com", "Sales"),
        "outside": _sign_in(app, catalog, "out@example.com", "Sales"),
    }
    for name in ("enrolled", "outside"):
        who[name].enrollment, _ = enrolment.enrol(catalog, who[name].learner, program, "admin")
    assert who["outside"].enrollment is not None
    enrolment.withdraw(catalog, who["outside"].enrollment)
    catalog.commit()
    return who


def _module(db: Session) -> str:
    """The program's first module."""
    program = db.exec(select(Program).where(Program.slug == SLUG)).one()
    return (
        db.exec(
            select(Module.slug)
            .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
            .where(ProgramModule.program_id == pk(program))
            .order_by(col(ProgramModule.position))
        ).first()
        or ""
    )


def test_every_learner_route_is_classified(app: Flask) -> None:
    served = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("learner.")}
    classified = {*ON_PROGRAM, *ON_ENROLLMENT, *LISTS, *ON_FORM, *NOT_ABOUT_A_PROGRAM}
    assert served == classified


def test_routes_naming_the_program(catalog: Session, world: dict[str, Identity]) -> None:
    for endpoint, (method, statuses) in ON_PROGRAM.items():
        url = BASE if method == "GET" else f"{BASE}/enrol"
        for name, expected in statuses.items():
            before = factories.snapshot(catalog)
            status = world[name].client.open(url, method=method).status_code
            assert status == expected, f"{name}: {endpoint} answered {status}"
            if expected == 404:
                assert factories.snapshot(catalog) == before, f"{name}: {endpoint} wrote"


def test_routes_naming_an_enrollment(catalog: Session, world: dict[str, Identity]) -> None:
    module = _module(catalog)
    for name in ("outside", "enrolled"):
        enrollment = world[name].enrollment
        assert enrollment is not None
        for endpoint, (method, tail, form) in ON_ENROLLMENT.items():
            url = f"/path/{enrollment.id}{tail}".replace("{module}", module)
            data = {k: v.replace("{module}", module) for k, v in form.items()}
            before = factories.snapshot(catalog)
            status = world[name].client.open(url, method=method, data=data).status_code
            if name == "outside":
                assert status == 404, f"outside: {endpoint} answered {status}"
                assert factories.snapshot(catalog) == before, f"outside: {endpoint} wrote"
            elif method == "GET":
                assert status == 200, f"enrolled: {endpoint} answered {status}"
            else:
                assert status in (302, 404), f"enrolled: {endpoint} answered {status}"


def test_a_placement_for_a_withdrawn_enrollment_is_not_found(
    catalog: Session, world: dict[str, Identity]
) -> None:
    for name, expected in (("outside", 404), ("enrolled", 302)):
        enrollment = world[name].enrollment
        assert enrollment is not None
        form = {"kind": "placement", "enrollment": str(enrollment.id)}
        assert world[name].client.post("/quizzes", data=form).status_code == expected, name


def test_lists_name_the_program_only_to_whom_it_is_visible(world: dict[str, Identity]) -> None:
    for endpoint, (url, shown) in LISTS.items():
        for name, expected in shown.items():
            page = world[name].client.get(url).get_data(as_text=True)
            assert (TITLE in page) == expected, f"{name}: {endpoint}"


def test_a_client_programs_cohort_is_invisible_to_other_learners(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    for slug in ("data-literacy-for-northwind", "data-literacy-northwind-cohort"):
        assert client.get(f"/programs/{slug}/v1").status_code == 404
        assert slug not in client.get("/programs").get_data(as_text=True)


def test_a_client_learner_sees_their_program_but_no_link_to_its_cohort_parent(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    user = login("learner")
    chosen = catalog.exec(
        select(Program).where(Program.slug == "data-literacy-for-northwind")
    ).one()
    learner = catalog.get(Learner, user.learner_id)
    assert learner is not None
    enrolment.enrol(catalog, learner, chosen, "admin")
    catalog.commit()
    page = client.get("/programs/data-literacy-for-northwind/v1").get_data(as_text=True)
    assert "Derived from" not in page and "/programs/data-literacy-northwind-cohort/" not in page
    assert client.get("/programs/data-literacy-northwind-cohort/v1").status_code == 404
    cohort = client.get("/studio/programs/data-literacy-northwind-cohort/v1")
    assert cohort.status_code == 403  # and the studio is for staff
