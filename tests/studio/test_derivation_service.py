"""Derived programs in the studio: deriving, module changes, target overrides, the diff."""

from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import Session, select

from learnpath.models import Competency, Program, ProgramChange, ProgramTarget
from learnpath.models.base import pk
from learnpath.services.catalog import (
    composition,
    derive,
    derived_modules,
    facilitation,
    overrides,
)
from learnpath.services.catalog.authoring import Invalid
from learnpath.services.catalog.derivation import derivation, derive_program, module_entries
from learnpath.services.catalog.drafts import find
from learnpath.services.catalog.parent_diff import parent_diff
from tests.factories import snapshot

ESSENTIALS = [
    "dl-data-types",
    "dl-averages-and-spread",
    "dl-reading-charts",
    "dl-data-quality",
    "dl-correlation-causation",
    "dl-dashboards",
]


def essentials(db: Session) -> Program:
    program = find(db, "data-literacy-essentials", 1)
    assert program is not None
    return program


def specialized(db: Session) -> Program:
    return derive_program(db, essentials(db), "Ana", 3, "Data for Acme", "Acme Ltd", "")


def order(db: Session, program: Program) -> list[str]:
    return [m for m, _ in module_entries(db, program)]


def test_a_derived_draft_starts_as_its_parent(catalog: Session) -> None:
    parent = essentials(catalog)
    catalog.add(ProgramTarget(program_id=pk(parent), competency_id=1, role="", level="advanced"))
    catalog.flush()
    child = specialized(catalog)
    assert (child.slug, child.version, child.status, child.depth) == (
        "data-for-acme",
        1,
        "draft",
        3,
    )
    assert child.parent_id == parent.id and child.updated_by == "Ana"
    assert (child.audience_kind, child.audience_name) == ("client", "Acme Ltd")
    assert child.placement == parent.placement and child.format == parent.format
    assert module_entries(catalog, child) == module_entries(catalog, parent)
    targets = catalog.exec(select(ProgramTarget).where(ProgramTarget.program_id == child.id))
    assert [(t.competency_id, t.level) for t in targets] == [(1, "advanced")]
    deep = derive_program(catalog, parent, "Ana", 4, "Data for Finance", "Finance", "")
    assert deep.audience_kind == "department"


@pytest.mark.parametrize(
    ("depth", "audience", "field"),
    [(1, "Acme", "depth"), (5, "Acme", "depth"), (3, "", "audience")],
)
def test_bad_derivations_name_the_field_and_change_nothing(
    catalog: Session, depth: int, audience: str, field: str
) -> None:
    before = snapshot(catalog)
    with pytest.raises(Invalid) as caught:
        derive_program(catalog, essentials(catalog), "Ana", depth, "Acme run", audience, "")
    assert field in caught.value.errors
    assert snapshot(catalog) == before


def test_only_a_published_version_is_derived_from(catalog: Session) -> None:
    child = specialized(catalog)
    with pytest.raises(Invalid, match="derive from a published version") as caught:
        derive_program(catalog, child, "Ana", 4, "Deeper", "Finance", "")
    assert list(caught.value.errors) == ["parent"]


def test_a_facilitated_program_cannot_derive_from_a_specialized_one(catalog: Session) -> None:
    northwind = find(catalog, "data-literacy-for-northwind", 1)
    assert northwind is not None
    with pytest.raises(Invalid, match="cannot derive from a specialized one"):
        derive_program(catalog, northwind, "Ana", 2, "Cohort", "Northwind", "")


def test_module_changes_are_stored_as_the_canonical_changes_of_the_list(catalog: Session) -> None:
    child = specialized(catalog)
    revision = child.revision
    derived_modules.drop_module(catalog, child, "Ana", None, "dl-correlation-causation")
    derived_modules.swap_module(
        catalog, child, "Ana", None, "dl-reading-charts", "dl-reading-charts-video"
    )
    derived_modules.move_module(catalog, child, "Ana", None, "dl-data-quality", -1)
    derived_modules.add_module(catalog, child, "Ana", None, "pm-tracking", "dl-dashboards")
    expected = [
        "dl-data-types",
        "dl-averages-and-spread",
        "dl-data-quality",
        "dl-reading-charts-video",
        "dl-dashboards",
        "pm-tracking",
    ]
    assert order(catalog, child) == expected
    d = derivation(catalog, child)
    assert [c.op for c in d.changes] == ["remove", "swap", "move", "add"]
    assert [m for m, _ in derive.apply_changes(d.parent_modules, d.changes)] == expected
    assert d.swaps == {"dl-reading-charts": "dl-reading-charts-video"}
    rows = catalog.exec(select(ProgramChange).where(ProgramChange.program_id == child.id)).all()
    assert len(rows) == 4 and child.revision == revision + 4


def test_restore_brings_a_module_back_in_the_parents_place(catalog: Session) -> None:
    child = specialized(catalog)
    derived_modules.drop_module(catalog, child, "Ana", None, "dl-averages-and-spread")
    derived_modules.swap_module(
        catalog, child, "Ana", None, "dl-reading-charts", "dl-reading-charts-video"
    )
    derived_modules.restore_module(catalog, child, "Ana", None, "dl-reading-charts")
    derived_modules.restore_module(catalog, child, "Ana", None, "dl-averages-and-spread")
    assert order(catalog, child) == ESSENTIALS
    assert derivation(catalog, child).changes == []


def _move_up(db: Session, p: Program) -> None:
    derived_modules.move_module(db, p, "Ana", None, "dl-averages-and-spread", -1)


def _add_too_early(db: Session, p: Program) -> None:
    derived_modules.add_module(db, p, "Ana", None, "dl-experiments", "")


def _swap_for_a_listed_module(db: Session, p: Program) -> None:
    derived_modules.swap_module(db, p, "Ana", None, "dl-data-types", "dl-data-quality")


def _drop_unknown(db: Session, p: Program) -> None:
    derived_modules.drop_module(db, p, "Ana", None, "pm-agile")


@pytest.mark.parametrize(
    ("act", "message"),
    [
        (_move_up, "“Averages, spread and outliers” requires “Kinds of data and how to summ"),
        (_add_too_early, "requires “Correlation, causation and confounders”, which must come"),
        (_swap_for_a_listed_module, "“Checking data quality before you trust a number” is already"),
        (_drop_unknown, "'pm-agile' is not in the program"),
    ],
)
def test_changes_that_break_the_program_are_refused_and_change_nothing(
    catalog: Session, act: Callable[[Session, Program], None], message: str
) -> None:
    child = specialized(catalog)
    catalog.commit()
    before = snapshot(catalog)
    with pytest.raises(Invalid, match=message):
        act(catalog, child)
    catalog.rollback()
    assert snapshot(catalog) == before


def test_a_module_with_a_facilitator_note_cannot_be_dropped(catalog: Session) -> None:
    child = specialized(catalog)
    facilitation.add_overlay(
        catalog, child, "Ana", None, {"kind": "note", "module": "dl-dashboards", "text": "Use Q3."}
    )
    with pytest.raises(Invalid, match="a facilitator note is about “Designing a dashboard"):
        derived_modules.drop_module(catalog, child, "Ana", None, "dl-dashboards")


def test_facilitated_and_published_programs_keep_their_modules(catalog: Session) -> None:
    cohort = derive_program(catalog, essentials(catalog), "Fay", 2, "Acme cohort", "Acme", "")
    with pytest.raises(Invalid, match="keeps its parent's modules"):
        derived_modules.drop_module(catalog, cohort, "Fay", None, "dl-dashboards")
    northwind = find(catalog, "data-literacy-for-northwind", 1)
    assert northwind is not None
    with pytest.raises(Invalid, match="frozen"):
        derived_modules.drop_module(catalog, northwind, "Ana", None, "dl-dashboards")


def data_literacy(db: Session) -> Competency:
    return db.exec(select(Competency).where(Competency.slug == "data-literacy")).one()


def test_targets_are_overridden_within_the_parents_bounds(catalog: Session) -> None:
    child = specialized(catalog)
    parent = essentials(catalog)
    rows = overrides.target_rows(catalog, child, parent)
    (row,) = [r for r in rows if r.competency.slug == "data-literacy"]
    assert (row.low, row.high, row.level, row.overridden) == (
        "developing",
        "advanced",
        "proficient",
        False,
    )
    overrides.override_target(catalog, child, parent, "Ana", None, "data-literacy", "advanced")
    stored = catalog.get(ProgramTarget, (pk(child), pk(data_literacy(catalog)), ""))
    assert stored is not None and stored.level == "advanced"
    with pytest.raises(Invalid, match="choose from developing to advanced") as caught:
        overrides.override_target(catalog, child, parent, "Ana", None, "data-literacy", "expert")
    assert list(caught.value.errors) == ["level"]
    with pytest.raises(Invalid, match="the parent builds no “Giving feedback as a team lead”"):
        overrides.override_target(catalog, child, parent, "Ana", None, "giving-feedback", "novice")
    overrides.reset_target(catalog, child, parent, "Ana", None, pk(data_literacy(catalog)))
    assert catalog.get(ProgramTarget, (pk(child), pk(data_literacy(catalog)), "")) is None


def test_the_diff_to_the_parent_names_every_kind_of_change(catalog: Session) -> None:
    child = specialized(catalog)
    parent = essentials(catalog)
    untouched = parent_diff(catalog, child)
    assert untouched is not None and untouched.modules.empty and untouched.targets == []
    assert untouched.settings == [("Audience", "anyone", "client: Acme Ltd")]
    derived_modules.drop_module(catalog, child, "Ana", None, "dl-correlation-causation")
    derived_modules.swap_module(
        catalog, child, "Ana", None, "dl-reading-charts", "dl-reading-charts-video"
    )
    for _ in range(2):  # two places up: no other reading of the lists but "quality moved"
        derived_modules.move_module(catalog, child, "Ana", None, "dl-data-quality", -1)
    derived_modules.add_module(catalog, child, "Ana", None, "pm-tracking", "dl-dashboards")
    overrides.override_target(catalog, child, parent, "Ana", None, "data-literacy", "advanced")
    child.format = "in-person"
    diff = parent_diff(catalog, child)
    assert diff is not None and diff.parent.id == parent.id
    assert diff.modules.added == ("pm-tracking",)
    assert diff.modules.removed == ("dl-correlation-causation",)
    assert diff.modules.swapped == (("dl-reading-charts", "dl-reading-charts-video"),)
    assert diff.modules.moved == ("dl-data-quality",)
    assert [(t.competency.slug, t.parent_level, t.level) for t in diff.targets] == [
        ("data-literacy", "proficient", "advanced")
    ]
    assert diff.settings == [
        ("Format", "online", "in-person"),
        ("Audience", "anyone", "client: Acme Ltd"),
    ]
    assert parent_diff(catalog, parent) is None


def test_sessions_are_checked_and_kept_in_date_order(catalog: Session) -> None:
    cohort = derive_program(catalog, essentials(catalog), "Fay", 2, "Acme cohort", "Acme", "")
    later = {"title": "Debrief", "date": "2027-02-04", "time": "14:00", "place": "Room 4"}
    facilitation.add_session(catalog, cohort, "Fay", None, later)
    first = {
        "title": "Kick-off",
        "date": date(2027, 1, 28),
        "time": "09:30",
        "minutes": 45,
        "url": "https://meet.example.com/acme",
        "module": "dl-data-types",
    }
    facilitation.add_session(catalog, cohort, "Fay", None, first)
    rows = facilitation.sessions(catalog, cohort)
    assert [(s.title, s.position, m.slug if m else None) for s, m in rows] == [
        ("Kick-off", 0, "dl-data-types"),
        ("Debrief", 1, None),
    ]
    facilitation.remove_session(catalog, cohort, "Fay", None, pk(rows[0][0]))
    assert [s.title for s, _ in facilitation.sessions(catalog, cohort)] == ["Debrief"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"place": "", "url": None}, "place"),
        ({"time": "25:00"}, "time"),
        ({"date": "next week"}, "date"),
        ({"url": "javascript:alert(1)", "place": ""}, "url"),
        ({"module": "pm-agile"}, "module"),
        ({"title": " "}, "title"),
    ],
)
def test_bad_sessions_name_the_field_and_change_nothing(
    catalog: Session, change: dict[str, object], field: str
) -> None:
    cohort = derive_program(catalog, essentials(catalog), "Fay", 2, "Acme cohort", "Acme", "")
    catalog.commit()
    before = snapshot(catalog)
    data = {"title": "Debrief", "date": "2027-02-04", "time": "14:00", "place": "Room 4", **change}
    with pytest.raises(Invalid) as caught:
        facilitation.add_session(catalog, cohort, "Fay", None, data)
    assert field in caught.value.errors
    catalog.rollback()
    assert snapshot(catalog) == before


def test_notes_examples_and_wording_are_added_edited_and_removed(catalog: Session) -> None:
    cohort = derive_program(catalog, essentials(catalog), "Fay", 2, "Acme cohort", "Acme", "")
    note = facilitation.add_overlay(
        catalog, cohort, "Fay", None, {"kind": "example", "module": "dl-dashboards", "text": "Q3"}
    )
    facilitation.add_overlay(catalog, cohort, "Fay", None, {"kind": "wording", "text": "drops"})
    facilitation.update_overlay(catalog, cohort, "Fay", None, pk(note), "Q4 dashboard")
    rows = facilitation.overlays(catalog, cohort)
    assert [(o.kind, o.text, o.position) for o, _ in rows] == [
        ("example", "Q4 dashboard", 0),
        ("wording", "drops", 1),
    ]
    with pytest.raises(Invalid) as caught:
        facilitation.add_overlay(catalog, cohort, "Fay", None, {"kind": "gossip", "text": "x"})
    assert list(caught.value.errors) == ["kind"]
    with pytest.raises(Invalid):
        facilitation.update_overlay(catalog, cohort, "Fay", None, pk(note), "   ")
    facilitation.remove_overlay(catalog, cohort, "Fay", None, pk(note))
    assert [o.kind for o, _ in facilitation.overlays(catalog, cohort)] == ["wording"]


def test_the_boxed_editor_does_not_change_a_derived_list(catalog: Session) -> None:
    child = specialized(catalog)
    with pytest.raises(Invalid, match="changes its parent's modules and targets"):
        composition.remove_module(catalog, child, "Ana", None, "dl-dashboards")
    with pytest.raises(Invalid, match="changes its parent's modules and targets"):
        composition.set_target(catalog, child, "Ana", None, "data-literacy", "expert")
    with pytest.raises(Invalid, match="keeps its parent's placement"):
        composition.set_placement(catalog, child, "Ana", None, None)
    deep = derive_program(catalog, essentials(catalog), "Ana", 4, "Data for Finance", "Fin", "")
    composition.set_placement(catalog, deep, "Ana", None, {"max_items": 12})
    assert deep.placement is not None and deep.placement["max_items"] == 12
    assert order(catalog, child) == ESSENTIALS
