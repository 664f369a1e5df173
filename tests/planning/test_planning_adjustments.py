"""The learner's adjustments: each kind applied, each forbidden case refused with its reason."""

from __future__ import annotations

from datetime import date

import pytest
from planning_testkit import (
    CHAIN,
    START,
    levels,
    make_input,
    mod,
    personal_fixture,
    program,
    with_adjustments,
    with_levels,
)

from learnpath.planning import (
    Adjustment,
    AdjustmentRefused,
    Learner,
    PlanInput,
    Target,
    apply_adjustment,
    plan,
    validate_adjustment,
)

FLAT = [mod("m1", minutes=60), mod("m2", minutes=60), mod("m3", minutes=60, requires=("m1",))]


def _flat(due: date | None = None) -> PlanInput:
    """Depth 1: m1, m2, m3 (m3 requires m1); only m1 is mandatory."""
    return make_input(program(1, FLAT, mandatory=("m1",)), FLAT, due=due)


def _refusal(inp: PlanInput, adj: Adjustment) -> tuple[str, str]:
    refusal = validate_adjustment(inp, adj)
    assert refusal is not None
    return refusal.code, refusal.message


def test_move_before_after_and_to_a_position() -> None:
    inp = _flat()
    assert plan(with_adjustments(inp, Adjustment("move", "m2", before="m1"))).planned == [
        "m2",
        "m1",
        "m3",
    ]
    assert plan(with_adjustments(inp, Adjustment("move", "m2", after="m3"))).planned == [
        "m1",
        "m3",
        "m2",
    ]
    moved = plan(with_adjustments(inp, Adjustment("move", "m2", position=99)))
    assert moved.planned == ["m1", "m3", "m2"]
    assert moved.applied == (Adjustment("move", "m2", position=99),)


def test_move_before_a_prerequisite_is_refused_and_changes_nothing() -> None:
    inp = _flat()
    assert _refusal(inp, Adjustment("move", "m3", position=0)) == (
        "prerequisite",
        "*M3* cannot come before its prerequisite *M1*",
    )
    assert _refusal(inp, Adjustment("move", "m1", after="m3")) == (
        "prerequisite",
        "*M1* is a prerequisite of *M3*, which would then come before it",
    )
    bad = with_adjustments(inp, Adjustment("move", "m3", position=0))
    assert plan(bad).planned == plan(inp).planned
    assert plan(bad).applied == ()


@pytest.mark.parametrize(
    ("adj", "code"),
    [
        (Adjustment("move", "m2"), "bad_move"),
        (Adjustment("move", "m2", before="m1", position=1), "bad_move"),
        (Adjustment("move", "m2", position=-1), "bad_move"),
        (Adjustment("move", "m2", before="m2"), "bad_move"),
        (Adjustment("move", "nope", before="m1"), "not_in_pool"),
    ],
)
def test_malformed_moves_are_refused(adj: Adjustment, code: str) -> None:
    assert _refusal(_flat(), adj)[0] == code


def test_drop_an_optional_module_but_not_a_mandatory_one_or_a_prerequisite() -> None:
    inp = _flat()
    dropped = plan(with_adjustments(inp, Adjustment("drop", "m2"))).step("m2")
    assert (dropped.status, dropped.reason_code, dropped.reason_text) == (
        "excluded",
        "dropped",
        "dropped by you",
    )
    assert _refusal(inp, Adjustment("drop", "m1")) == (
        "mandatory",
        "*M1* is mandatory (the program)",
    )
    optional_m1 = make_input(program(1, FLAT), FLAT)
    assert _refusal(optional_m1, Adjustment("drop", "m1")) == (
        "prerequisite",
        "*M1* is a prerequisite of *M3* in your plan",
    )


def test_add_an_elective_from_the_pool_with_its_prerequisites() -> None:
    modules, prog = personal_fixture()
    inp = make_input(prog, modules, Learner(levels=levels(a=-2.0, b=-2.0)))
    assert plan(inp).step("a3").reason_code == "above_target"
    result = plan(with_adjustments(inp, Adjustment("add", "b3")))
    assert result.planned == ["a1", "a2", "b1", "b2", "b3"]
    b3, b2 = result.step("b3"), result.step("b2")
    assert (b3.reason_code, b3.reason_text) == ("elective", "added by you")
    assert (b2.reason_code, b2.reason_text) == ("prerequisite", "prerequisite of *B3*")


@pytest.mark.parametrize(
    ("adj", "code", "message"),
    [
        (Adjustment("add", "zz"), "not_in_pool", "'zz' is not in this program's pool"),
        (Adjustment("add", "a1"), "already_planned", "*A1* is already in your plan"),
        (Adjustment("add"), "bad_adjustment", "a 'add' adjustment names a module"),
    ],
)
def test_add_refusals(adj: Adjustment, code: str, message: str) -> None:
    modules, prog = personal_fixture()
    assert _refusal(make_input(prog, modules), adj) == (code, message)


def test_take_a_waived_module_anyway_and_drop_it_back_to_waived() -> None:
    inp = make_input(program(1, CHAIN, mandatory=("basics",)), CHAIN, Learner(levels=levels(c=0)))
    taken = plan(with_adjustments(inp, Adjustment("take_waived", "basics")))
    step = taken.step("basics")
    assert (step.status, step.reason_code) == ("planned", "taken_anyway")
    assert step.reason_text == "Tested Out, taken anyway at your request"
    assert taken.planned == ["basics", "deep"]

    back = plan(
        with_adjustments(inp, Adjustment("take_waived", "basics"), Adjustment("drop", "basics"))
    )
    assert back.step("basics").status == "waived"
    assert _refusal(inp, Adjustment("take_waived", "deep")) == (
        "not_waived",
        "*Deep* is not waived (in the program)",
    )


def test_a_module_taken_anyway_locks_nothing_after_it() -> None:
    """Tested Out means mastered: studying it again must not lock the module that builds on it."""
    developing = Learner(levels=levels(c=-1.0))  # basics waived, core and deep planned
    inp = make_input(program(1, CHAIN, mandatory=("basics",)), CHAIN, developing)
    taken = plan(with_adjustments(inp, Adjustment("take_waived", "basics")))
    assert taken.planned[0] == "basics" and taken.step("basics").status == "planned"
    assert taken.blocked_by == {"deep": ("core",)}  # core does not wait for basics
    novice = make_input(program(1, CHAIN, mandatory=("basics",)), CHAIN, Learner())
    assert plan(novice).blocked_by["core"] == ("basics",)  # one who needs basics waits for it


ALTS = [mod("a"), mod("a-video", alt="a", fmt="video"), mod("b", requires=("a",))]


def test_pick_an_alternative_format_keeps_the_place_and_mandatory_flag() -> None:
    inp = make_input(program(1, ALTS, mandatory=("a",)), ALTS)
    result = plan(with_adjustments(inp, Adjustment("alternative", "a-video")))
    assert result.planned == ["a-video", "b"]
    video = result.step("a-video")
    assert (video.reason_code, video.mandatory) == ("program", True)
    assert result.step("a").reason_text == "another format of *A-Video*: you take that"
    assert _refusal(inp, Adjustment("alternative", "b"))[0] == "no_alternative"
    assert _refusal(inp, Adjustment("alternative", "a"))[0] == "already_chosen"
    assert _refusal(inp, Adjustment("add", "a-video")) == (
        "alternative",
        "*A-Video* is another format of *A*: choose it as an alternative",
    )


def test_change_pace_and_due_date() -> None:
    inp = _flat(due=date(2026, 1, 18))
    base = plan(inp)  # 180 minutes at 120 a week: day ceil(180·7/120) − 1 = 10
    assert (base.finish, base.feasible) == (date(2026, 1, 15), True)
    slower = plan(with_adjustments(inp, Adjustment("pace", pace_minutes_per_week=60)))
    assert (slower.finish, slower.feasible, slower.required_pace) == (
        date(2026, 1, 25),
        False,
        90,
    )
    assert slower.summary.startswith("cannot meet the due date 2026-01-18")
    later = Adjustment("due_date", due_date=date(2026, 2, 1))
    assert plan(with_adjustments(inp, later)).due == date(2026, 2, 1)
    past = Adjustment("due_date", due_date=START.replace(day=1))
    assert _refusal(inp, past)[0] == "bad_due_date"
    assert _refusal(inp, Adjustment("pace", pace_minutes_per_week=0))[0] == "bad_pace"


def test_apply_adjustment_returns_the_new_input_or_raises_with_the_reason() -> None:
    inp = _flat()
    new, result = apply_adjustment(inp, Adjustment("drop", "m2"))
    assert new.adjustments == (Adjustment("drop", "m2"),)
    assert result.step("m2").status == "excluded"
    with pytest.raises(AdjustmentRefused, match="mandatory") as caught:
        apply_adjustment(inp, Adjustment("drop", "m1"))
    assert caught.value.refusal.code == "mandatory"


def test_adjustments_survive_replanning_and_invalid_ones_are_reported() -> None:
    inp = make_input(
        program(1, CHAIN),
        CHAIN,
        Learner(levels=levels(c=0.0)),
        adjustments=(
            Adjustment("take_waived", "core"),
            Adjustment("move", "deep", before="core"),
            Adjustment("pace", pace_minutes_per_week=60),
        ),
    )
    first = plan(inp)
    assert first.planned == ["core", "deep"]
    assert [r.code for r in first.refused] == ["prerequisite"]
    relevel = plan(with_levels(inp, levels(c=-3.0)))  # nothing waived any more
    assert relevel.planned == ["basics", "core", "deep"]
    assert [(r.adjustment.kind, r.code) for r in relevel.refused] == [
        ("take_waived", "not_waived"),
        ("move", "prerequisite"),
    ]
    assert relevel.pace_minutes_per_week == 60


def test_a_drop_made_void_by_a_later_addition_is_reported() -> None:
    modules, prog = personal_fixture()
    inp = make_input(
        prog,
        modules,
        Learner(levels=levels(a=-2.0, b=-2.0)),
        adjustments=(Adjustment("drop", "b1"), Adjustment("add", "b2")),
    )
    result = plan(inp)
    assert result.step("b1").reason_code == "prerequisite"
    assert [(r.adjustment, r.code) for r in result.refused] == [
        (Adjustment("drop", "b1"), "prerequisite")
    ]
    assert result.refused[0].message == "*B1* is needed again: prerequisite of *B2*"


PULL = [
    mod("chart", "d", "advanced"),
    mod("chart-video", "d", "advanced", alt="chart", fmt="video"),
    mod("track", "p", "developing", requires=("chart",)),
]


def _pull(learner: Learner | None = None) -> PlanInput:
    """Depth 5: track (a gap) pulls in chart (beyond the d target) as its prerequisite."""
    targets = (Target("p", "developing"), Target("d", "novice"))
    return make_input(program(5, PULL, targets=targets), PULL, learner)


def test_adjustments_see_pulled_in_prerequisites_as_the_learner_does() -> None:
    inp = _pull()
    assert plan(inp).step("chart").reason_text == "prerequisite of *Track*"
    assert _refusal(inp, Adjustment("drop", "chart")) == (
        "prerequisite",
        "*Chart* is a prerequisite of *Track* in your plan",
    )
    video = plan(with_adjustments(inp, Adjustment("alternative", "chart-video")))
    assert video.planned == ["chart-video", "track"]
    assert video.step("chart-video").reason_text == "prerequisite of *Track*"
    assert video.step("chart").reason_code == "alternative"


def test_dropping_a_module_releases_the_prerequisites_it_pulled_in() -> None:
    result = plan(with_adjustments(_pull(), Adjustment("drop", "track")))
    assert result.planned == []
    assert result.step("chart").reason_code == "above_target"


def test_a_pulled_in_module_waived_by_placement_can_be_taken_anyway() -> None:
    inp = _pull(Learner(levels=levels(d=(2.5, 0.3))))
    assert plan(inp).step("chart").status == "waived"
    taken = plan(with_adjustments(inp, Adjustment("take_waived", "chart")))
    assert taken.planned == ["chart", "track"]
    assert taken.step("chart").reason_code == "taken_anyway"
