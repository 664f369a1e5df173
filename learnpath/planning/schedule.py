"""Planned weeks and dates at the learner's weekly pace, and whether the due date is met."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Schedule:
    """Week (1 = the week starting on `start`) and due-by date per planned step, and the outcome."""

    slots: list[tuple[int, date]]
    finish: date | None
    feasible: bool
    required_pace: int | None
    summary: str


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def schedule(minutes: list[int], start: date, pace: int, due: date | None) -> Schedule:
    """Spread the pace evenly over the days of each week: a step is due the day its work ends."""
    slots: list[tuple[int, date]] = []
    total = 0
    for m in minutes:
        total += m
        day = max(0, _ceil_div(total * 7, pace) - 1)
        slots.append((day // 7 + 1, start + timedelta(days=day)))
    finish = slots[-1][1] if slots else None
    feasible = due is None or finish is None or finish <= due
    required = None if feasible else _required_pace(total, start, due)
    return Schedule(slots, finish, feasible, required, _summary(finish, due, feasible, required))


def _required_pace(total: int, start: date, due: date | None) -> int | None:
    """Minutes per week that would finish on the due date; None if it has passed."""
    if due is None or due < start:
        return None
    days = (due - start).days + 1
    return _ceil_div(total * 7, days)


def _summary(finish: date | None, due: date | None, feasible: bool, required: int | None) -> str:
    if finish is None:
        return "nothing left to plan"
    if due is None:
        return f"planned to finish by {finish.isoformat()}"
    if feasible:
        return f"planned to finish by {finish.isoformat()}, on time for {due.isoformat()}"
    late = (finish - due).days
    text = (
        f"cannot meet the due date {due.isoformat()}: at this pace it would finish on "
        f"{finish.isoformat()}, {late} day(s) late"
    )
    if required is not None:
        text += f"; {required} minutes a week would meet it"
    return text
