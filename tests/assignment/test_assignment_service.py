"""Assigning to many: what a selection names, the preview, and a confirm that enrols once."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from learnpath.models import Enrollment, Learner
from learnpath.models.base import pk
from learnpath.services.learning import assignment, enrolment
from learnpath.services.learning.assignment import Selection
from tests import factories
from tests.api.conftest import program


def people(db: Session) -> dict[str, Learner]:
    """A manager in Sales with two reports (one in Finance), an analyst, a deactivated analyst."""
    boss = factories.learner(db, external_id="M1", department="Sales", role="manager")
    made = {
        "boss": boss,
        "ana": factories.learner(
            db, external_id="A1", department="Sales", role="analyst", manager_id=pk(boss)
        ),
        "bo": factories.learner(
            db, external_id="B1", department="Finance", role="analyst", manager_id=pk(boss)
        ),
        "cy": factories.learner(db, external_id="C1", department="finance ", role="lead"),
        "dee": factories.learner(
            db, external_id="D1", department="Sales", role="analyst", active=False
        ),
    }
    return made


def names(rows: list[Learner]) -> list[str]:
    return sorted(x.external_id for x in rows)


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection("person", "a1@example.com"), ["A1"]),
        (Selection("person", "B1"), ["B1"]),
        (Selection("department", "Sales"), ["A1", "M1"]),  # and D1, deactivated
        (Selection("department", "FINANCE"), ["B1"]),  # "finance " is another name
        (Selection("role", "analyst"), ["A1", "B1"]),
        (Selection("csv", roster_text="external_id\nA1\nC1\n"), ["A1", "C1"]),
    ],
)
def test_each_way_of_selecting_names_its_learners(
    catalog: Session, selection: Selection, expected: list[str]
) -> None:
    people(catalog)
    found = assignment.preview(catalog, program(catalog), selection)
    assert names(found.enrol) == expected


def test_a_managers_team_is_their_direct_reports(catalog: Session) -> None:
    boss = people(catalog)["boss"]
    found = assignment.preview(catalog, program(catalog), Selection("team", str(pk(boss))))
    assert names(found.enrol) == ["A1", "B1"]
    assert assignment.preview(catalog, program(catalog), Selection("team", "x")).enrol == []


def test_the_preview_sorts_people_and_names_unmatched_rows_by_line(catalog: Session) -> None:
    who = people(catalog)
    enrolment.enrol(catalog, who["ana"], program(catalog), "api")
    withdrawn, _ = enrolment.enrol(catalog, who["bo"], program(catalog), "api")
    enrolment.withdraw(catalog, withdrawn)
    rows = ["a1", "b1", "nobody", "D1", "m1"]
    text = "email\n" + "".join(f"{r}@example.com\n" for r in rows)
    before = factories.snapshot(catalog)
    found = assignment.preview(catalog, program(catalog), Selection("csv", roster_text=text))
    assert factories.snapshot(catalog) == before  # a preview writes nothing
    assert names(found.enrol) == ["M1"] and names(found.again) == ["B1"]
    assert names(found.already) == ["A1"] and names(found.inactive) == ["D1"]
    assert [(r.line, r.value) for r in found.unmatched] == [(4, "nobody@example.com")]


def test_confirm_enrols_in_one_go_and_a_second_confirm_enrols_nobody(catalog: Session) -> None:
    people(catalog)
    due = datetime(2027, 1, 31, 23, 59, 59, tzinfo=UTC)
    chosen = Selection("department", "Sales")
    found, changed = assignment.confirm(catalog, program(catalog), chosen, due)
    assert changed == 2 and names(found.enrol) == ["A1", "M1"]
    rows = catalog.exec(select(Enrollment)).all()
    assert len(rows) == 2 and {r.source for r in rows} == {"admin"}
    assert all(r.due_at is not None for r in rows)
    before = factories.snapshot(catalog)
    again, changed = assignment.confirm(catalog, program(catalog), chosen, due)
    assert changed == 0 and names(again.already) == ["A1", "M1"]
    assert factories.snapshot(catalog) == before


def test_the_fingerprint_changes_when_the_people_do(catalog: Session) -> None:
    people(catalog)
    chosen = Selection("role", "analyst")
    first = assignment.preview(catalog, program(catalog), chosen).fingerprint
    factories.learner(catalog, external_id="N1", role="analyst")
    assert assignment.preview(catalog, program(catalog), chosen).fingerprint != first


def test_a_refused_roster_or_an_unknown_way_raises_with_the_problems(catalog: Session) -> None:
    with pytest.raises(assignment.SelectionError) as refused:
        assignment.preview(catalog, program(catalog), Selection("csv", roster_text="x\n1\n"))
    assert refused.value.problems[0].startswith("line 1: the header row")
    with pytest.raises(assignment.SelectionError):
        assignment.preview(catalog, program(catalog), Selection("everyone"))


def test_choices_list_departments_roles_and_managers(catalog: Session) -> None:
    people(catalog)
    named = assignment.choices(catalog)
    assert [v for v, _ in named["department"]] == ["Finance", "Sales", "finance "]
    assert [v for v, _ in named["role"]] == ["analyst", "lead", "manager"]
    assert [label for _, label in named["team"]] == ["Learner M1's team"]
