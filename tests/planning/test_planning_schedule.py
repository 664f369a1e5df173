"""Tempo factor and the weekly schedule: planned weeks and dates, completions, due dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from planning_testkit import CHAIN, START, make_input, mod, program

from learnpath.planning import Completion, Learner, ResponseTime, plan

FOUR = [mod(f"m{i}", minutes=50) for i in range(1, 5)]


def test_weeks_and_dates_spread_the_pace_over_each_week() -> None:
    result = plan(make_input(program(1, FOUR), FOUR, Learner(pace_minutes_per_week=100)))
    # cumulative 50, 100, 150, 200 minutes → day ceil(m·7/100) − 1 = 3, 6, 10, 13
    assert [(s.planned_week, s.planned_date) for s in result.steps] == [
        (1, date(2026, 1, 8)),
        (1, date(2026, 1, 11)),
        (2, date(2026, 1, 15)),
        (2, date(2026, 1, 18)),
    ]
    assert result.finish == date(2026, 1, 18) and result.planned_minutes == 200
    assert result.summary == "planned to finish by 2026-01-18"


def test_a_plan_that_misses_the_due_date_says_so_and_when_it_would_finish() -> None:
    inp = make_input(program(1, FOUR), FOUR, Learner(pace_minutes_per_week=100))
    result = plan(replace(inp, due=date(2026, 1, 11)))
    assert (result.feasible, result.finish, result.required_pace) == (
        False,
        date(2026, 1, 18),
        200,
    )
    assert result.summary == (
        "cannot meet the due date 2026-01-11: at this pace it would finish on 2026-01-18, "
        "7 day(s) late; 200 minutes a week would meet it"
    )
    on_time = plan(replace(inp, due=date(2026, 1, 18)))
    assert on_time.feasible and on_time.required_pace is None


def test_completed_steps_keep_their_completion_and_come_first() -> None:
    done = (Completion("core", date(2026, 1, 2)), Completion("basics", date(2025, 12, 20)))
    result = plan(make_input(program(1, CHAIN), CHAIN, Learner(completed=done)))
    assert [(s.module, s.status, s.completed_on) for s in result.steps[:2]] == [
        ("basics", "completed", date(2025, 12, 20)),
        ("core", "completed", date(2026, 1, 2)),
    ]
    assert result.steps[0].reason_text == "completed on 2025-12-20"
    assert result.steps[0].planned_week is None
    assert result.planned == ["deep"] and result.steps[2].planned_date == date(2026, 1, 8)


def test_tempo_from_completed_modules_is_the_bounded_median_ratio() -> None:
    done = (
        Completion("basics", date(2026, 1, 1), 30),  # 20 estimated → 1.5
        Completion("core", date(2026, 1, 2), 45),  # 30 estimated → 1.5
        Completion("x", date(2026, 1, 3), 999),  # not in the catalog: ignored
    )
    result = plan(make_input(program(1, CHAIN), CHAIN, Learner(completed=done)))
    assert (result.tempo.factor, result.tempo.source) == (1.5, "modules")
    assert result.step("deep").planned_minutes == 90
    assert "1.50× the estimated time over 2 completed module(s)" in result.tempo.explanation


def test_tempo_is_bounded() -> None:
    done = (Completion("basics", date(2026, 1, 1), 200),)
    result = plan(make_input(program(1, CHAIN), CHAIN, Learner(completed=done)))
    assert result.tempo.factor == 2.0 and result.step("deep").planned_minutes == 120


@pytest.mark.parametrize(("ratio", "factor"), [(1.44, 1.2), (4.0, 1.25), (0.25, 0.8), (0.81, 0.9)])
def test_before_any_module_quiz_decision_speed_sets_the_tempo(ratio: float, factor: float) -> None:
    times = tuple(ResponseTime(ratio * 40, 40) for _ in range(5))
    result = plan(make_input(program(1, CHAIN), CHAIN, Learner(response_times=times)))
    assert (result.tempo.factor, result.tempo.source) == (factor, "quizzes")


def test_few_quiz_answers_leave_the_estimates_unchanged() -> None:
    times = tuple(ResponseTime(80, 40) for _ in range(4))
    result = plan(make_input(program(1, CHAIN), CHAIN, Learner(response_times=times)))
    assert (result.tempo.factor, result.tempo.source) == (1.0, "default")
    assert result.step("deep").planned_minutes == 60


def test_nothing_left_to_plan_is_feasible() -> None:
    done = tuple(Completion(m.id, START) for m in CHAIN)
    result = plan(make_input(program(1, CHAIN), CHAIN, Learner(completed=done), due=START))
    assert (result.finish, result.feasible, result.summary) == (None, True, "nothing left to plan")
