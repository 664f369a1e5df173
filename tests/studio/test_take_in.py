"""Taking in the parent's new version: a three-way merge into a new draft of the child."""

import pytest
from sqlmodel import Session, select

from learnpath.models import Competency, Program, ProgramOverlay, ProgramTarget
from learnpath.models.base import pk
from learnpath.services.catalog import (
    composition,
    derive,
    derived_modules,
    drafts,
    facilitation,
    overrides,
    publishing,
    takein,
)
from learnpath.services.catalog.authoring import Conflict, Invalid
from learnpath.services.catalog.derivation import derivation, derive_program, module_entries
from tests.factories import snapshot
from tests.studio.test_derivation_service import ESSENTIALS


def parent_v1(db: Session, target: str = "") -> Program:
    """A boxed program made and published in the studio, with a data-literacy target."""
    parent = drafts.create_program(db, "Ana", "Data at Acme", 1)
    for slug in ESSENTIALS:
        composition.add_module(db, parent, "Ana", None, slug)
    if target:
        composition.set_target(db, parent, "Ana", None, "data-literacy", target)
    publishing.publish(db, parent, "Ana", None)
    return parent


def parent_v2(db: Session, parent: Program, *removed: str, added: str = "") -> Program:
    """The parent's next version without some modules, with one more, in another format."""
    draft = drafts.open_draft(db, parent, "Ana")
    for slug in removed:
        composition.remove_module(db, draft, "Ana", None, slug)
    if added:
        composition.add_module(db, draft, "Ana", None, added)
    drafts.update_settings(db, draft, "Ana", None, {"title": draft.title, "format": "blended"})
    publishing.publish(db, draft, "Ana", None)
    return draft


def child_of(db: Session, parent: Program) -> Program:
    """A specialized child: swap, a move of data quality, an added module, a note, a target."""
    child = derive_program(db, parent, "Ana", 3, "Data for Acme", "Acme", "")
    derived_modules.swap_module(
        db, child, "Ana", None, "dl-reading-charts", "dl-reading-charts-video"
    )
    for _ in range(2):
        derived_modules.move_module(db, child, "Ana", None, "dl-data-quality", -1)
    derived_modules.add_module(db, child, "Ana", None, "pm-tracking", "dl-dashboards")
    facilitation.add_overlay(
        db, child, "Ana", None, {"kind": "example", "module": "dl-dashboards", "text": "Q3"}
    )
    overrides.override_target(db, child, parent, "Ana", None, "data-literacy", "advanced")
    return child


def modules(db: Session, program: Program) -> list[str]:
    return [m for m, _ in module_entries(db, program)]


def data_literacy(db: Session) -> int:
    return pk(db.exec(select(Competency).where(Competency.slug == "data-literacy")).one())


def test_the_parents_changes_are_applied_and_the_childs_kept(catalog: Session) -> None:
    parent = parent_v1(catalog)
    child = child_of(catalog, parent)
    v2 = parent_v2(catalog, parent, "dl-correlation-causation", added="dl-reading-charts-video")
    catalog.commit()
    before = snapshot(catalog)
    plan = takein.preview_take_in(catalog, child)
    assert snapshot(catalog) == before
    assert plan.theirs.id == v2.id and plan.conflicts[0].key == "added:dl-reading-charts-video"
    draft = takein.take_in(catalog, child, "Bo", child.revision)
    assert draft.id == child.id and draft.parent_id == v2.id and draft.updated_by == "Bo"
    assert modules(catalog, draft) == [
        "dl-data-types",
        "dl-data-quality",
        "dl-averages-and-spread",
        "dl-reading-charts-video",
        "dl-dashboards",
        "pm-tracking",
    ]
    d = derivation(catalog, draft)
    assert [m for m, _ in derive.apply_changes(d.parent_modules, d.changes)] == modules(
        catalog, draft
    )
    assert draft.format == "blended"  # the child left the format alone: it follows the parent
    target = catalog.get(ProgramTarget, (pk(draft), data_literacy(catalog), ""))
    assert target is not None and target.level == "advanced"


def test_a_published_child_gets_a_new_draft_and_keeps_its_version(catalog: Session) -> None:
    parent = parent_v1(catalog)
    child = child_of(catalog, parent)
    publishing.publish(catalog, child, "Ana", None)
    v2 = parent_v2(catalog, parent, added="dl-experiments")
    draft = takein.take_in(catalog, child, "Bo", None)
    assert (draft.slug, draft.version, draft.status, draft.parent_id) == (
        child.slug,
        2,
        "draft",
        v2.id,
    )
    assert child.parent_id == parent.id and child.status == "published"
    assert modules(catalog, draft)[-1] == "dl-experiments"
    notes = catalog.exec(select(ProgramOverlay).where(ProgramOverlay.program_id == draft.id))
    assert [(o.text, o.module_id is not None) for o in notes] == [("Q3", True)]


def test_conflicts_are_listed_and_resolved_as_the_author_chooses(catalog: Session) -> None:
    parent = parent_v1(catalog)
    child = child_of(catalog, parent)
    parent_v2(catalog, parent, "dl-data-quality", "dl-dashboards")
    plan = takein.preview_take_in(catalog, child)
    kinds = {c.key: c.kind for c in plan.conflicts}
    note = catalog.exec(select(ProgramOverlay).where(ProgramOverlay.program_id == child.id)).one()
    assert kinds == {"move:dl-data-quality": "removed_moved", f"note:{pk(note)}": "note"}
    assert "dl-data-quality" in plan.merged.modules  # kept unless the author drops it
    choices = {"move:dl-data-quality": "drop", f"note:{pk(note)}": "keep"}
    draft = takein.take_in(catalog, child, "Bo", None, choices)
    assert "dl-data-quality" not in modules(catalog, draft)
    kept = catalog.get(ProgramOverlay, pk(note))
    assert kept is not None and kept.module_id is None and kept.text == "Q3"


def test_an_override_the_new_parent_cannot_reach_is_a_conflict(catalog: Session) -> None:
    parent = parent_v1(catalog)
    child = derive_program(catalog, parent, "Ana", 3, "Data for Acme", "Acme", "")
    overrides.override_target(catalog, child, parent, "Ana", None, "data-literacy", "advanced")
    parent_v2(catalog, parent, "dl-correlation-causation", "dl-dashboards")
    plan = takein.preview_take_in(catalog, child)
    (conflict,) = plan.conflicts
    assert conflict.key == f"target:{data_literacy(catalog)}"
    assert conflict.message.endswith("from developing to proficient; you aim at advanced")
    assert plan.targets == {data_literacy(catalog): "proficient"}


def test_a_stale_form_or_no_newer_parent_is_refused(catalog: Session) -> None:
    parent = parent_v1(catalog)
    child = child_of(catalog, parent)
    with pytest.raises(Invalid, match="no newer published version"):
        takein.preview_take_in(catalog, child)
    parent_v2(catalog, parent, added="dl-experiments")
    catalog.commit()
    before = snapshot(catalog)
    with pytest.raises(Conflict):
        takein.take_in(catalog, child, "Bo", child.revision - 1)
    catalog.rollback()
    assert snapshot(catalog) == before


def test_a_facilitated_child_takes_the_new_modules_and_keeps_its_sessions(
    catalog: Session,
) -> None:
    parent = parent_v1(catalog)
    cohort = derive_program(catalog, parent, "Fay", 2, "Acme cohort", "Acme", "")
    session = {"title": "Kick-off", "date": "2027-01-28", "time": "09:30", "place": "Room 4"}
    facilitation.add_session(catalog, cohort, "Fay", None, session)
    v2 = parent_v2(catalog, parent, added="dl-experiments")
    draft = takein.take_in(catalog, cohort, "Fay", None)
    assert modules(catalog, draft) == modules(catalog, v2)
    assert derivation(catalog, draft).changes == []
    assert [s.title for s, _ in facilitation.sessions(catalog, draft)] == ["Kick-off"]


def test_a_parent_version_published_after_the_preview_is_refused(catalog: Session) -> None:
    parent = parent_v1(catalog)
    child = child_of(catalog, parent)
    seen = parent_v2(catalog, parent, added="dl-experiments")
    parent_v2(catalog, seen, added="pm-agile")
    with pytest.raises(Invalid, match="published v3 meanwhile"):
        takein.take_in(catalog, child, "Bo", None, theirs_id=pk(seen))
