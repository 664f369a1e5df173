"""Derived programs through HTTP: derive, sessions and notes, module changes, take in, move."""

from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Enrollment, Program, ProgramOverlay, ProgramSession
from learnpath.models.base import pk
from learnpath.services.catalog import derived_modules, drafts, facilitation
from learnpath.services.catalog.derivation import derive_program, module_entries
from learnpath.services.learning import trajectory
from tests import factories
from tests.factories import snapshot
from tests.studio.test_take_in import child_of, parent_v1, parent_v2
from tests.test_trajectory_views import enrolled

ESSENTIALS = "/studio/programs/data-literacy-essentials/v1"
SESSION = {"title": "Kick-off", "date": "2027-01-28", "time": "09:30", "minutes": "45"}


def derived(db: Session, depth: int) -> Program:
    """Ana's cohort (depth 2) or client program (3) of Data Literacy Essentials, committed."""
    parent = drafts.find(db, "data-literacy-essentials", 1)
    assert parent is not None
    title = "Acme cohort" if depth == 2 else "Data for Acme"
    program = derive_program(db, parent, "Ana", depth, title, "Acme", "")
    db.commit()
    return program


def find(db: Session, slug: str, version: int = 1) -> Program | None:
    db.expire_all()
    return drafts.find(db, slug, version)


def test_a_facilitator_derives_a_cohort_and_schedules_two_sessions(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    user = login("facilitator")
    page = client.get(f"{ESSENTIALS}/derive").get_data(as_text=True)
    assert "2 · facilitated" in page and "3 · specialized" not in page
    data = {"depth": "2", "title": "Acme cohort", "audience": "Acme"}
    response = client.post(f"{ESSENTIALS}/derive", data=data)
    assert response.headers["Location"] == "/studio/programs/acme-cohort/v1/facilitation"
    cohort = find(catalog, "acme-cohort")
    assert cohort is not None and (cohort.depth, cohort.status) == (2, "draft")
    assert cohort.updated_by == user.name
    base = "/studio/programs/acme-cohort/v1"
    client.post(f"{base}/sessions", data={**SESSION, "place": "Room 4", "module": "dl-data-types"})
    later = {
        **SESSION,
        "title": "Debrief",
        "date": "2027-02-04",
        "url": "https://meet.example.com/a",
    }
    client.post(f"{base}/sessions", data=later)
    rows = catalog.exec(select(ProgramSession).where(ProgramSession.program_id == cohort.id))
    assert [(s.title, s.minutes, s.place, s.url) for s in rows] == [
        ("Kick-off", 45, "Room 4", ""),
        ("Debrief", 45, "", "https://meet.example.com/a"),
    ]
    shown = client.get(base).get_data(as_text=True)
    assert "Kick-off" in shown and "https://meet.example.com/a" in shown


def test_a_session_without_a_place_or_url_is_refused_beside_the_field(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    derived(catalog, 2)
    before = snapshot(catalog)
    response = client.post("/studio/programs/acme-cohort/v1/sessions", data=SESSION)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="place-error">a session needs a place or a URL' in page
    assert 'value="Kick-off"' in page  # what was typed is kept
    assert snapshot(catalog) == before


def test_a_facilitator_may_not_derive_or_edit_a_specialized_program(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    before = snapshot(catalog)
    data = {"depth": "3", "title": "Acme", "audience": "Acme"}
    assert client.post(f"{ESSENTIALS}/derive", data=data).status_code == 403
    assert snapshot(catalog) == before
    northwind = "/studio/programs/data-literacy-for-northwind/v1"
    assert client.post(f"{northwind}/draft").status_code == 403
    cohort_derive = "/studio/programs/data-literacy-northwind-cohort/v1/derive"
    assert client.get(cohort_derive).status_code == 403  # only depths 3-4 could derive from it
    cohort = "/studio/programs/data-literacy-northwind-cohort/v1"
    assert client.post(f"{cohort}/draft").status_code == 302
    assert find(catalog, "data-literacy-northwind-cohort", 2) is not None


def test_a_facilitator_writes_notes_and_publishes_the_cohort(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    cohort = derived(catalog, 2)
    base = "/studio/programs/acme-cohort/v1"
    note = {"kind": "example", "module": "dl-dashboards", "text": "Use the Q3 dashboard."}
    client.post(f"{base}/notes", data=note)
    row = catalog.exec(select(ProgramOverlay).where(ProgramOverlay.program_id == cohort.id)).one()
    client.post(f"{base}/notes/{row.id}", data={"text": "Use the Q4 dashboard."})
    catalog.refresh(row)
    assert (row.kind, row.text) == ("example", "Use the Q4 dashboard.")
    assert client.post(f"{base}/publish").status_code == 302
    published = find(catalog, "acme-cohort")
    assert published is not None and published.status == "published"


def test_an_author_swaps_adds_and_sees_the_diff(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    data = {"depth": "3", "title": "Data for Acme", "audience": "Acme"}
    response = client.post(f"{ESSENTIALS}/derive", data=data)
    base = "/studio/programs/data-for-acme/v1"
    assert response.headers["Location"] == f"{base}/derivation"
    client.post(
        f"{base}/derivation/swap",
        data={"module": "dl-reading-charts", "with": "dl-reading-charts-video"},
    )
    client.post(f"{base}/derivation/add", data={"module": "pm-tracking", "after": "dl-dashboards"})
    child = find(catalog, "data-for-acme")
    assert child is not None
    assert [m for m, _ in module_entries(catalog, child)][2:] == [
        "dl-reading-charts-video",
        "dl-data-quality",
        "dl-correlation-causation",
        "dl-dashboards",
        "pm-tracking",
    ]
    page = client.get(base).get_data(as_text=True)
    assert "Difference to the parent v1" in page
    assert (
        "Reading charts without being misled → Reading charts without being misled (video)" in page
    )
    assert '<dd class="added">+ Tracking progress with metrics</dd>' in page


def test_a_move_that_breaks_a_prerequisite_is_refused_with_the_reason(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    derived(catalog, 3)
    before = snapshot(catalog)
    base = "/studio/programs/data-for-acme/v1/derivation"
    response = client.post(f"{base}/dl-averages-and-spread/move", data={"direction": "up"})
    assert response.status_code == 302
    assert snapshot(catalog) == before
    page = client.get(base).get_data(as_text=True)
    assert "requires “Kinds of data and how to summarize them”, which must come before it" in page


def test_an_override_beyond_the_parent_is_refused_beside_the_level(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    derived(catalog, 3)
    before = snapshot(catalog)
    data = {"competency": "data-literacy", "level": "expert"}
    response = client.post("/studio/programs/data-for-acme/v1/derivation/targets", data=data)
    assert response.status_code == 200
    assert "choose from developing to advanced" in response.get_data(as_text=True)
    assert snapshot(catalog) == before


def test_the_child_takes_in_the_parents_v2_with_the_authors_choices(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    user = login("author")
    parent = parent_v1(catalog)
    child = child_of(catalog, parent)
    v2 = parent_v2(catalog, parent, "dl-data-quality", added="dl-experiments")
    catalog.commit()
    base = f"/studio/programs/{child.slug}/v1"
    assert "Take in the parent's v2" in client.get(base).get_data(as_text=True)
    before = snapshot(catalog)
    page = client.get(f"{base}/take-in").get_data(as_text=True)
    assert snapshot(catalog) == before
    assert "removed “Checking data quality before you trust a number”, which you moved" in page
    data = {"revision": str(child.revision), "theirs": str(v2.id)}
    data["choice:move:dl-data-quality"] = "drop"
    response = client.post(f"{base}/take-in", data=data)
    assert response.status_code == 302
    draft = find(catalog, child.slug)
    assert draft is not None and draft.parent_id == v2.id and draft.updated_by == user.name
    modules = [m for m, _ in module_entries(catalog, draft)]
    assert "dl-data-quality" not in modules and modules[-1] == "dl-experiments"


def test_learners_are_moved_after_the_preview(catalog: Session, client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("author")
    v1 = drafts.find(catalog, "project-management-foundations", 1)
    v2 = drafts.find(catalog, "project-management-foundations", 2)
    assert v1 is not None and v2 is not None
    learner = factories.learner(catalog, "E9", name="Noor Haddad")
    enrollment = Enrollment(learner_id=pk(learner), program_id=pk(v1))
    catalog.add(enrollment)
    catalog.flush()
    trajectory.replan(catalog, enrollment)
    catalog.commit()
    url = "/studio/programs/project-management-foundations/v2/move-learners"
    page = client.get(url).get_data(as_text=True)
    assert "Noor Haddad" in page and "+ Iterative delivery: when and how" in page
    stale = client.post(url, data={"fingerprint": "0000"})
    assert stale.status_code == 200
    catalog.refresh(enrollment)
    assert enrollment.program_id == v1.id
    fingerprint = page.split('name="fingerprint" type="hidden" value="', 1)[1].split('"', 1)[0]
    assert client.post(url, data={"fingerprint": fingerprint}).status_code == 302
    catalog.refresh(enrollment)
    assert enrollment.program_id == v2.id


def test_a_derived_draft_is_edited_in_its_own_editors(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    child = derived(catalog, 3)
    derived_modules.drop_module(catalog, child, "Ana", None, "dl-dashboards")
    catalog.commit()
    page = client.get("/studio/programs/data-for-acme/v1").get_data(as_text=True)
    assert 'href="/studio/programs/data-for-acme/v1/derivation">Edit this draft' in page
    settings = client.get("/studio/programs/data-for-acme/v1/edit").get_data(as_text=True)
    assert "Modules and target levels" in settings and "Add module" not in settings
    editor = client.get("/studio/programs/data-for-acme/v1/derivation").get_data(as_text=True)
    assert "Taken out of the parent's list" in editor and "Bring back" in editor


def test_learners_of_a_cohort_see_its_sessions_but_not_the_facilitators_notes(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    cohort = derived(catalog, 2)
    online = {**SESSION, "url": "https://meet.example.com/acme"}
    facilitation.add_session(catalog, cohort, "Fay", None, online)
    facilitation.add_overlay(catalog, cohort, "Fay", None, {"kind": "note", "text": "Go slow."})
    facilitation.add_overlay(catalog, cohort, "Fay", None, {"kind": "wording", "text": "drops"})
    cohort.status = "published"
    catalog.commit()
    enrollment = enrolled(catalog, login, "acme-cohort")
    page = client.get(f"/path/{enrollment.id}").get_data(as_text=True)
    assert "2027-01-28 09:30</strong> · Kick-off · 45 min" in page
    assert 'href="https://meet.example.com/acme"' in page
    assert "drops" in page and "Go slow." not in page
