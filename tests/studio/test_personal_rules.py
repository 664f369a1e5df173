"""Segment rules of a personal draft in the studio: list, add, change, remove, reorder, refuse."""

from typing import Any

import pytest
from sqlmodel import Session, col, select

from learnpath.models import Module, Program, SegmentRule, SegmentRuleModule
from learnpath.services.catalog import composition, drafts, personal, publishing
from learnpath.services.catalog.authoring import Conflict, Invalid
from tests.factories import snapshot

PACE = {"name": "Finance eases in", "when": {"department": ["Finance"]}, "then": "pace"}


def team_lead_draft(db: Session) -> Program:
    """A new draft (v2) of the shipped personal program, with its five rules."""
    published = drafts.find(db, "team-lead-path", 1)
    assert published is not None
    return drafts.open_draft(db, published, "Ana")


def names(db: Session, program: Program) -> list[str]:
    return [v.data["name"] for v in personal.rules(db, program)]


def stored(db: Session, program: Program) -> list[tuple[Any, ...]]:
    """(name, action, format, minutes, module slugs, conditions) of each stored rule, in order."""
    out = []
    for rule in db.exec(
        select(SegmentRule)
        .where(SegmentRule.program_id == program.id)
        .order_by(col(SegmentRule.position))
    ).all():
        slugs = db.exec(
            select(Module.slug)
            .join(SegmentRuleModule, col(SegmentRuleModule.module_id) == Module.id)
            .where(SegmentRuleModule.rule_id == rule.id)
            .order_by(col(Module.slug))
        ).all()
        row = (rule.name, rule.action, rule.format, rule.minutes_per_week, list(slugs))
        out.append((*row, rule.conditions))
    return out


def test_rules_are_listed_in_order_with_a_sentence(catalog: Session) -> None:
    views = personal.rules(catalog, team_lead_draft(catalog))
    assert [v.position for v in views] == [0, 1, 2, 3, 4]
    first = views[0]
    assert first.data["then"] == "mandatory"
    assert [m.slug for m in first.modules] == ["fb-difficult-conversations", "fb-one-on-ones"]
    assert first.sentence == "role team-lead"
    assert views[3].sentence == "below proficient in project-management"


def test_a_rule_is_added_at_the_end_and_stored_as_a_file_would_store_it(catalog: Session) -> None:
    program = team_lead_draft(catalog)
    revision = program.revision
    data = {
        "name": "Slow deciders see the video",
        "when": {"decision_speed": ["slow"], "at_least": {"giving-feedback": "developing"}},
        "then": "prefer_format",
        "format": "video",
    }
    assert personal.add_rule(catalog, program, "Bo", revision, data) == 5
    assert stored(catalog, program)[-1] == (
        "Slow deciders see the video",
        "prefer_format",
        "video",
        None,
        [],
        data["when"],
    )
    assert (program.revision, program.updated_by) == (revision + 1, "Bo")
    assert personal.rules(catalog, program)[-1].data == data


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({**PACE}, "minutes_per_week", "'pace' needs minutes per week"),
        ({**PACE, "minutes_per_week": 99999}, "minutes_per_week", "less than or equal to 10080"),
        ({**PACE, "minutes_per_week": 60, "name": " "}, "name", "at least 1 character"),
        ({**PACE, "then": "include", "modules": ["no-such"]}, "modules", "unknown module"),
        ({**PACE, "minutes_per_week": 60, "when": {"tempo": ["quick"]}}, "tempo", "'slow'"),
        (
            {**PACE, "minutes_per_week": 60, "when": {"below": {"no-such": "expert"}}},
            "below",
            "unknown competency 'no-such'",
        ),
        (
            {**PACE, "minutes_per_week": 60, "when": {"at_least": {"data-literacy": "guru"}}},
            "at_least",
            "'expert'",
        ),
    ],
)
def test_a_bad_rule_names_the_field_and_changes_nothing(
    catalog: Session, data: dict[str, Any], field: str, message: str
) -> None:
    program = team_lead_draft(catalog)
    catalog.commit()
    before = snapshot(catalog)
    with pytest.raises(Invalid) as caught:
        personal.add_rule(catalog, program, "Bo", program.revision, data)
    catalog.rollback()
    assert message in " ".join(caught.value.errors[field])
    assert snapshot(catalog) == before


def test_a_rule_is_changed_in_place_and_the_others_keep_theirs(catalog: Session) -> None:
    program = team_lead_draft(catalog)
    before = stored(catalog, program)
    new = {**PACE, "minutes_per_week": 45}
    personal.update_rule(catalog, program, "Bo", None, 1, new)
    after = stored(catalog, program)
    assert after[1] == ("Finance eases in", "pace", "", 45, [], {"department": ["Finance"]})
    assert after[:1] + after[2:] == before[:1] + before[2:]


def test_rules_are_removed_and_moved_with_their_modules(catalog: Session) -> None:
    program = team_lead_draft(catalog)
    _, second, third, fourth, fifth = stored(catalog, program)
    personal.remove_rule(catalog, program, "Bo", None, 0)
    assert stored(catalog, program) == [second, third, fourth, fifth]
    personal.move_rule(catalog, program, "Bo", None, 3, -1)
    assert stored(catalog, program) == [second, third, fifth, fourth]
    with pytest.raises(Invalid) as caught:
        personal.move_rule(catalog, program, "Bo", None, 0, -1)
    assert caught.value.errors == {"rule": ["the rule is already at that end of the list"]}
    with pytest.raises(Invalid) as caught:
        personal.remove_rule(catalog, program, "Bo", None, 9)
    assert caught.value.errors == {"rule": ["there is no rule 10: reload the page"]}
    assert len(names(catalog, drafts.find(catalog, "team-lead-path", 1))) == 5  # type: ignore[arg-type]


def test_a_stale_form_is_a_conflict_and_a_published_version_is_frozen(catalog: Session) -> None:
    program = team_lead_draft(catalog)
    with pytest.raises(Conflict):
        personal.remove_rule(catalog, program, "Bo", program.revision - 1, 0)
    published = drafts.find(catalog, "team-lead-path", 1)
    assert published is not None
    with pytest.raises(Invalid) as caught:
        personal.remove_rule(catalog, published, "Bo", None, 0)
    assert "frozen" in caught.value.errors["status"][0]
    assert len(names(catalog, published)) == 5


def test_only_personal_programs_have_rules(catalog: Session) -> None:
    boxed = drafts.create_program(catalog, "Ana", "Charts at Work", 1)
    with pytest.raises(Invalid) as caught:
        personal.add_rule(catalog, boxed, "Ana", None, {**PACE, "minutes_per_week": 60})
    assert "personal (depth 5)" in caught.value.errors["then"][0]
    assert personal.rules(catalog, boxed) == []


def test_describe_puts_a_condition_in_words() -> None:
    when = {
        "role": ["lead", "manager"],
        "interests": ["charts"],
        "behaviour": ["customizer"],
        "at_least": {"data-literacy": "advanced"},
    }
    assert personal.describe(when) == (
        "role lead or manager · interested in charts · behaviour customizer"
        " · at least advanced in data-literacy"
    )
    assert personal.describe({}) == "everyone"


def _analyst_target(db: Session, program: Program, *, drop: tuple[str, ...] = ()) -> list[str]:
    """Analysts aim at advanced in project management; the listed pool modules are removed."""
    composition.set_target(db, program, "Ana", None, "project-management", "advanced", "analyst")
    for slug in drop:
        composition.remove_module(db, program, "Ana", None, slug)
    return [r for r in publishing.publish_problems(db, program) if "role 'analyst'" in r]


def test_a_role_target_only_a_rule_excluded_module_reaches_is_refused(catalog: Session) -> None:
    program = team_lead_draft(catalog)
    assert _analyst_target(catalog, program) == []  # pm-tracking still reaches it
    assert _analyst_target(catalog, program, drop=("pm-tracking",)) == [
        "targets: role 'analyst' aims at advanced in “Project management”, but rule “Individual "
        "contributors skip the iterative-delivery case” excludes for that role every pool module "
        "that builds it (“Iterative delivery: when and how”)"
    ]


def test_a_later_rule_that_may_bring_the_module_back_makes_it_reachable(catalog: Session) -> None:
    program = team_lead_draft(catalog)
    back = {"name": "Agile fans", "when": {"interests": ["agile"]}, "then": "include"}
    personal.add_rule(catalog, program, "Ana", None, {**back, "modules": ["pm-agile"]})
    assert _analyst_target(catalog, program, drop=("pm-tracking",)) == []


def test_an_exclusion_for_other_roles_or_some_learners_does_not_block(catalog: Session) -> None:
    program = team_lead_draft(catalog)
    personal.remove_rule(catalog, program, "Ana", None, 4)  # the analysts' exclusion
    some = {"name": "Some analysts", "when": {"role": ["analyst"], "tempo": ["slow"]}}
    personal.add_rule(
        catalog, program, "Ana", None, {**some, "then": "exclude", "modules": ["pm-agile"]}
    )
    leads = {"name": "Leads skip it", "when": {"role": ["team-lead"]}, "then": "exclude"}
    personal.add_rule(catalog, program, "Ana", None, {**leads, "modules": ["pm-agile"]})
    assert _analyst_target(catalog, program, drop=("pm-tracking",)) == []
