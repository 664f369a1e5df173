"""Competencies, modules and items written in the studio: checked as files are, then saved."""

import pytest
from sqlmodel import Session, col, select

from learnpath.models import (
    Competency,
    CompetencyPrerequisite,
    Item,
    ItemParameter,
    Module,
    ModulePrerequisite,
    ModuleTag,
)
from learnpath.services.catalog import competency_edits, item_edits, module_edits
from learnpath.services.catalog.authoring import Conflict, Invalid
from learnpath.services.catalog.banks import competency_by_slug, load_bank
from learnpath.vocabulary import LEVELS
from tests.factories import snapshot

MODULE = {
    "id": "dl-pivot-tables",
    "title": "Pivot tables",
    "summary": "Summarize a table by two keys.",
    "competency": "data-literacy",
    "level": "proficient",
    "format": "exercise",
    "minutes": 25,
    "requires": ["dl-data-types"],
    "tags": ["spreadsheets"],
}
BODY = "## Goal\n\nBuild a pivot table.\n"
ITEM = {
    "id": "dl-900",
    "type": "single",
    "stem": "Which summary suits skewed data?",
    "options": [{"text": "The median", "correct": True}, {"text": "The mean"}],
    "explanation": "Outliers pull the mean.",
    "a": 1.1,
    "b": 0.4,
}


def test_a_new_module_is_written_with_prerequisites_and_tags(catalog: Session) -> None:
    module = module_edits.save_module(catalog, "Ana", MODULE, BODY)
    assert (module.title, module.minutes, module.updated_by) == ("Pivot tables", 25, "Ana")
    assert module.body == BODY
    reqs = catalog.exec(
        select(ModulePrerequisite.requires_id).where(ModulePrerequisite.module_id == module.id)
    ).all()
    assert reqs == [module_edits.find(catalog, "dl-data-types").id]  # type: ignore[union-attr]
    tags = catalog.exec(select(ModuleTag.tag).where(ModuleTag.module_id == module.id)).all()
    assert tags == ["spreadsheets"]


def test_a_module_prerequisite_cycle_is_refused_at_save(catalog: Session) -> None:
    catalog.commit()
    before = snapshot(catalog)
    types = module_edits.find(catalog, "dl-data-types")
    assert types is not None
    data = {**module_edits.fields_of(catalog, types), "requires": ["dl-dashboards"]}
    with pytest.raises(Invalid) as caught:
        module_edits.save_module(catalog, "Ana", data, types.body, types, types.revision)
    assert "prerequisite cycle among modules" in caught.value.errors["requires"][0]
    catalog.rollback()
    assert snapshot(catalog) == before


def test_bad_module_fields_name_the_field(catalog: Session) -> None:
    bad = {**MODULE, "minutes": 0, "competency": "astrology", "video": "ftp://x"}
    with pytest.raises(Invalid) as caught:
        module_edits.save_module(catalog, "Ana", bad, BODY)
    assert {"minutes", "video"} <= set(caught.value.errors)
    with pytest.raises(Invalid) as caught:
        module_edits.save_module(catalog, "Ana", {**MODULE, "competency": "astrology"}, BODY)
    assert caught.value.errors == {"competency": ["unknown competency 'astrology'"]}
    with pytest.raises(Invalid) as caught:
        module_edits.save_module(catalog, "Ana", MODULE, "  \n")
    assert "body" in caught.value.errors
    with pytest.raises(Invalid) as caught:
        module_edits.save_module(catalog, "Ana", {**MODULE, "video": "https://youtu.be/x"}, BODY)
    assert caught.value.errors == {"format": ["only a module of format 'video' has a 'video'"]}


def test_editing_a_module_keeps_its_id_and_checks_the_revision(catalog: Session) -> None:
    module = module_edits.save_module(catalog, "Ana", MODULE, BODY)
    loaded = module.revision
    changed = {**MODULE, "id": "renamed", "title": "Pivot tables, step by step"}
    module_edits.save_module(catalog, "Ben", changed, BODY, module, loaded)
    assert (module.slug, module.title, module.updated_by) == (
        "dl-pivot-tables",
        "Pivot tables, step by step",
        "Ben",
    )
    with pytest.raises(Conflict) as caught:
        module_edits.save_module(catalog, "Cy", MODULE, BODY, module, loaded)
    assert caught.value.by == "Ben"


def test_a_new_item_joins_the_expert_parameter_set_and_the_bank(catalog: Session) -> None:
    item = item_edits.save_item(catalog, "Ana", "data-literacy", ITEM)
    assert (item.kind, item.status, item.active) == ("single", "active", True)
    assert [o["correct"] for o in item.options] == [True, False]
    params = item_edits.expert_parameters(catalog, item)
    assert params is not None and (params.a, params.b, params.c, params.d) == (1.1, 0.4, 0, 1)
    bank = load_bank(catalog, [competency_by_slug(catalog, "data-literacy")])
    assert item.id in bank.item_ids


def test_a_retired_item_leaves_the_bank_and_bad_keys_are_refused(catalog: Session) -> None:
    item = item_edits.save_item(catalog, "Ana", "data-literacy", ITEM)
    item_edits.save_item(
        catalog, "Ana", "data-literacy", {**ITEM, "status": "retired"}, item, item.revision
    )
    assert (item.status, item.active) == ("retired", False)
    bank = load_bank(catalog, [competency_by_slug(catalog, "data-literacy")])
    assert item.id not in bank.item_ids
    two_keys = {**ITEM, "id": "dl-901", "options": [{"text": "A", "correct": True}] * 2}
    with pytest.raises(Invalid) as caught:
        item_edits.save_item(catalog, "Ana", "data-literacy", two_keys)
    assert "options" in caught.value.errors
    with pytest.raises(Invalid) as caught:
        item_edits.save_item(catalog, "Ana", "data-literacy", {**ITEM, "id": "dl-902", "a": 9})
    assert "a" in caught.value.errors


def test_an_item_stays_in_its_competency(catalog: Session) -> None:
    item = item_edits.save_item(catalog, "Ana", "data-literacy", ITEM)
    with pytest.raises(Invalid) as caught:
        item_edits.save_item(catalog, "Ana", "giving-feedback", ITEM, item, item.revision)
    assert "competency" in caught.value.errors


def test_competency_prerequisite_cycles_are_refused(catalog: Session) -> None:
    comp = competency_edits.save_competency(
        catalog, "Ana", {"id": "statistics", "name": "Statistics", "requires": ["data-literacy"]}
    )
    reqs = catalog.exec(
        select(CompetencyPrerequisite).where(CompetencyPrerequisite.competency_id == comp.id)
    ).all()
    assert len(reqs) == 1
    dl = competency_edits.find(catalog, "data-literacy")
    assert dl is not None
    data = {"name": dl.name, "description": dl.description, "requires": ["statistics"]}
    with pytest.raises(Invalid) as caught:
        competency_edits.save_competency(catalog, "Ana", data, dl, dl.revision)
    assert "prerequisite cycle among competencies" in caught.value.errors["requires"][0]


def test_bank_health_counts_bands_and_warns_for_thin_placement_banks(catalog: Session) -> None:
    dl = competency_edits.find(catalog, "data-literacy")
    assert dl is not None
    health = competency_edits.bank_health(catalog, dl)
    total = catalog.exec(select(Item).where(Item.competency_id == dl.id)).all()
    assert health.active == len(total) and sum(n for _, n in health.bands) == len(total)
    assert [level for level, _ in health.bands] == list(LEVELS)
    assert health.placements and not health.thin
    for item in total[15:]:
        item.status, item.active = "retired", False
        catalog.add(item)
    catalog.flush()
    health = competency_edits.bank_health(catalog, dl)
    assert health.active == 15 and health.thin
    assert health.by_status["retired"] == len(total) - 15


def test_module_list_counts_programs_using_each_module(catalog: Session) -> None:
    rows = {r.module.slug: r for r in module_edits.list_modules(catalog, "data-literacy")}
    assert {r.competency for r in rows.values()} == {"Data literacy"}
    used = module_edits.used_by(catalog, module_edits.find(catalog, "dl-dashboards"))  # type: ignore[arg-type]
    assert rows["dl-dashboards"].used_by == len(used) > 0
    unused = catalog.exec(select(Module).where(col(Module.slug) == "dl-experiments")).one()
    assert rows[unused.slug].used_by == len(module_edits.used_by(catalog, unused))


def test_parameters_of_existing_items_keep_their_guessing_values(catalog: Session) -> None:
    item = catalog.exec(select(Item).order_by(col(Item.id))).first()
    assert item is not None
    fields = item_edits.fields_of(catalog, item)
    item_edits.save_item(
        catalog,
        "Ana",
        catalog.get(Competency, item.competency_id).slug,  # type: ignore[union-attr]
        {**fields, "b": 0.25},
        item,
        item.revision,
    )
    params = catalog.exec(select(ItemParameter).where(ItemParameter.item_id == item.id)).all()
    assert [p.b for p in params] == [0.25]
