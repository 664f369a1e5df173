"""Department-only content through HTTP: written from the deep program's page, marked, kept in."""

from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Enrollment, Item, Learner, Module, Program, ProgramModule
from learnpath.models.base import pk
from learnpath.services.catalog import drafts
from learnpath.services.catalog.derivation import derive_program
from learnpath.services.learning import trajectory
from tests.factories import snapshot
from tests.studio.test_department_content import DEEP, new_module, shipped
from tests.test_trajectory_views import enrolled, text

PAGE = f"/studio/programs/{DEEP}/v1"
LABEL = "department-only (Secure Finance Operations)"
MODULE = {
    "slug": "sec-fin-supplier-onboarding",
    "title": "Case: onboarding a new supplier",
    "summary": "How the team checks a new supplier before the first payment.",
    "competency": "information-security",
    "level": "proficient",
    "format": "case",
    "minutes": "30",
    "body": "## Goal\n\nCheck a supplier before paying it.\n",
}


def test_an_author_writes_a_department_module_from_the_deep_programs_page(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    user = login("author")
    page = text(client.get(PAGE))
    assert 'id="department"' in page and "Case: pressure at month-end close" in page
    link = f"/studio/modules/new?owner={DEEP}"
    assert f'href="{link}"' in page
    form = text(client.get(link))
    assert f'<option selected value="{DEEP}">department-only: Secure Finance Operations' in form
    response = client.post("/studio/modules/new", data={**MODULE, "owner": DEEP})
    assert response.headers["Location"] == "/studio/modules/sec-fin-supplier-onboarding"
    module = catalog.exec(select(Module).where(Module.slug == MODULE["slug"])).one()
    assert (module.owner, module.updated_by) == (DEEP, user.name)
    assert LABEL in text(client.get(response.headers["Location"]))
    listed = text(client.get("/studio/modules?competency=information-security"))
    assert listed.count(LABEL) == 2  # the month-end case and the new one
    assert 'id="department"' not in text(client.get("/studio/programs/team-lead-path/v1"))


def test_an_owner_that_is_not_a_deep_program_is_refused_beside_the_field(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    before = snapshot(catalog)
    page = text(client.post("/studio/modules/new", data={**MODULE, "owner": "team-lead-path"}))
    assert 'id="owner-error"' in page and "Not a valid choice" in page
    assert snapshot(catalog) == before


def test_an_author_writes_a_department_item_and_bank_health_shows_it_apart(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    new = f"/studio/competencies/information-security/items/new?owner={DEEP}"
    assert f'href="{new}"' in text(client.get(PAGE))
    data = {
        "slug": "sec-fin-005",
        "type": "single",
        "stem": "Who releases a changed supplier's first payment?",
        "options-0-text": "A second person, with the verification record",
        "options-0-correct": "y",
        "options-1-text": "The clerk who changed the details",
        "options-2-text": "Anyone in the team",
        "explanation": "Separation of duties.",
        "a": "1.2",
        "b": "0.4",
        "status": "active",
        "owner": DEEP,
    }
    response = client.post(new, data=data)
    assert response.headers["Location"] == "/studio/items/sec-fin-005"
    item = catalog.exec(select(Item).where(Item.slug == "sec-fin-005")).one()
    assert (item.owner, item.active) == (DEEP, True)
    assert LABEL in text(client.get("/studio/items/sec-fin-005"))
    health = text(client.get("/studio/competencies/information-security"))
    assert "5 active for Secure Finance Operations" in health
    later = text(client.get("/studio/competencies/information-security?items_page=2"))
    # The bank row and the month-end module on each page, and the five items on one of them.
    assert health.count(LABEL) + later.count(LABEL) == 2 + 2 + 5


def test_the_derivation_editor_offers_department_modules_to_their_program_only(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    draft = drafts.open_draft(catalog, shipped(catalog, DEEP), "Ana")
    new_module(catalog, "sec-fin-expenses", "information-security", DEEP)
    basics = shipped(catalog, "information-security-basics")
    client_program = derive_program(catalog, basics, "Ana", 3, "Security for Acme", "Acme", "")
    catalog.commit()
    own = text(client.get(f"/studio/programs/{DEEP}/v{draft.version}/derivation"))
    assert '<option value="sec-fin-expenses">' in own
    other = text(client.get(f"/studio/programs/{client_program.slug}/v1/derivation"))
    assert "sec-fin-expenses" not in other and "sec-fin-month-end" not in other
    before = snapshot(catalog)
    url = f"/studio/programs/{client_program.slug}/v1/derivation/add"
    refused = text(
        client.post(url, data={"module": "sec-fin-month-end", "after": "", "revision": 0})
    )
    assert f"is {LABEL}: not for this program" in refused
    assert snapshot(catalog) == before


def test_a_deep_programs_audience_stays_a_department(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    draft = drafts.open_draft(catalog, shipped(catalog, DEEP), "Ana")
    catalog.commit()
    url = f"/studio/programs/{DEEP}/v{draft.version}/edit"
    data = {
        "title": draft.title,
        "format": "in-person",
        "audience_kind": "anyone",
        "audience_name": "",
        "instructors": "Henrik Dahl",
        "checkpoints": "offered",
        "revision": draft.revision,
    }
    assert '<option value="anyone"' not in text(client.get(url))
    page = text(client.post(url, data=data))
    assert 'id="audience_kind-error"' in page
    catalog.expire_all()
    assert drafts.find(catalog, DEEP, draft.version).audience_kind == "department"  # type: ignore[union-attr]
    client.post(url, data={**data, "audience_kind": "department", "audience_name": "Treasury"})
    catalog.expire_all()
    assert drafts.find(catalog, DEEP, draft.version).audience_name == "Treasury"  # type: ignore[union-attr]


def test_learners_of_other_programs_never_see_a_department_module(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    new_module(catalog, "sec-fin-expenses", "information-security", DEEP)
    module = catalog.exec(select(Module).where(Module.slug == "sec-fin-expenses")).one()
    basics = shipped(catalog, "information-security-basics")
    # Past every check (as a stale plan might): the module in another program's list.
    catalog.add(ProgramModule(program_id=pk(basics), module_id=pk(module), position=99))
    catalog.commit()
    enrollment = enrolled(catalog, login, "information-security-basics")
    assert trajectory.view(catalog, enrollment).step_of(module) is not None
    url = f"/path/{enrollment.id}/modules/sec-fin-expenses"
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/start").status_code == 404
    deep = catalog.exec(select(Program).where(Program.slug == DEEP)).one()
    own = Enrollment(learner_id=enrollment.learner_id, program_id=pk(deep))
    catalog.add(own)
    catalog.flush()
    trajectory.replan(catalog, own)
    catalog.commit()
    assert client.get(f"/path/{own.id}/modules/sec-fin-month-end").status_code == 200


def test_the_catalog_shows_a_department_module_to_the_department_only(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    user = login("learner")
    learner = catalog.get(Learner, user.learner_id)
    assert learner is not None
    url = f"/programs/{DEEP}/v1"
    learner.department = "Sales"
    catalog.add(learner)
    catalog.commit()
    # Outside the audience the whole program is hidden (learning/audience.py), owned modules too.
    assert client.get(url).status_code == 404
    learner.department = "Finance"
    catalog.add(learner)
    catalog.commit()
    page = text(client.get(url))
    assert "Case: pressure at month-end close" in page
    assert "Case: the supplier who changed bank details" in page  # shared
