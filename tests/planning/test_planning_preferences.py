"""Rules on behaviour (decision speed, tempo, segments) and levels; format and pace rules."""

from __future__ import annotations

import pytest
from planning_testkit import levels, make_input, mod, program

from learnpath.planning import Adjustment, Condition, Learner, PlanningError, Rule, plan

MODULES = [mod("intro"), mod("extra", level="proficient")]


def _mandatory_extra(**when: object) -> list[Rule]:
    return [Rule("Extra practice", Condition(**when), "mandatory", ("extra",))]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("when", "field", "kind"),
    [
        ({"decision_speed": ("slow",)}, "speed_band", "decision-speed"),
        ({"tempo": ("slow",)}, "tempo_band", "tempo"),
        ({"behaviour": ("quiz-leaver",)}, "behaviour", "behaviour"),
    ],
)
def test_behaviour_conditions_match_only_learners_in_that_band(
    when: dict[str, tuple[str, ...]], field: str, kind: str
) -> None:
    prog = program(5, MODULES, rules=tuple(_mandatory_extra(**when)))
    value = ("quiz-leaver",) if field == "behaviour" else "slow"
    other = ("starter",) if field == "behaviour" else "fast"
    matched = plan(make_input(prog, MODULES, Learner(**{field: value}))).step("extra")
    assert (matched.status, matched.reason_code) == ("planned", "rule_mandatory")
    assert matched.reason_text == f"{kind} rule: Extra practice"
    for learner in (Learner(**{field: other}), Learner()):  # another band, and no data yet
        assert (
            plan(make_input(prog, MODULES, learner)).step("extra").reason_code != "rule_mandatory"
        )


def test_at_least_holds_from_that_level_up_and_not_for_the_unassessed() -> None:
    rules = _mandatory_extra(at_least={"c": "proficient"})
    prog = program(5, MODULES, rules=tuple(rules))

    def code(**thetas: float) -> str:
        learner = Learner(levels=levels(**thetas))
        return plan(make_input(prog, MODULES, learner)).step("extra").reason_code

    assert code(c=-0.4) == "rule_mandatory"  # proficient starts at -0.5
    assert code(c=-0.6) != "rule_mandatory"
    assert code() != "rule_mandatory"


FORMATS = [mod("sbi"), mod("sbi-video", alt="sbi", fmt="video")]


def _video_for_slow_deciders() -> Rule:
    return Rule(
        "Slow deciders watch", Condition(decision_speed=("slow",)), "prefer_format", (), "video"
    )


def test_a_format_rule_picks_the_format_for_matching_learners() -> None:
    prog = program(5, FORMATS, mandatory=("sbi",), rules=(_video_for_slow_deciders(),))
    slow = plan(make_input(prog, FORMATS, Learner(speed_band="slow")))
    assert list(slow.planned) == ["sbi-video"]
    assert slow.step("sbi").reason_code == "alternative"
    assert list(plan(make_input(prog, FORMATS, Learner())).planned) == ["sbi"]


def test_the_learners_own_format_preference_wins_over_a_format_rule() -> None:
    prog = program(5, FORMATS, mandatory=("sbi",), rules=(_video_for_slow_deciders(),))
    learner = Learner(speed_band="slow", preferred_formats=("reading",))
    assert list(plan(make_input(prog, FORMATS, learner)).planned) == ["sbi"]


def _hour_a_week_for_finance() -> Rule:
    return Rule("Finance paces", Condition(departments=("Finance",)), "pace", (), None, 60)


def test_a_pace_rule_sets_the_starting_weekly_time_and_says_so() -> None:
    prog = program(5, MODULES, mandatory=("intro",), rules=(_hour_a_week_for_finance(),))
    result = plan(make_input(prog, MODULES, Learner(department="finance")))
    assert result.pace_minutes_per_week == 60
    assert "weekly time 60 minutes (department rule: Finance paces)" in result.notes
    assert plan(make_input(prog, MODULES, Learner())).pace_minutes_per_week == 120


def test_a_weekly_time_the_learner_chose_wins_over_a_pace_rule() -> None:
    prog = program(5, MODULES, mandatory=("intro",), rules=(_hour_a_week_for_finance(),))
    chosen = Learner(department="finance", pace_minutes_per_week=200, pace_chosen=True)
    result = plan(make_input(prog, MODULES, chosen))
    assert result.pace_minutes_per_week == 200 and not result.notes
    adjusted = make_input(
        prog,
        MODULES,
        Learner(department="finance"),
        (Adjustment("pace", pace_minutes_per_week=90),),
    )
    assert plan(adjusted).pace_minutes_per_week == 90


def test_format_and_pace_rules_count_only_in_personal_programs() -> None:
    rules = (_video_for_slow_deciders(), _hour_a_week_for_finance())
    prog = program(1, FORMATS, rules=rules)
    result = plan(make_input(prog, FORMATS, Learner(speed_band="slow", department="Finance")))
    assert list(result.planned) == ["sbi"] and result.pace_minutes_per_week == 120


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (Rule("r", Condition(), "prefer_format"), "prefer_format needs a format"),
        (Rule("r", Condition(), "pace", (), None, 0), "pace must be 1 to 10080"),
        (Rule("r", Condition(), "shout"), "unknown action 'shout'"),  # type: ignore[arg-type]
    ],
)
def test_a_rule_missing_its_setting_is_refused(rule: Rule, message: str) -> None:
    with pytest.raises(PlanningError, match=message):
        plan(make_input(program(5, MODULES, rules=(rule,)), MODULES))
