"""The default path at each depth: program order at 1–4, computed per learner at 5; test-out."""

from __future__ import annotations

from dataclasses import replace

import pytest
from planning_testkit import CHAIN, levels, make_input, mod, personal_fixture, program

from learnpath.planning import Learner, LevelEstimate, PlanningError, Target, plan


@pytest.mark.parametrize(
    ("depth", "text"),
    [
        (1, "in the program"),
        (2, "in the program (facilitated run)"),
        (3, "in the client's selection"),
        (4, "in the custom program"),
    ],
)
def test_depths_1_to_4_follow_the_program_list_for_everyone(depth: int, text: str) -> None:
    modules = [mod("z-first", minutes=10), mod("a-second", tags=("charts",)), *CHAIN]
    prog = program(depth, modules, mandatory=("z-first", "basics", "core", "deep"))
    lead = Learner(role="lead", department="Sales", interests=("charts",))
    other = Learner(role="analyst", interests=("finance",))
    plans = [plan(make_input(prog, modules, learner)) for learner in (lead, other)]
    expected = ["z-first", "a-second", "basics", "core", "deep"]
    assert plans[0].planned == plans[1].planned == expected
    first = plans[0].steps[0]
    assert (first.reason_code, first.reason_text, first.mandatory) == ("program", text, True)
    assert plans[0].step("a-second").mandatory is False


def test_depth_1_orders_by_prerequisites_even_if_the_list_does_not() -> None:
    modules = [CHAIN[1], CHAIN[0], CHAIN[2]]
    assert plan(make_input(program(1, modules), modules)).planned == ["basics", "core", "deep"]


def test_depth_1_ignores_targets_and_rules() -> None:
    from planning_testkit import rule

    prog = program(
        1, CHAIN, targets=(Target("c", "developing"),), rules=(rule("x", "exclude", ("deep",)),)
    )
    assert plan(make_input(prog, CHAIN)).planned == ["basics", "core", "deep"]


def test_placement_tests_out_a_learner_at_any_depth() -> None:
    learner = Learner(levels=levels(c=(0.0, 0.3)))  # θ − 1.645·0.3 = −0.49
    result = plan(make_input(program(1, CHAIN, mandatory=("basics",)), CHAIN, learner))
    basics, core = result.step("basics"), result.step("core")
    assert (basics.status, basics.reason_code, basics.reason_text) == (
        "waived",
        "tested_out",
        "Tested Out",
    )
    assert basics.mandatory is True and basics.completed_on is None
    assert (core.status, core.reason_code) == ("waived", "tested_out")  # −0.49 ≥ −0.5
    assert result.planned == ["deep"]


@pytest.mark.parametrize(
    ("theta", "se", "waived"),
    [(-0.5 + 1.645 * 0.3, 0.3, True), (-0.5 + 1.645 * 0.3 - 1e-9, 0.3, False), (2.0, 1.6, False)],
)
def test_test_out_takes_the_standard_error_into_account(
    theta: float, se: float, waived: bool
) -> None:
    learner = Learner(levels={"c": LevelEstimate(theta, se)})
    result = plan(make_input(program(1, CHAIN), CHAIN, learner))
    assert (result.step("core").status == "waived") is waived


@pytest.mark.parametrize(
    ("confidence", "z"), [(None, 1.645), (0.95, 1.6449), (0.9, 1.2816), (0.8, 0.8416)]
)
def test_the_programs_waiver_confidence_sets_the_test_out_margin(
    confidence: float | None, z: float
) -> None:
    prog = replace(program(1, CHAIN), waiver_confidence=confidence)
    status = []
    for margin in (z + 1e-3, z - 1e-3):  # θ − margin·SE on either side of core's bound −0.5
        learner = Learner(levels={"c": LevelEstimate(-0.5 + margin * 0.3, 0.3)})
        status.append(plan(make_input(prog, CHAIN, learner)).step("core").status)
    assert status == ["waived", "planned"]


def test_novice_modules_need_a_confident_developing_level() -> None:
    modules = [mod("intro", level="novice")]
    prog = program(1, modules)
    assert plan(make_input(prog, modules, Learner(levels=levels(c=-1.0)))).planned == []
    assert plan(make_input(prog, modules, Learner(levels=levels(c=-1.2)))).planned == ["intro"]


def test_program_level_bands_override_the_defaults() -> None:
    learner = Learner(levels=levels(c=(0.0, 0.3)))
    prog = program(1, CHAIN, bands={"proficient": 0.0, "advanced": 0.8})
    assert plan(make_input(prog, CHAIN, learner)).step("core").status == "planned"


def test_depth_5_plans_gaps_to_the_role_target_largest_gap_first() -> None:
    modules, prog = personal_fixture()
    learner = Learner(role="lead", levels=levels(a=-1.2, b=-1.0))  # developing in both
    result = plan(make_input(prog, modules, learner))
    # a: developing → advanced (gap 2); b: developing → developing (no gap)
    assert result.planned == ["a1", "a2", "a3"]
    assert result.step("a2").reason_text == "gap: level developing, target advanced"
    assert result.step("a1").reason_code == "gap"
    assert result.step("b1").status == "waived"  # −1.0 − 0.49 ≥ −1.5
    b2 = result.step("b2")
    assert (b2.status, b2.reason_code) == ("excluded", "above_target")
    assert b2.reason_text == "beyond your target: module proficient, target developing"


def test_depth_5_targets_depend_on_role() -> None:
    modules, prog = personal_fixture()
    analyst = Learner(role="analyst")
    result = plan(make_input(prog, modules, analyst))
    # not assessed: novice; a → proficient (gap 2), b → advanced (gap 3): b first
    assert result.planned == ["b1", "b2", "b3", "a1", "a2"]
    assert result.step("b1").reason_text == "gap: level not assessed, target advanced"
    assert result.step("a3").reason_code == "above_target"


def test_depth_5_interests_break_ties_between_equal_gaps() -> None:
    modules, prog = personal_fixture()
    prog = program(5, modules, targets=(Target("a", "proficient"), Target("b", "proficient")))
    plain = plan(make_input(prog, modules, Learner()))
    assert plain.planned == ["a1", "a2", "b1", "b2"]
    charted = make_input(prog, modules, Learner(interests=("CHARTS",)))
    # equal gaps and interest scores: the prerequisite a1 inherits a2's priority
    assert plan(charted).planned == ["a1", "a2", "b1", "b2"]
    modules[1] = mod("a2", "a", "proficient", 30, requires=("a1",))
    assert plan(make_input(prog, modules, Learner(interests=("charts",)))).planned == [
        "b1",
        "b2",
        "a1",
        "a2",
    ]


def test_depth_5_level_at_target_but_uncertain_is_planned_to_confirm() -> None:
    modules, prog = personal_fixture()
    learner = Learner(levels=levels(a=(-0.3, 0.4), b=(0.0, 0.2)))  # proficient, uncertain
    step = plan(make_input(prog, modules, learner)).step("a2")
    assert (step.status, step.reason_code) == ("planned", "unconfirmed")
    assert step.reason_text.startswith("to confirm: level proficient (fairly sure)")  # SE 0.40


def test_depth_5_without_target_excludes_and_mandatory_includes() -> None:
    modules = [mod("x1", "x"), mod("y1", "y")]
    prog = program(5, modules, mandatory=("y1",))
    result = plan(make_input(prog, modules))
    assert result.step("x1").reason_text == "not among your targets"
    y1 = result.step("y1")
    assert (y1.status, y1.reason_code, y1.mandatory) == ("planned", "mandatory", True)


def test_depth_5_pulls_in_prerequisites_beyond_the_target() -> None:
    modules = [mod("chart", "d", "advanced"), mod("track", "p", "developing", requires=("chart",))]
    prog = program(5, modules, targets=(Target("p", "developing"), Target("d", "novice")))
    result = plan(make_input(prog, modules))
    assert result.planned == ["chart", "track"]
    chart = result.step("chart")
    assert (chart.reason_code, chart.reason_text) == ("prerequisite", "prerequisite of *Track*")


def test_prerequisites_outside_the_program_are_noted() -> None:
    modules = [mod("b", requires=("elsewhere",))]
    result = plan(make_input(program(1, modules), modules))
    assert result.notes == (
        "'b' requires 'elsewhere', which is not in this program: assumed known",
    )


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        ([mod("a", requires=("b",)), mod("b", requires=("a",))], "cycle"),
        ([mod("a", level="guru")], "unknown level"),
    ],
)
def test_bad_input_raises_a_planning_error(modules: list, message: str) -> None:
    with pytest.raises(PlanningError, match=message):
        plan(make_input(program(1, modules), modules))


def test_a_module_missing_from_the_catalog_is_named() -> None:
    with pytest.raises(PlanningError, match="'core', not given"):
        plan(make_input(program(1, CHAIN), CHAIN[:1]))


def test_depth_5_novice_target_without_an_assessment_plans_novice_modules_to_confirm() -> None:
    modules = [mod("intro", "a", "novice"), mod("more", "a", "developing")]
    prog = program(5, modules, targets=(Target("a", "novice"),))
    result = plan(make_input(prog, modules))
    intro = result.step("intro")
    assert (intro.status, intro.reason_code) == ("planned", "unconfirmed")
    assert intro.reason_text == "level not assessed; target novice"
    assert result.step("more").reason_code == "above_target"


def test_a_target_no_module_builds_that_far_is_named_unreachable_for_the_authors() -> None:
    modules = [mod("s1", "sec", "developing"), mod("a1", "a", "proficient")]
    targets = (Target("sec", "proficient"), Target("a", "proficient"))
    inp = make_input(program(5, modules, targets=targets), modules)
    warning = (
        "target proficient in 'sec' is unreachable: the modules of this program open to the "
        "learner build it only up to developing"
    )
    assert plan(inp).warnings == (warning,)  # 'a' is reachable: a1 builds it to proficient
    assert warning not in plan(inp).learner_notes
    mastered = make_input(
        program(5, modules, targets=targets), modules, Learner(levels=levels(sec=0.0))
    )
    assert plan(mastered).warnings == ()  # already at the target: nothing to reach
