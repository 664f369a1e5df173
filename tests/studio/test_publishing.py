"""Publishing: every reason a draft cannot go out, the freeze, and new versions."""

import pytest
from sqlmodel import Session, col, select

from learnpath.models import (
    Competency,
    Item,
    Module,
    ModulePrerequisite,
    Program,
    ProgramModule,
    ProgramTarget,
)
from learnpath.services.catalog import composition, drafts, publishing
from learnpath.services.catalog.authoring import Invalid
from tests.studio.test_program_service import new_draft, order


def module(db: Session, slug: str) -> Module:
    return db.exec(select(Module).where(Module.slug == slug)).one()


def test_a_sound_draft_is_published_and_frozen(catalog: Session) -> None:
    program = new_draft(catalog, "dl-data-types", "dl-averages-and-spread")
    assert publishing.publish_problems(catalog, program) == []
    publishing.publish(catalog, program, "Ana", program.revision)
    assert program.status == "published" and program.frozen_at is not None
    with pytest.raises(Invalid) as caught:
        drafts.update_settings(catalog, program, "Ana", None, {"title": "Changed"})
    assert "frozen" in caught.value.errors["status"][0]
    with pytest.raises(Invalid):
        composition.add_module(catalog, program, "Ana", None, "dl-reading-charts")


def test_an_empty_program_cannot_be_published(catalog: Session) -> None:
    program = new_draft(catalog)
    assert publishing.publish_problems(catalog, program) == ["a depth-1 program needs 'modules'"]
    with pytest.raises(publishing.Unpublishable):
        publishing.publish(catalog, program, "Ana", None)
    assert program.status == "draft"


def test_every_reason_is_listed_at_once(catalog: Session) -> None:
    """Order broken, a prerequisite cycle and a thin placement bank, all in one answer."""
    program = new_draft(catalog, "dl-data-types", "dl-averages-and-spread", "pm-project-basics")
    composition.set_placement(catalog, program, "Ana", None, {"max_items": 10})
    # A file import could have left the order broken; swap the rows behind the editor's back.
    rows = {
        r.module_id: r
        for r in catalog.exec(select(ProgramModule).where(ProgramModule.program_id == program.id))
    }
    first, second = module(catalog, "dl-data-types"), module(catalog, "dl-averages-and-spread")
    rows[first.id].position, rows[second.id].position = 1, 0  # type: ignore[index]
    catalog.add(ModulePrerequisite(module_id=first.id, requires_id=second.id))  # a cycle
    pm = catalog.exec(select(Competency).where(Competency.slug == "project-management")).one()
    for item in catalog.exec(select(Item).where(Item.competency_id == pm.id)).all()[5:]:
        item.status, item.active = "retired", False
        catalog.add(item)
    catalog.flush()
    reasons = publishing.publish_problems(catalog, program)
    assert any("prerequisite cycle among modules" in r for r in reasons)
    assert any("comes before its prerequisite" in r for r in reasons)
    assert "placement: “Project management” has 5 active items; a placement needs at least 10" in (
        reasons
    )


def test_a_personal_target_the_pool_cannot_reach_is_refused(catalog: Session) -> None:
    program = new_draft(catalog, "dl-data-types", depth=5)  # a developing module
    composition.set_target(catalog, program, "Ana", None, "data-literacy", "developing")
    composition.set_target(catalog, program, "Ana", None, "data-literacy", "expert", "analyst")
    assert publishing.publish_problems(catalog, program) == [
        "targets: role 'analyst' aims at expert in “Data literacy”, which is unreachable: no "
        "module of the pool builds it that far (the highest is developing)"
    ]


def test_a_derived_draft_needs_a_published_parent(catalog: Session) -> None:
    parent = new_draft(catalog, "dl-data-types")
    child = Program(slug="child", title="Child", depth=2, parent_id=parent.id)
    catalog.add(child)
    catalog.flush()
    catalog.add(
        ProgramModule(
            program_id=child.id,
            module_id=module(catalog, "dl-data-types").id,
            position=0,
            mandatory=True,
        )
    )  # type: ignore[arg-type]
    catalog.flush()
    reasons = publishing.publish_problems(catalog, child)
    assert reasons == ["parent: “Charts at Work” version 1 is draft, not published"]


def test_editing_a_published_version_opens_one_new_draft_with_everything(
    catalog: Session,
) -> None:
    program = new_draft(catalog, "dl-data-types", "dl-averages-and-spread")
    composition.set_target(catalog, program, "Ana", None, "data-literacy", "proficient")
    composition.set_placement(catalog, program, "Ana", None, {"max_items": 10})
    publishing.publish(catalog, program, "Ana", None)
    draft = drafts.open_draft(catalog, program, "Ben")
    assert (draft.slug, draft.version, draft.status, draft.frozen_at) == (
        program.slug,
        2,
        "draft",
        None,
    )
    assert order(catalog, draft) == order(catalog, program)
    assert draft.placement == program.placement
    targets = catalog.exec(select(ProgramTarget.level).where(ProgramTarget.program_id == draft.id))
    assert list(targets) == ["proficient"]
    assert drafts.open_draft(catalog, program, "Cy").id == draft.id  # not a second draft
    assert [p.version for p in drafts.versions(catalog, program.slug)] == [2, 1]


def test_retiring_keeps_the_version_but_takes_it_out_of_the_catalog(catalog: Session) -> None:
    program = new_draft(catalog, "dl-data-types")
    with pytest.raises(publishing.Unpublishable):
        publishing.retire(catalog, program, "Ana")
    publishing.publish(catalog, program, "Ana", None)
    publishing.retire(catalog, program, "Ana")
    assert catalog.exec(select(Program.status).where(col(Program.id) == program.id)).one() == (
        "retired"
    )


def test_the_shipped_drafts_state_their_reasons(catalog: Session) -> None:
    """Every shipped published program would pass the publish checks as a draft."""
    for program in catalog.exec(select(Program).where(Program.status == "published")).all():
        program.status = "draft"
        assert publishing.publish_problems(catalog, program) == [], program.slug
        program.status = "published"
