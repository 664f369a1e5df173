"""Program drafts: create, settings, module order, targets, placement, optimistic locks."""

import pytest
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from learnpath.models import Module, Program, ProgramModule, ProgramTarget
from learnpath.services.catalog import composition, drafts
from learnpath.services.catalog.authoring import Conflict, Invalid
from tests.factories import snapshot


def new_draft(db: Session, *modules: str, depth: int = 1) -> Program:
    program = drafts.create_program(db, "Ana", "Charts at Work", depth)
    for slug in modules:
        composition.add_module(db, program, "Ana", None, slug)
    return program


def order(db: Session, program: Program) -> list[str]:
    return [e.module.slug for e in composition.entries(db, program)]


def test_a_new_draft_takes_its_id_from_the_title(catalog: Session) -> None:
    program = drafts.create_program(catalog, "Ana", "Charts at Work!", 1)
    assert (program.slug, program.version, program.status) == ("charts-at-work", 1, "draft")
    assert program.updated_by == "Ana"
    with pytest.raises(Invalid) as caught:
        drafts.create_program(catalog, "Ana", "Charts at Work", 1)
    assert caught.value.errors == {"id": ["'charts-at-work' is already taken"]}


def test_derived_depths_are_not_started_from_scratch(catalog: Session) -> None:
    with pytest.raises(Invalid) as caught:
        drafts.create_program(catalog, "Ana", "Client run", 2)
    assert "depth" in caught.value.errors


def test_bad_settings_name_the_field_and_change_nothing(catalog: Session) -> None:
    program = new_draft(catalog)
    catalog.commit()
    before = snapshot(catalog)
    with pytest.raises(Invalid) as caught:
        drafts.update_settings(
            catalog, program, "Ana", program.revision, {"title": " ", "format": "radio"}
        )
    assert set(caught.value.errors) == {"title", "format"}
    catalog.rollback()
    assert snapshot(catalog) == before


def test_settings_are_saved_and_the_revision_moves(catalog: Session) -> None:
    program = new_draft(catalog)
    start = program.revision
    data = {
        "title": "Charts for Northwind",
        "summary": "Read *charts*.",
        "format": "blended",
        "audience": {"kind": "client", "name": "Northwind"},
        "checkpoints": "none",
    }
    drafts.update_settings(catalog, program, "Ben", start, data)
    catalog.commit()
    catalog.refresh(program)
    assert (program.title, program.format, program.audience_name) == (
        "Charts for Northwind",
        "blended",
        "Northwind",
    )
    assert program.checkpoints == "none"
    assert program.revision == start + 1 and program.updated_by == "Ben"


def test_a_save_from_an_older_form_is_a_conflict_naming_who(catalog: Session) -> None:
    program = new_draft(catalog)
    loaded = program.revision
    drafts.update_settings(catalog, program, "Ana", loaded, {"title": "First"})
    catalog.commit()
    with pytest.raises(Conflict) as caught:
        drafts.update_settings(catalog, program, "Ben", loaded, {"title": "Second"})
    assert caught.value.by == "Ana"
    assert "changed by Ana at" in str(caught.value)


def test_two_sessions_saving_at_once_cannot_both_win(catalog: Session) -> None:
    program = new_draft(catalog)
    catalog.commit()
    with Session(catalog.get_bind()) as other:
        theirs = other.get(Program, program.id)
        assert theirs is not None
        drafts.update_settings(other, theirs, "Ben", theirs.revision, {"title": "Ben's"})
        other.commit()
    # Our copy still holds the old revision: the UPDATE matches no row.
    with pytest.raises(StaleDataError):
        drafts.update_settings(catalog, program, "Ana", program.revision, {"title": "Ana's"})
    catalog.rollback()
    assert catalog.get(Program, program.id).title == "Ben's"  # type: ignore[union-attr]


def test_a_module_is_added_before_the_first_module_that_requires_it(catalog: Session) -> None:
    program = new_draft(catalog, "dl-averages-and-spread", "dl-reading-charts")
    composition.add_module(catalog, program, "Ana", None, "dl-data-types")
    assert order(catalog, program) == [
        "dl-data-types",
        "dl-averages-and-spread",
        "dl-reading-charts",
    ]
    with pytest.raises(Invalid) as caught:
        composition.add_module(catalog, program, "Ana", None, "dl-data-types")
    assert "already in the program" in caught.value.errors["module"][0]


def test_moving_above_a_prerequisite_is_refused_with_the_reason(catalog: Session) -> None:
    program = new_draft(catalog, "dl-data-types", "dl-averages-and-spread", "pm-project-basics")
    catalog.commit()
    before = snapshot(catalog)
    with pytest.raises(Invalid) as caught:
        composition.move_module(catalog, program, "Ana", None, "dl-averages-and-spread", -1)
    assert caught.value.errors["modules"] == [
        "“Averages, spread and outliers” requires “Kinds of data and how to summarize them”, "
        "which must come before it"
    ]
    catalog.rollback()
    assert snapshot(catalog) == before
    composition.move_module(catalog, program, "Ana", None, "pm-project-basics", -1)
    composition.move_module(catalog, program, "Ana", None, "pm-project-basics", -1)
    assert order(catalog, program) == [
        "pm-project-basics",
        "dl-data-types",
        "dl-averages-and-spread",
    ]


def test_a_dragged_order_is_saved_unless_it_breaks_a_prerequisite(catalog: Session) -> None:
    program = new_draft(catalog, "dl-data-types", "dl-averages-and-spread", "dl-data-quality")
    composition.set_mandatory(catalog, program, "Ana", None, "dl-data-quality", False)
    composition.reorder_modules(
        catalog,
        program,
        "Ben",
        program.revision,
        ["dl-data-types", "dl-data-quality", "dl-averages-and-spread"],
    )
    assert order(catalog, program) == ["dl-data-types", "dl-data-quality", "dl-averages-and-spread"]
    assert [e.mandatory for e in composition.entries(catalog, program)] == [True, False, True]
    assert program.updated_by == "Ben"
    catalog.commit()
    before = snapshot(catalog)
    with pytest.raises(Invalid) as caught:
        composition.reorder_modules(
            catalog,
            program,
            "Ben",
            None,
            ["dl-data-quality", "dl-data-types", "dl-averages-and-spread"],
        )
    assert caught.value.errors["modules"] == [
        "“Checking data quality before you trust a number” requires “Kinds of data and how to "
        "summarize them”, which must come before it"
    ]
    catalog.rollback()
    assert snapshot(catalog) == before


@pytest.mark.parametrize(
    "slugs",
    [
        ["dl-data-types"],
        ["dl-data-types", "dl-averages-and-spread", "dl-averages-and-spread"],
        ["dl-data-types", "dl-averages-and-spread", "pm-scope"],
    ],
)
def test_a_dragged_order_must_name_every_module_once(catalog: Session, slugs: list[str]) -> None:
    program = new_draft(catalog, "dl-data-types", "dl-averages-and-spread")
    catalog.commit()
    before = snapshot(catalog)
    with pytest.raises(Invalid) as caught:
        composition.reorder_modules(catalog, program, "Ana", None, slugs)
    assert caught.value.errors == {
        "modules": ["the list has changed since it was shown: reload the page"]
    }
    catalog.rollback()
    assert snapshot(catalog) == before


def test_a_pool_may_be_in_any_order_and_removal_and_mandatory_work(catalog: Session) -> None:
    program = new_draft(catalog, "dl-data-types", "dl-averages-and-spread", depth=5)
    composition.move_module(catalog, program, "Ana", None, "dl-averages-and-spread", -1)
    assert order(catalog, program) == ["dl-averages-and-spread", "dl-data-types"]
    assert [e.mandatory for e in composition.entries(catalog, program)] == [False, False]
    composition.set_mandatory(catalog, program, "Ana", None, "dl-data-types", True)
    composition.remove_module(catalog, program, "Ana", None, "dl-averages-and-spread")
    rows = catalog.exec(
        select(Module.slug, ProgramModule.mandatory, ProgramModule.position)
        .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
        .where(ProgramModule.program_id == program.id)
    ).all()
    assert [tuple(r) for r in rows] == [("dl-data-types", True, 0)]


def test_estimated_minutes_add_up_the_modules(catalog: Session) -> None:
    program = new_draft(catalog, "dl-data-types", "dl-averages-and-spread")
    minutes = catalog.exec(
        select(Module.minutes).where(
            col(Module.slug).in_(["dl-data-types", "dl-averages-and-spread"])
        )
    ).all()
    assert composition.estimated_minutes(composition.entries(catalog, program)) == sum(minutes)


def test_targets_by_role_only_in_personal_programs(catalog: Session) -> None:
    boxed = new_draft(catalog, "dl-data-types")
    composition.set_target(catalog, boxed, "Ana", None, "data-literacy", "proficient")
    composition.set_target(catalog, boxed, "Ana", None, "data-literacy", "advanced")
    assert [(t.role, t.level) for t, _ in composition.targets(catalog, boxed)] == [("", "advanced")]
    with pytest.raises(Invalid) as caught:
        composition.set_target(catalog, boxed, "Ana", None, "data-literacy", "expert", "analyst")
    assert "role" in caught.value.errors
    with pytest.raises(Invalid):
        composition.set_target(catalog, boxed, "Ana", None, "no-such-thing", "expert")
    with pytest.raises(Invalid):
        composition.set_target(catalog, boxed, "Ana", None, "data-literacy", "wizard")
    _, comp = composition.targets(catalog, boxed)[0]
    composition.remove_target(catalog, boxed, "Ana", None, comp.id, "")  # type: ignore[arg-type]
    assert (
        catalog.exec(select(ProgramTarget).where(ProgramTarget.program_id == boxed.id)).all() == []
    )


def test_placement_measures_only_competencies_the_modules_build(catalog: Session) -> None:
    program = new_draft(catalog, "dl-data-types")
    data = {"max_items": 12, "min_items": 4, "se_target": 0.4, "competencies": ["data-literacy"]}
    composition.set_placement(catalog, program, "Ana", None, {**data, "exposure": "maxinfo"})
    assert program.placement == {**data, "exposure": "maxinfo"}
    with pytest.raises(Invalid) as caught:
        composition.set_placement(
            catalog, program, "Ana", None, {**data, "competencies": ["giving-feedback"]}
        )
    assert "competencies" in caught.value.errors
    with pytest.raises(Invalid) as caught:
        composition.set_placement(catalog, program, "Ana", None, {**data, "min_items": 20})
    assert caught.value.errors == {"min_items": ["min_items (20) exceeds max_items (12)"]}
    composition.set_placement(catalog, program, "Ana", None, None)
    assert program.placement is None


def test_a_role_target_brings_the_default_the_planner_assumes(catalog: Session) -> None:
    personal = new_draft(catalog, "dl-data-types", depth=5)
    composition.set_target(catalog, personal, "Ana", None, "data-literacy", "advanced", "analyst")
    rows = composition.targets(catalog, personal)
    assert [(t.role, t.level) for t, _ in rows] == [("", "proficient"), ("analyst", "advanced")]
    comp_id = rows[0][1].id
    with pytest.raises(Invalid) as caught:
        composition.remove_target(catalog, personal, "Ana", None, comp_id, "")  # type: ignore[arg-type]
    assert "remove them first" in caught.value.errors["role"][0]
    composition.remove_target(catalog, personal, "Ana", None, comp_id, "analyst")  # type: ignore[arg-type]
    composition.remove_target(catalog, personal, "Ana", None, comp_id, "")  # type: ignore[arg-type]
    assert composition.targets(catalog, personal) == []


def test_a_placement_keeps_its_review_setting_when_the_studio_saves_it(catalog: Session) -> None:
    program = new_draft(catalog, "dl-data-types")
    data = {"max_items": 12, "min_items": 4, "se_target": 0.4}
    review = {"placement": True, "check": False, "checkpoint": True}
    composition.set_placement(catalog, program, "Ana", None, {**data, "review": review})
    assert program.placement is not None and program.placement["review"] == review
    composition.set_placement(catalog, program, "Ana", None, data)  # a form without it
    assert program.placement["review"] == review
    with pytest.raises(Invalid):
        composition.set_placement(catalog, program, "Ana", None, {**data, "review": {"x": 1}})
