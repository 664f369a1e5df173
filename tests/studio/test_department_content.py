"""Department-only modules and items of deep programs: who may use them, banks, publish, health."""

import pytest
from sqlmodel import Session, select

from learnpath.models import Competency, Item, Program, Response
from learnpath.services.catalog import (
    competency_edits,
    composition,
    derived_modules,
    drafts,
    item_edits,
    module_edits,
    module_lists,
    ownership,
    personal,
    publishing,
)
from learnpath.services.catalog.authoring import Invalid
from learnpath.services.catalog.banks import BankSnapshot
from learnpath.services.catalog.derivation import derive_program, module_entries
from learnpath.services.catalog.schema import ProgramIn
from learnpath.services.learning import quiz
from tests import factories
from tests.factories import snapshot
from tests.test_quiz_service import answer_current, enroll, start_placement

DEEP = "secure-finance-operations"  # shipped: owns sec-fin-month-end and items sec-fin-001..004
BODY = "## Goal\n\nSpot the pretext.\n"


def shipped(db: Session, slug: str, version: int = 1) -> Program:
    """A shipped program version."""
    program = drafts.find(db, slug, version)
    assert program is not None
    return program


def new_module(db: Session, slug: str, competency: str, owner: str | None = None) -> None:
    """A module written in the studio (a department's own when `owner` is given)."""
    data = {
        "id": slug,
        "title": slug.replace("-", " ").title(),
        "competency": competency,
        "level": "proficient",
        "format": "case",
        "minutes": 30,
        "owner": owner,
    }
    module_edits.save_module(db, "Ana", data, BODY)


def new_item(db: Session, slug: str, competency: str, owner: str | None = None) -> Item:
    """An active item written in the studio."""
    data = {
        "id": slug,
        "type": "single",
        "stem": f"Question {slug}?",
        "options": [{"text": "Right", "correct": True}, {"text": "Wrong"}, {"text": "Other"}],
        "explanation": "Because.",
        "status": "active",
        "a": 1.0,
        "b": 0.0,
        "owner": owner,
    }
    return item_edits.save_item(db, "Ana", competency, data)


def competency(db: Session, slug: str) -> Competency:
    """A competency by id."""
    found = competency_edits.find(db, slug)
    assert found is not None
    return found


def offered(db: Session, program: Program) -> set[str]:
    """The information-security modules a program's module picker offers."""
    shown = module_lists.picker_page(
        db,
        module_lists.ModuleFilter(competency="information-security"),
        1,
        composition.listed_ids(program),
        ownership.owners_for(db, program),
    )
    return {m.slug for m, _ in shown.rows}


def owned_item_ids(db: Session) -> set[int]:
    """Ids of every department-only item."""
    return {i for i in db.exec(select(Item.id).where(Item.owner != "")).all() if i is not None}


def test_a_department_item_is_never_served_in_another_programs_placement(
    catalog: Session,
) -> None:
    owned = owned_item_ids(catalog)
    assert len(owned) == 4
    other = start_placement(catalog, enroll(catalog, "information-security-basics"))
    assert not owned & set(BankSnapshot.from_json(other.parameters).item_ids)
    while other.status == "active":
        answer_current(catalog, other, right=True)
    served = catalog.exec(select(Response.item_id).where(Response.attempt_id == other.id)).all()
    assert served and not owned & set(served)
    own = start_placement(catalog, enroll(catalog, DEEP, external_id="FIN1"))
    assert owned <= set(BankSnapshot.from_json(own.parameters).item_ids)


def test_checks_and_checkpoints_use_the_shared_bank_only(catalog: Session) -> None:
    enrollment = enroll(catalog, DEEP)
    security = competency(catalog, "information-security")
    check = quiz.start_attempt(catalog, enrollment.learner_id, "check", [security])
    bank = set(BankSnapshot.from_json(check.parameters).item_ids)
    assert bank and not owned_item_ids(catalog) & bank


def test_other_programs_are_neither_offered_nor_given_a_department_module(
    catalog: Session,
) -> None:
    boxed = drafts.create_program(catalog, "Ana", "Security refresher", 1)
    assert "sec-fin-month-end" not in offered(catalog, boxed)
    with pytest.raises(Invalid) as refused:
        composition.add_module(catalog, boxed, "Ana", None, "sec-fin-month-end")
    assert "department-only (Secure Finance Operations)" in refused.value.errors["module"][0]
    basics = shipped(catalog, "information-security-basics")
    client = derive_program(catalog, basics, "Ana", 3, "Security for Acme", "Acme", "")
    before = module_entries(catalog, client)
    with pytest.raises(Invalid):
        derived_modules.add_module(catalog, client, "Ana", None, "sec-fin-month-end", "")
    with pytest.raises(Invalid) as swapped:
        derived_modules.swap_module(
            catalog, client, "Ana", None, "sec-remote-work", "sec-fin-month-end"
        )
    assert "with" in swapped.value.errors
    assert module_entries(catalog, client) == before
    team = shipped(catalog, "team-lead-path")
    choices = personal.module_choices(catalog, team)
    assert "sec-fin-month-end" not in {slug for group in choices.values() for slug, _ in group}
    rule = {"name": "Finance", "when": {}, "then": "include", "modules": ["sec-fin-month-end"]}
    with pytest.raises(Invalid) as ruled:
        personal.parse_rule(catalog, rule)
    assert "is department-only (secure-finance-operations)" in ruled.value.errors["modules"][0]


def test_the_deep_programs_next_version_keeps_its_department_module(catalog: Session) -> None:
    deep = shipped(catalog, DEEP)
    draft = drafts.open_draft(catalog, deep, "Ana")
    derived_modules.drop_module(catalog, draft, "Ana", None, "sec-fin-month-end")
    derived_modules.add_module(
        catalog, draft, "Ana", None, "sec-fin-month-end", "sec-fin-invoice-fraud"
    )
    assert "sec-fin-month-end" in {m for m, _ in module_entries(catalog, draft)}
    assert ownership.line_of(catalog, draft) == {DEEP, "information-security-basics"}


def test_an_owner_must_be_a_deep_program(catalog: Session) -> None:
    with pytest.raises(Invalid) as module_refused:
        new_module(catalog, "fin-case", "information-security", "information-security-basics")
    assert "is not a deep (depth 4) program" in module_refused.value.errors["owner"][0]
    with pytest.raises(Invalid) as item_refused:
        new_item(catalog, "fin-x", "information-security", "team-lead-path")
    assert "owner" in item_refused.value.errors


def test_a_shared_module_other_programs_use_cannot_become_department_only(
    catalog: Session,
) -> None:
    phishing = module_edits.find(catalog, "sec-phishing")
    assert phishing is not None
    data = {**module_edits.fields_of(catalog, phishing), "owner": DEEP}
    before = snapshot(catalog)
    with pytest.raises(Invalid) as refused:
        module_edits.save_module(catalog, "Ana", data, phishing.body, phishing, phishing.revision)
    catalog.rollback()
    assert "'information-security-basics' version 1 uses it" in refused.value.errors["owner"][0]
    assert snapshot(catalog) == before


def test_a_department_module_can_be_shared_later(catalog: Session) -> None:
    month_end = module_edits.find(catalog, "sec-fin-month-end")
    assert month_end is not None
    data = {**module_edits.fields_of(catalog, month_end), "owner": None}
    module_edits.save_module(catalog, "Ana", data, month_end.body, month_end, month_end.revision)
    assert month_end.owner == ""
    boxed = drafts.create_program(catalog, "Ana", "Security refresher", 1)
    assert "sec-fin-month-end" in offered(catalog, boxed)


def thin_deep_program(db: Session) -> Program:
    """A deep draft whose placement measures a competency with 6 shared active items."""
    competency_edits.save_competency(db, "Ana", {"id": "fin-controls", "name": "Finance controls"})
    for k in range(6):
        new_item(db, f"fc-{k}", "fin-controls")
    new_module(db, "fc-basics", "fin-controls")
    parent = factories.boxed_program(db, ["fc-basics"], "Finance controls basics")
    deep = derive_program(db, parent, "Ana", 4, "Controls for Finance", "Finance", "")
    composition.set_placement(db, deep, "Ana", None, {"max_items": 10, "min_items": 3})
    return deep


def test_the_publish_check_counts_a_deep_programs_own_items_with_the_shared_ones(
    catalog: Session,
) -> None:
    deep = thin_deep_program(catalog)
    thin = "placement: “Finance controls” has 6 active items; a placement needs at least 10"
    assert thin in publishing.publish_problems(catalog, deep)
    for k in range(4):
        new_item(catalog, f"fc-fin-{k}", "fin-controls", owner=deep.slug)
    assert publishing.publish_problems(catalog, deep) == []
    other = factories.boxed_program(catalog, ["fc-basics"], publish=False)
    composition.set_placement(catalog, other, "Ana", None, {"max_items": 10, "min_items": 3})
    assert thin in publishing.publish_problems(catalog, other)  # not given the deep's own


def test_bank_health_shows_department_items_apart_from_the_shared_bank(catalog: Session) -> None:
    deep = thin_deep_program(catalog)
    for k in range(3):
        new_item(catalog, f"fc-fin-{k}", "fin-controls", owner=deep.slug)
    health = competency_edits.bank_health(catalog, competency(catalog, "fin-controls"))
    assert health.active == 6
    assert [(bank.owner, bank.active) for bank in health.owned] == [(deep.slug, 3)]
    assert sum(n for _, n in health.owned[0].bands) == 3
    assert [(p.slug, n) for p, n in health.thin_placements] == [(deep.slug, 9)]


def test_a_deep_programs_audience_is_a_department(catalog: Session) -> None:
    deep = shipped(catalog, DEEP)
    draft = drafts.open_draft(catalog, deep, "Ana")
    settings = {"title": draft.title, "audience": {"kind": "anyone"}}
    with pytest.raises(Invalid) as refused:
        drafts.update_settings(catalog, draft, "Ana", None, settings)
    assert "department or group" in refused.value.errors["audience_kind"][0]
    renamed = {"title": draft.title, "audience": {"kind": "department", "name": "Treasury"}}
    drafts.update_settings(catalog, draft, "Ana", None, renamed)
    assert (draft.audience_kind, draft.audience_name) == ("department", "Treasury")
    file = {"id": "x", "title": "X", "depth": 4, "parent": {"id": "p", "version": 1}}
    with pytest.raises(ValueError, match="department or group"):
        ProgramIn.model_validate({**file, "audience": {"kind": "client", "name": "Acme"}})
