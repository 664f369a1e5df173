"""Segment rules as data, and alternative formats of one module."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from planning_testkit import levels, make_input, mod, personal_fixture, program, rule

from learnpath.planning import (
    Adjustment,
    Completion,
    Learner,
    ModuleInfo,
    Program,
    Rule,
    Target,
    plan,
    validate_adjustment,
)


def _fixture(*rules: Rule) -> tuple[list[ModuleInfo], Program]:
    """The personal pool with rules; x-case is in the catalog but not in the pool."""
    modules, prog = personal_fixture()
    extra = mod("x-case", "x", "proficient", 50)
    return [*modules, extra], program(5, modules, targets=prog.targets, rules=rules)


def test_role_rule_makes_modules_mandatory_with_its_name() -> None:
    modules, prog = _fixture(rule("Leads go deep", "mandatory", ("b3",), roles=("lead",)))
    step = plan(make_input(prog, modules, Learner(role="lead"))).step("b3")
    assert (step.status, step.reason_code, step.mandatory) == ("planned", "rule_mandatory", True)
    assert step.reason_text == "role rule: Leads go deep"
    other = plan(make_input(prog, modules, Learner(role="analyst"))).step("b3")
    assert other.reason_code == "gap" and other.mandatory is False


def test_rules_can_add_a_module_from_outside_the_listed_pool() -> None:
    modules, prog = _fixture(rule("Finance case", "include", ("x-case",), departments=("Finance",)))
    result = plan(make_input(prog, modules, Learner(department="finance")))
    step = result.step("x-case")
    assert (step.status, step.reason_text) == ("planned", "department rule: Finance case")
    assert "x-case" not in [s.module for s in plan(make_input(prog, modules)).steps]


def test_exclude_rule_wins_over_gaps_and_the_pool_mandatory_flag() -> None:
    modules, prog = personal_fixture()
    prog = program(
        5,
        modules,
        mandatory=("a1",),
        targets=prog.targets,
        rules=(rule("Charts people skip basics", "exclude", ("a1", "a2"), interests=("charts",)),),
    )
    result = plan(make_input(prog, modules, Learner(interests=("charts",))))
    a1 = result.step("a1")
    assert (a1.status, a1.reason_code, a1.mandatory) == ("excluded", "rule_exclude", False)
    assert a1.reason_text == "interest rule: Charts people skip basics"
    assert "'a2' requires 'a1', which a rule leaves out" not in result.notes
    assert result.step("a2").status == "excluded"


def test_an_exclusion_a_later_rule_overrides_leaves_the_pool_mandatory_flag_alone() -> None:
    modules = [mod("m1"), mod("m2")]
    rules = (
        rule("Leads skip it", "exclude", ("m1",), roles=("lead",)),
        rule("Everyone takes it", "include", ("m1",)),
    )
    inp = make_input(program(5, modules, mandatory=("m1",), rules=rules), modules)
    step = plan(replace(inp, learner=Learner(role="lead"))).step("m1")
    assert (step.status, step.mandatory) == ("planned", True)
    refusal = validate_adjustment(
        replace(inp, learner=Learner(role="lead")), Adjustment("drop", "m1")
    )
    assert refusal is not None and refusal.code == "mandatory"


def test_a_planned_module_whose_prerequisite_a_rule_excludes_is_noted() -> None:
    modules, prog = personal_fixture()
    prog = program(5, modules, targets=prog.targets, rules=(rule("no a1", "exclude", ("a1",)),))
    result = plan(make_input(prog, modules))
    assert result.planned == ["a2", "b1"]
    assert result.notes == ("'a2' requires 'a1', which a rule leaves out",)


def test_below_rule_uses_the_point_estimate_and_unassessed_counts_as_below() -> None:
    modules, prog = _fixture(rule("Catch up", "include", ("b3",), below={"a": "proficient"}))
    assert plan(make_input(prog, modules)).step("b3").reason_text == "level rule: Catch up"
    ahead = Learner(levels=levels(a=(-0.4, 1.0)))
    assert plan(make_input(prog, modules, ahead)).step("b3").reason_code == "above_target"


def test_optional_rule_after_mandatory_makes_it_droppable_and_later_rules_win() -> None:
    modules, prog = _fixture(
        rule("Everyone", "mandatory", ("b3",)),
        rule("Analysts may skip", "optional", ("b3",), roles=("analyst",)),
    )
    step = plan(make_input(prog, modules, Learner(role="analyst"))).step("b3")
    assert (step.status, step.reason_code, step.mandatory) == ("planned", "rule_include", False)


def test_conditions_are_anded_across_fields() -> None:
    modules, prog = _fixture(
        rule("Finance leads", "include", ("x-case",), roles=("lead",), departments=("Finance",))
    )
    assert "x-case" not in plan(make_input(prog, modules, Learner(role="lead"))).planned
    both = Learner(role="lead", department="Finance")
    assert "x-case" in plan(make_input(prog, modules, both)).planned


ALTS = [
    mod("intro"),
    mod("charts", requires=("intro",)),
    mod("charts-video", requires=("intro",), alt="charts", fmt="video"),
    mod("dash", requires=("charts",)),
]


def test_one_format_of_an_alternative_group_is_planned() -> None:
    result = plan(make_input(program(1, ALTS, mandatory=("charts",)), ALTS))
    assert result.planned == ["intro", "charts", "dash"]
    video = result.step("charts-video")
    assert (video.status, video.reason_code) == ("excluded", "alternative")
    assert video.reason_text == "another format of *Charts*: you take that"
    assert result.step("charts").mandatory is True


def test_preferred_format_picks_the_default_alternative_and_meets_prerequisites() -> None:
    prog = program(1, ALTS, mandatory=("charts",))
    result = plan(make_input(prog, ALTS, Learner(preferred_formats=("video",))))
    assert result.planned == ["intro", "charts-video", "dash"]
    assert result.step("charts-video").mandatory is True


def test_a_completed_alternative_satisfies_the_group() -> None:
    done = Learner(completed=(Completion("charts-video", date(2026, 1, 2), 25),))
    result = plan(make_input(program(1, ALTS), ALTS, done))
    assert result.planned == ["intro", "dash"]
    assert result.steps[0].module == "charts-video"
    assert result.steps[0].completed_on == date(2026, 1, 2)
    assert (
        result.step("charts").reason_text == "another format of *Charts-Video*: you completed that"
    )


def test_a_prerequisite_is_met_by_an_alternative_when_the_original_is_not_listed() -> None:
    modules = [ALTS[0], ALTS[2], ALTS[3]]
    result = plan(make_input(program(3, modules), [*modules, ALTS[1]]))
    assert result.planned == ["intro", "charts-video", "dash"]
    assert result.notes == ()


def test_rule_driven_target_for_unknown_role_falls_back_to_default() -> None:
    assert Target("a", "proficient", {"lead": "advanced"}).level_for("intern") == "proficient"
