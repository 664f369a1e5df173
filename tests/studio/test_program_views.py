"""The program editor through HTTP: create, settings, conflicts, order, publish, versions."""

import re

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.db import get_session
from learnpath.models import Program
from learnpath.services.catalog import composition, drafts
from learnpath.services.catalog.authoring import Conflict
from learnpath.studio.views.common import save
from tests.factories import snapshot

SETTINGS = {
    "title": "Charts at Work",
    "summary": "Read charts.",
    "format": "online",
    "audience_kind": "anyone",
    "audience_name": "",
    "instructors": "",
    "checkpoints": "offered",
}


def program(db: Session, slug: str = "charts-at-work", version: int = 1) -> Program:
    db.expire_all()
    return db.exec(select(Program).where(Program.slug == slug, Program.version == version)).one()


def revision_on(page: str) -> str:
    found = re.search(r'name="revision" type="hidden" value="(\d+)"', page) or re.search(
        r'name="revision" value="(\d+)"', page
    )
    assert found, "the page carries the revision it shows"
    return found.group(1)


def author_with_draft(db: Session, login) -> str:  # type: ignore[no-untyped-def]
    """Log in as an author; Ana has started the draft "Charts at Work"; its studio path."""
    login("author")
    drafts.create_program(db, "Ana", "Charts at Work", 1)
    db.commit()
    return "/studio/programs/charts-at-work/v1"


def test_an_author_creates_a_draft_and_lands_in_its_editor(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    response = client.post("/studio/programs/new", data={"title": "Charts at Work", "depth": "1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/studio/programs/charts-at-work/v1/edit"
    assert program(catalog).status == "draft"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'for="title"' in page and "Add module" in page


def test_bad_settings_show_errors_beside_the_fields(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    user = login("author")
    drafts.create_program(catalog, user.name, "Charts at Work", 1)
    catalog.commit()
    before = snapshot(catalog)
    data = {**SETTINGS, "title": "", "audience_kind": "client"}
    page = client.post("/studio/programs/charts-at-work/v1/edit", data=data)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="title-error"' in text
    assert 'id="audience_name-error">an audience of kind &#39;client&#39; needs a name' in text or (
        "needs a name" in text
    )
    assert snapshot(catalog) == before


def test_a_second_author_saving_an_old_form_is_told_who_changed_it(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    drafts.create_program(catalog, "Ana", "Charts at Work", 1)
    catalog.commit()
    form_page = client.get("/studio/programs/charts-at-work/v1/edit").get_data(as_text=True)
    old = revision_on(form_page)
    draft = program(catalog)
    drafts.update_settings(catalog, draft, "Ana", draft.revision, {"title": "Ana's title"})
    catalog.commit()
    data = {**SETTINGS, "title": "Ben's careful title", "revision": old}
    page = client.post("/studio/programs/charts-at-work/v1/edit", data=data).get_data(as_text=True)
    stamp = program(catalog).updated_at.strftime("%H:%M")
    assert f"changed by Ana at {stamp} — reload to see it" in page
    assert 'value="Ben&#39;s careful title"' in page  # their text is kept in the form
    assert program(catalog).title == "Ana's title"


def test_module_list_editing_with_up_down_and_refusals(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    base = author_with_draft(catalog, login)
    for slug in ("dl-data-types", "dl-averages-and-spread"):
        assert client.post(f"{base}/modules", data={"module": slug}).status_code == 302
    response = client.post(f"{base}/modules/dl-averages-and-spread/move", data={"direction": "up"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not saved: “Averages, spread and outliers” requires" in page
    assert [e.module.slug for e in composition.entries(catalog, program(catalog))] == [
        "dl-data-types",
        "dl-averages-and-spread",
    ]
    client.post(f"{base}/modules", data={"module": "pm-project-basics"})
    client.post(f"{base}/modules/pm-project-basics/move", data={"direction": "up"})
    client.post(f"{base}/modules/dl-data-types/remove")
    assert [e.module.slug for e in composition.entries(catalog, program(catalog))] == [
        "pm-project-basics",
        "dl-averages-and-spread",
    ]
    page = client.get(f"{base}/edit").get_data(as_text=True)
    assert "requires" in page.lower() and "Estimated time" in page


def test_a_dropped_order_is_posted_whole_and_checked(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    base = author_with_draft(catalog, login)
    for slug in ("dl-data-types", "dl-averages-and-spread", "dl-data-quality"):
        client.post(f"{base}/modules", data={"module": slug})
    editor = client.get(f"{base}/edit").get_data(as_text=True)
    assert f'action="{base}/modules/order"' in editor and 'data-order-form="module-order"' in editor
    assert "vendor/sortablejs/Sortable.min.js" in editor
    dropped = ["dl-data-types", "dl-data-quality", "dl-averages-and-spread"]
    data = {"module": dropped, "revision": revision_on(editor)}
    response = client.post(f"{base}/modules/order", data=data)
    assert response.headers["Location"] == f"{base}/edit"
    assert [e.module.slug for e in composition.entries(catalog, program(catalog))] == dropped
    response = client.post(f"{base}/modules/order", data={"module": dropped[::-1]})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not saved: “Averages, spread and outliers” requires" in page
    assert [e.module.slug for e in composition.entries(catalog, program(catalog))] == dropped
    stale = {"module": dropped[::-1], "revision": revision_on(editor)}
    page = client.post(f"{base}/modules/order", data=stale, follow_redirects=True)
    assert "changed by" in page.get_data(as_text=True)


def test_publish_lists_every_reason_then_publishes_and_edit_opens_v2(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    base = author_with_draft(catalog, login)
    response = client.post(f"{base}/publish")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not saved: a depth-1 program needs 'modules'" in page
    assert program(catalog).status == "draft"
    client.post(f"{base}/modules", data={"module": "dl-data-types"})
    client.post(
        f"{base}/placement",
        data={"enabled": "y", "max_items": "12", "min_items": "3", "se_target": "0.3"},
    )
    assert program(catalog).placement["max_items"] == 12  # type: ignore[index]
    client.post(f"{base}/publish")
    assert program(catalog).status == "published"
    response = client.post(f"{base}/draft")
    assert response.headers["Location"] == "/studio/programs/charts-at-work/v2/edit"
    assert program(catalog, version=2).status == "draft"
    assert client.get(f"{base}/edit").status_code == 302  # a published version has no editor


def test_facilitators_read_programs_without_edit_controls(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    page = client.get("/studio/programs/data-literacy-essentials/v1").get_data(as_text=True)
    assert "Data Literacy Essentials" in page and "Edit (opens a new draft)" not in page


def test_with_csrf_on_a_post_without_token_changes_nothing(
    catalog: Session, client: FlaskClient, login, app
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    app.config["WTF_CSRF_ENABLED"] = True
    before = snapshot(catalog)
    page = client.post("/studio/programs/new", data={"title": "Sneaky", "depth": "1"})
    assert page.status_code == 400 and "CSRF" in page.get_data(as_text=True)
    assert snapshot(catalog) == before
    form = client.get("/studio/programs/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert token
    data = {"title": "Honest", "depth": "1", "csrf_token": token.group(1)}
    assert client.post("/studio/programs/new", data=data).status_code == 302
    assert program(catalog, "honest").title == "Honest"


def test_a_save_racing_another_becomes_a_conflict_naming_the_winner(catalog: Session, app) -> None:  # type: ignore[no-untyped-def]
    """Both read revision n; the other commits first; our UPDATE finds no row at n."""
    drafts.create_program(catalog, "Ana", "Charts at Work", 1)
    catalog.commit()
    with app.test_request_context():
        ours = program(get_session())
        theirs = program(catalog)
        drafts.update_settings(catalog, theirs, "Ben", theirs.revision, {"title": "Ben's"})
        catalog.commit()
        with pytest.raises(Conflict) as caught:
            save(
                Program,
                ours.id,
                lambda: drafts.update_settings(
                    get_session(), ours, "Ana", ours.revision, {"title": "Ana's"}
                ),
            )
    assert caught.value.by == "Ben"
    assert program(catalog).title == "Ben's"
