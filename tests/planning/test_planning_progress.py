"""What the plan keeps of progress: locks, completions outside the pool, late dates, verdicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from planning_testkit import CHAIN, START, make_input, mod, program, rule, with_adjustments

from learnpath.planning import (
    Adjustment,
    Completion,
    Learner,
    Plan,
    Target,
    plan,
    target_levels,
    validate_adjustment,
    verdict,
)

ALTS = [mod("a"), mod("a-video", alt="a", fmt="video"), mod("b", requires=("a",)), mod("c")]


def test_a_planned_module_waits_for_the_format_that_stands_for_its_prerequisite() -> None:
    inp = make_input(program(3, ALTS), ALTS, Learner(preferred_formats=("video",)))
    result = plan(inp)
    assert result.planned == ["a-video", "b", "c"]
    assert result.blocked_by == {"b": ("a-video",)}
    chose_reading = plan(with_adjustments(inp, Adjustment("alternative", "a")))
    assert chose_reading.blocked_by == {"b": ("a",)}


def test_a_completed_prerequisite_in_any_format_blocks_nothing() -> None:
    done = (Completion("a-video", START - timedelta(days=1)),)
    result = plan(make_input(program(3, ALTS), ALTS, Learner(completed=done)))
    assert result.step("a-video").status == "completed"
    assert result.blocked_by == {}


FINANCE = [mod("basics"), mod("fraud", requires=("basics",)), mod("month-end", requires=("fraud",))]


def _finance(department: str, done: tuple[Completion, ...] = ()) -> Plan:
    """Depth 5: only `basics` is listed; Finance staff get `fraud` by a rule."""
    prog = replace(
        program(5, FINANCE[:1], mandatory=("basics",)),
        rules=(
            rule("Finance staff take the case", "include", ("fraud",), departments=("Finance",)),
        ),
    )
    learner = Learner(department=department, completed=done)
    return plan(make_input(prog, FINANCE, learner))


def test_a_module_completed_before_it_left_the_pool_stays_completed() -> None:
    on = START - timedelta(days=3)
    done = (Completion("basics", on - timedelta(days=1)), Completion("fraud", on, 25.0))
    finance = _finance("Finance", done)
    assert finance.step("fraud").reason_text == f"completed on {on.isoformat()}"
    moved = _finance("Sales", done)
    step = moved.step("fraud")
    assert (step.status, step.reason_code, step.completed_on) == ("completed", "completed", on)
    assert step.reason_text == f"completed earlier, on {on.isoformat()}: no longer on your path"
    assert moved.modules("completed") == ["basics", "fraud"] and moved.planned == []
    assert moved.tempo.source == "modules"


def test_a_completion_outside_the_pool_cannot_be_adjusted_and_meets_prerequisites() -> None:
    prog = program(1, FINANCE[2:])
    done = (Completion("fraud", START - timedelta(days=2)),)
    inp = make_input(prog, FINANCE, Learner(completed=done))
    result = plan(inp)
    assert result.planned == ["month-end"] and result.blocked_by == {}
    assert not any("'fraud'" in note for note in result.notes)
    refusal = validate_adjustment(inp, Adjustment("drop", "fraud"))
    assert refusal is not None and refusal.code == "completed"


def test_a_stored_due_date_that_has_passed_is_kept_and_the_plan_says_it_is_late() -> None:
    due = START + timedelta(days=10)
    inp = make_input(program(1, CHAIN), CHAIN, adjustments=(Adjustment("due_date", due_date=due),))
    assert plan(inp).due == due and plan(inp).feasible
    later = replace(inp, start=due + timedelta(days=4))
    result = plan(later)
    assert result.refused == () and result.applied == inp.adjustments
    assert (result.due, result.feasible, result.required_pace) == (due, False, None)
    assert result.summary.startswith(f"cannot meet the due date {due.isoformat()}: at this pace")
    assert "it would finish on" in result.summary
    again = validate_adjustment(later, Adjustment("due_date", due_date=due))
    assert again is not None and again.code == "bad_due_date"
    assert validate_adjustment(later, Adjustment("due_date", due_date=date(2026, 6, 1))) is None


def test_targets_are_the_roles_the_default_or_proficient_for_every_competency_built() -> None:
    modules = [mod("a1", "a"), mod("b1", "b"), mod("x", "x")]
    targets = (Target("a", "developing", {"lead": "advanced"}), Target("t", "expert"))
    prog = program(5, modules[:2], targets=targets)
    lead = make_input(prog, modules, Learner(role="lead"))
    assert target_levels(lead) == {"a": "advanced", "b": "proficient", "t": "expert"}
    assert target_levels(replace(lead, learner=Learner()))["a"] == "developing"


def test_the_verdict_passes_fails_or_waits_for_a_measurement() -> None:
    modules = [mod("a1", "a"), mod("b1", "b")]
    inp = make_input(program(1, modules), modules)
    assert verdict(inp, {"a": "advanced", "b": "proficient"}) == "passed"
    assert verdict(inp, {"a": "advanced", "b": "developing"}) == "failed"
    assert verdict(inp, {"a": "developing"}) is None
    assert verdict(inp, {"a": "advanced", "b": ""}) is None  # a placeholder is not a measurement
