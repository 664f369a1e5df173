"""Rule pages of a personal program: saved, or refused beside the field; previews write nothing."""

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from learnpath.models import Program, SegmentRule
from learnpath.services.catalog import drafts
from tests import factories
from tests.factories import count_writes, snapshot

DRAFT_URL = "/studio/programs/team-lead-path/v2"
GOOD = {
    "name": "Slow deciders watch first",
    "decision_speed": "slow",
    "levels-0-competency": "giving-feedback",
    "levels-0-comparison": "below",
    "levels-0-level": "advanced",
    "then": "prefer_format",
    "format": "video",
}


@pytest.fixture
def draft(catalog: Session) -> Program:
    """Version 2 of the shipped personal program, a draft with its five rules."""
    published = drafts.find(catalog, "team-lead-path", 1)
    assert published is not None
    program = drafts.open_draft(catalog, published, "Ana")
    catalog.commit()
    return program


@pytest.fixture
def author(login: Any) -> Any:
    return login("author", email="ana@example.com")


def rules_of(db: Session, program: Program) -> list[SegmentRule]:
    db.expire_all()
    return list(
        db.exec(
            select(SegmentRule)
            .where(SegmentRule.program_id == program.id)
            .order_by(col(SegmentRule.position))
        ).all()
    )


def error_of(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    return found.group(1) if found else ""


def test_a_rule_written_in_the_form_is_stored_as_data(
    client: FlaskClient, catalog: Session, draft: Program, author: Any
) -> None:
    revision = draft.revision
    response = client.post(f"{DRAFT_URL}/rules/new", data={**GOOD, "revision": revision})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{DRAFT_URL}/rules"
    rule = rules_of(catalog, draft)[-1]
    assert (rule.name, rule.action, rule.format, rule.minutes_per_week) == (
        "Slow deciders watch first",
        "prefer_format",
        "video",
        None,
    )
    assert rule.conditions == {
        "decision_speed": ["slow"],
        "below": {"giving-feedback": "advanced"},
    }
    catalog.refresh(draft)
    assert (draft.revision, draft.updated_by) == (revision + 1, "Ana")
    listing = client.get(f"{DRAFT_URL}/rules").get_data(as_text=True)
    assert "decision speed slow · below advanced in giving-feedback" in listing


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"then": "pace"}, "minutes_per_week", "&#39;pace&#39; needs minutes per week"),
        ({"then": "include"}, "modules", "&#39;include&#39; needs at least one module"),
        ({"interests": "Charts!"}, "interests", "String should match pattern"),
        ({"minutes_per_week": "soon"}, "minutes_per_week", "Not a valid integer value."),
    ],
)
def test_a_bad_rule_is_refused_beside_its_field_and_kept_in_the_form(
    client: FlaskClient,
    catalog: Session,
    draft: Program,
    author: Any,
    data: dict[str, str],
    field: str,
    message: str,
) -> None:
    before = snapshot(catalog)
    form = {**GOOD, "name": "Typed by hand", **data}
    page = client.post(f"{DRAFT_URL}/rules/new", data=form).get_data(as_text=True)
    assert message in error_of(page, field)
    assert 'value="Typed by hand"' in page
    assert snapshot(catalog) == before


def test_a_rule_is_shown_for_editing_and_changed(
    client: FlaskClient, catalog: Session, draft: Program, author: Any
) -> None:
    page = client.get(f"{DRAFT_URL}/rules/2").get_data(as_text=True)
    assert 'value="Finance staff take the invoice-fraud case"' in page
    assert 'value="Finance"' in page
    assert '<option value="sec-fin-invoice-fraud" selected>' in page
    data = {**GOOD, "name": "Changed", "then": "pace", "minutes_per_week": "45", "format": ""}
    assert client.post(f"{DRAFT_URL}/rules/2", data=data).status_code == 302
    rules = rules_of(catalog, draft)
    assert len(rules) == 5
    assert (rules[2].name, rules[2].action, rules[2].minutes_per_week) == ("Changed", "pace", 45)


def test_rules_are_moved_and_removed_with_buttons(
    client: FlaskClient, catalog: Session, draft: Program, author: Any
) -> None:
    names = [r.name for r in rules_of(catalog, draft)]
    client.post(f"{DRAFT_URL}/rules/4/move", data={"direction": "up", "revision": draft.revision})
    assert [r.name for r in rules_of(catalog, draft)] == [*names[:3], names[4], names[3]]
    client.post(f"{DRAFT_URL}/rules/0/remove", data={})
    assert [r.name for r in rules_of(catalog, draft)] == [*names[1:3], names[4], names[3]]


def test_a_save_from_an_older_page_is_a_conflict_that_keeps_the_text(
    client: FlaskClient, catalog: Session, draft: Program, author: Any
) -> None:
    stale = draft.revision
    client.post(f"{DRAFT_URL}/rules/0/remove", data={"revision": stale})
    before = snapshot(catalog)
    form = {**GOOD, "name": "Mine", "revision": stale}
    page = client.post(f"{DRAFT_URL}/rules/new", data=form).get_data(as_text=True)
    assert "changed by Ana at" in page and "reload to see it" in page
    assert 'value="Mine"' in page
    assert snapshot(catalog) == before


def test_the_preview_counts_lists_and_plans_without_writing(
    app: Flask, client: FlaskClient, catalog: Session, draft: Program, author: Any
) -> None:
    for i, role in enumerate(["analyst", "analyst", "team-lead"]):
        factories.learner(catalog, f"R{i}", role=role, name=f"Rita {i}")
    catalog.commit()
    query = {
        "preview": "1",
        "name": "Analysts do agile",
        "role": "Analyst",
        "then": "include",
        "modules": "pm-agile",
    }
    with count_writes(app.extensions["learnpath.engine"]) as writes:
        page = client.get(f"{DRAFT_URL}/rules/new", query_string=query).get_data(as_text=True)
    assert writes.statements == []
    assert "This rule matches <strong>2</strong> active learners." in page
    assert "Rita 0" in page and "Rita 1" in page and "Rita 2" not in page
    assert "Rita 0’s trajectory under this draft" in page
    assert "role rule: Analysts do agile" in page  # the unsaved rule, at the end, wins


def test_the_preview_of_a_bad_rule_names_the_field(
    client: FlaskClient, catalog: Session, draft: Program, author: Any
) -> None:
    query = {"preview": "1", "name": "x", "then": "prefer_format"}
    page = client.get(f"{DRAFT_URL}/rules/new", query_string=query).get_data(as_text=True)
    assert "&#39;prefer_format&#39; needs a format" in error_of(page, "format")
    assert "This rule matches" not in page


def test_the_live_refresh_gets_only_the_preview_panel(
    client: FlaskClient, catalog: Session, draft: Program, author: Any
) -> None:
    query = {"preview": "1", "name": "All", "then": "pace", "minutes_per_week": "60"}
    response = client.get(f"{DRAFT_URL}/rules/new", query_string=query, headers={"X-Preview": "1"})
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith('<section id="preview"')
    assert "<form" not in page and "This rule matches" in page


def test_a_facilitator_previews_a_stored_rule_and_picks_a_learner(
    client: FlaskClient, catalog: Session, login: Any
) -> None:
    leads = [factories.learner(catalog, f"T{i}", role="team-lead", name=f"Tom {i}") for i in (1, 2)]
    catalog.commit()
    login("facilitator", email="fay@example.com")
    url = "/studio/programs/team-lead-path/v1/rules/0/preview"
    page = client.get(url).get_data(as_text=True)
    assert "This rule matches <strong>2</strong> active learners." in page
    assert "Tom 1’s trajectory" in page
    assert "Edit this rule" not in page
    page = client.get(url, query_string={"learner": leads[1].id}).get_data(as_text=True)
    assert "Tom 2’s trajectory" in page
    assert "role rule: Team leads practise difficult conversations and one-on-ones" in page


def test_the_rules_page_previews_a_learner_found_by_employee_id(
    client: FlaskClient, catalog: Session, draft: Program, author: Any
) -> None:
    factories.learner(catalog, "EMP-7", role="analyst", name="Ann Alyst")
    catalog.commit()
    page = client.get(f"{DRAFT_URL}/rules", query_string={"who": "EMP-7"}).get_data(as_text=True)
    assert "Ann Alyst’s trajectory under this draft" in page
    assert "role rule: Individual contributors skip the iterative-delivery case" in page
    page = client.get(f"{DRAFT_URL}/rules", query_string={"who": "nobody"}).get_data(as_text=True)
    assert "No active learner with employee id or email “nobody”." in page


def test_a_frozen_version_has_no_rule_form_and_other_depths_no_rules(
    client: FlaskClient, catalog: Session, author: Any
) -> None:
    response = client.get("/studio/programs/team-lead-path/v1/rules/new")
    assert response.status_code == 302
    assert response.headers["Location"] == "/studio/programs/team-lead-path/v1/rules"
    page = client.get("/studio/programs/team-lead-path/v1/rules").get_data(as_text=True)
    assert "frozen" in page and "/rules/0/remove" not in page
    assert client.get("/studio/programs/data-literacy-essentials/v1/rules").status_code == 404


def test_a_preview_asks_again_without_the_csrf_token_in_its_address(
    client: FlaskClient, catalog: Session, draft: Program, author: Any
) -> None:
    query = {"csrf_token": "secret", "preview": "1", "name": "x", "then": "pace"}
    response = client.get(f"{DRAFT_URL}/rules/new", query_string=query)
    assert response.status_code == 302
    assert "csrf_token" not in response.headers["Location"]
    assert "preview=1" in response.headers["Location"] and "name=x" in response.headers["Location"]
