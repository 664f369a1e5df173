"""Reordering beyond the boxed editor: derived modules, facilitator notes, segment rules.

A drag posts the whole list to an `order_*` route; the buttons move one place. Both go through
the same service checks (services/catalog/ordering.py), so both are refused with the same words.
"""

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from learnpath.models import Program, ProgramOverlay
from learnpath.services.catalog import derived_modules, drafts, facilitation, personal
from learnpath.services.catalog.authoring import Invalid
from learnpath.services.catalog.derivation import module_entries
from learnpath.services.catalog.ordering import CHANGED, reordered, shift
from tests.factories import snapshot
from tests.studio.test_derivation_service import ESSENTIALS
from tests.studio.test_derived_views import derived, find
from tests.studio.test_program_views import revision_on
from tests.studio.test_rule_views import DRAFT_URL, rules_of

CLIENT = "/studio/programs/data-for-acme/v1"
COHORT = "/studio/programs/acme-cohort/v1"
PARENT_ORDER = ESSENTIALS
DRAGGED = [PARENT_ORDER[0], PARENT_ORDER[3], *PARENT_ORDER[1:3], *PARENT_ORDER[4:]]


def order_of(db: Session, slug: str) -> list[str]:
    program = find(db, slug)
    assert program is not None
    return [m for m, _ in module_entries(db, program)]


def notes(db: Session, program: Program) -> list[str]:
    db.expire_all()
    rows = db.exec(
        select(ProgramOverlay)
        .where(ProgramOverlay.program_id == program.id)
        .order_by(col(ProgramOverlay.position))
    ).all()
    return [o.text for o in rows]


def cohort_with_notes(db: Session) -> tuple[Program, list[int]]:
    """Ana's cohort with three notes, A, B and C in that order; their ids."""
    cohort = derived(db, 2)
    ids = []
    for text in ("A", "B", "C"):
        row = facilitation.add_overlay(db, cohort, "Ana", None, {"kind": "note", "text": text})
        ids.append(row.id)
    db.commit()
    return cohort, ids


def rule_draft(db: Session) -> Program:
    """Version 2 of the shipped personal program (five rules), opened as a draft."""
    published = find(db, "team-lead-path", 1)
    assert published is not None
    program = drafts.open_draft(db, published, "Ana")
    db.commit()
    return program


def test_shift_and_reordered_refuse_what_is_not_a_move() -> None:
    assert shift([1, 2, 3], 0, 1) == [2, 1, 3]
    with pytest.raises(Invalid, match="the rule is already at that end"):
        shift([1, 2], 0, -1, "rule", "rule")
    assert reordered(["a", "b", "c"], ["c", "a", "b"], str, "modules") == ["c", "a", "b"]
    for keys in (["a", "b"], ["a", "b", "b"], ["a", "b", "x"], ["a", "b", "c", "c"]):
        with pytest.raises(Invalid, match=CHANGED):
            reordered(["a", "b", "c"], keys, str, "modules")


def test_a_derived_list_is_reordered_within_prerequisites(catalog: Session) -> None:
    program = derived(catalog, 3)
    derived_modules.reorder_modules(catalog, program, "Ana", program.revision, DRAGGED)
    catalog.commit()
    assert order_of(catalog, "data-for-acme") == DRAGGED
    before = snapshot(catalog)
    broken = ["dl-dashboards", *DRAGGED[:-1]]
    with pytest.raises(Invalid, match="which must come before it"):
        derived_modules.reorder_modules(catalog, program, "Ana", program.revision, broken)
    catalog.rollback()
    assert snapshot(catalog) == before


def test_a_dropped_derived_order_is_saved_or_refused_with_the_reason(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    derived(catalog, 3)
    editor = client.get(f"{CLIENT}/derivation").get_data(as_text=True)
    assert f'action="{CLIENT}/derivation/order"' in editor
    assert 'data-order-form="derived-order"' in editor and "studio/reorder.js" in editor
    data = {"module": DRAGGED, "revision": revision_on(editor)}
    response = client.post(f"{CLIENT}/derivation/order", data=data)
    assert response.headers["Location"] == f"{CLIENT}/derivation"
    assert order_of(catalog, "data-for-acme") == DRAGGED

    before = snapshot(catalog)
    data = {"module": ["dl-dashboards", *DRAGGED[:-1]]}
    page = client.post(f"{CLIENT}/derivation/order", data=data, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Not saved: “Designing a dashboard people act on” requires “" in text
    assert snapshot(catalog) == before
    page = client.post(f"{CLIENT}/derivation/order", data={"module": DRAGGED[:-1]})
    assert snapshot(catalog) == before


def test_a_facilitator_moves_and_drags_the_notes_of_a_cohort(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    cohort, (a, b, c) = cohort_with_notes(catalog)
    page = client.get(f"{COHORT}/facilitation").get_data(as_text=True)
    assert 'data-order-form="overlay-order"' in page and f'data-key="{b}"' in page
    client.post(f"{COHORT}/notes/{c}/move", data={"direction": "up"})
    assert notes(catalog, cohort) == ["A", "C", "B"]
    client.post(f"{COHORT}/notes/{a}/move", data={"direction": "down"})
    assert notes(catalog, cohort) == ["C", "A", "B"]
    client.post(f"{COHORT}/notes/order", data={"overlay": [b, c, a]})
    assert notes(catalog, cohort) == ["B", "C", "A"]

    before = snapshot(catalog)
    client.post(f"{COHORT}/notes/{b}/move", data={"direction": "up"})
    client.post(f"{COHORT}/notes/order", data={"overlay": [b, c]})
    client.post(f"{COHORT}/notes/order", data={"overlay": [b, c, "x"]})
    assert snapshot(catalog) == before
    page = client.get(f"{COHORT}/facilitation").get_data(as_text=True)
    assert "Not saved: the note is already at that end of the list" in page
    assert f"Not saved: {CHANGED}" in page


def test_notes_of_another_program_are_not_reordered(catalog: Session) -> None:
    _, ids = cohort_with_notes(catalog)
    other = derived(catalog, 3)
    with pytest.raises(Invalid, match="no such note"):
        facilitation.move_overlay(catalog, other, "Ana", None, ids[1], -1)
    with pytest.raises(Invalid, match=CHANGED):
        facilitation.reorder_overlays(catalog, other, "Ana", None, ids)


def test_notes_are_inline_markdown_for_learners_and_in_the_studio(
    catalog: Session, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    cohort = derived(catalog, 2)
    data = {"kind": "example", "text": "Use **Q3** <script>alert(1)</script>"}
    client.post(f"{COHORT}/notes", data=data)
    assert notes(catalog, cohort) == [data["text"]]
    page = client.get(COHORT).get_data(as_text=True)
    assert "Use <strong>Q3</strong> &lt;script&gt;" in page and "<script>alert" not in page


def test_dropped_rules_are_stored_in_the_new_order(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("author")
    draft = rule_draft(catalog)
    names = [r.name for r in rules_of(catalog, draft)]
    page = client.get(f"{DRAFT_URL}/rules").get_data(as_text=True)
    assert 'data-order-form="rule-order"' in page and f'action="{DRAFT_URL}/rules/order"' in page
    order = [4, 0, 1, 2, 3]
    client.post(f"{DRAFT_URL}/rules/order", data={"rule": order, "revision": revision_on(page)})
    assert [r.name for r in rules_of(catalog, draft)] == [names[i] for i in order]
    before = snapshot(catalog)
    client.post(f"{DRAFT_URL}/rules/order", data={"rule": [0, 1, 2, 3]})
    client.post(f"{DRAFT_URL}/rules/order", data={"rule": [0, 1, 2, 3, 4], "revision": "1"})
    assert snapshot(catalog) == before
    text = client.get(f"{DRAFT_URL}/rules").get_data(as_text=True)
    assert f"Not saved: {CHANGED}" in text and "reload to see it" in text


def test_reordering_rules_is_for_drafts_of_personal_programs(catalog: Session) -> None:
    rule_draft(catalog)
    published = find(catalog, "team-lead-path", 1)
    assert published is not None
    with pytest.raises(Invalid, match="frozen"):
        personal.reorder_rules(catalog, published, "Ana", None, [1, 0, 2, 3, 4])
    with pytest.raises(Invalid, match="personal"):
        personal.reorder_rules(catalog, derived(catalog, 3), "Ana", None, [])


def test_with_csrf_on_a_drop_without_the_token_changes_nothing(
    catalog: Session, client: FlaskClient, login, app: Flask
) -> None:  # type: ignore[no-untyped-def]
    login("facilitator")
    cohort, (a, b, c) = cohort_with_notes(catalog)
    app.config["WTF_CSRF_ENABLED"] = True
    before = snapshot(catalog)
    client.post(f"{COHORT}/notes/order", data={"overlay": [c, b, a]})
    assert snapshot(catalog) == before
    page = client.get(f"{COHORT}/facilitation").get_data(as_text=True)
    form = re.search(r'<form id="overlay-order"(.*?)</form>', page, re.S)
    assert form is not None
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.group(1))
    assert token is not None
    data = {"overlay": [c, b, a], "csrf_token": token.group(1), "revision": revision_on(page)}
    client.post(f"{COHORT}/notes/order", data=data)
    assert notes(catalog, cohort) == ["C", "B", "A"]
