"""Geometry of the results chart (inline SVG): level bands on a θ axis, estimates with 95% CIs."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from learnpath.vocabulary import LEVELS

WIDTH, LEFT, RIGHT, ROW, TOP = 640, 170, 20, 44, 34
LOW, HIGH = -3.5, 3.5


@dataclass(frozen=True)
class Band:
    """A level band drawn as a shaded column with its name."""

    name: str
    x: float
    width: float
    shade: int


@dataclass(frozen=True)
class Mark:
    """One competency's row: θ̂ as a dot, its 95% interval as a bar (clipped to the axis)."""

    label: str
    y: float
    x: float
    low: float
    high: float
    text: str


@dataclass(frozen=True)
class Chart:
    """Everything the template needs to draw the SVG."""

    width: int
    height: int
    bands: list[Band]
    marks: list[Mark]
    ticks: list[tuple[float, str]]
    axis_y: float


def x_of(theta: float) -> float:
    """Horizontal position of θ (logits), clipped to the drawn axis."""
    clipped = min(max(theta, LOW), HIGH)
    return round(LEFT + (clipped - LOW) / (HIGH - LOW) * (WIDTH - LEFT - RIGHT), 1)


def ability_chart(estimates: Mapping[str, Mapping[str, Any]], bands: Mapping[str, float]) -> Chart:
    """The chart of an attempt's per-competency results under the program's level bands."""
    rows = [(slug, state) for slug, state in estimates.items() if state["n_items"] > 0]
    height = TOP + ROW * max(len(rows), 1) + 30
    bounds = [LOW] + [bands[level] for level in LEVELS[1:] if level in bands] + [HIGH]
    names = [LEVELS[0]] + [level for level in LEVELS[1:] if level in bands]
    drawn = [
        Band(name, x_of(lo), round(x_of(hi) - x_of(lo), 1), i % 2)
        for i, (name, lo, hi) in enumerate(zip(names, bounds, bounds[1:], strict=False))
    ]
    marks = [
        Mark(
            label=str(state.get("name", slug)),
            y=TOP + ROW * i + ROW / 2,
            x=x_of(state["theta"]),
            low=x_of(state["low"]),
            high=x_of(state["high"]),
            text=f"{state['level']} (θ {state['theta']:+.2f}, 95% {state['low']:+.2f} to "
            f"{state['high']:+.2f})",
        )
        for i, (slug, state) in enumerate(rows)
    ]
    ticks = [(x_of(t), f"{t:+d}" if t else "0") for t in range(-3, 4)]
    return Chart(WIDTH, height, drawn, marks, ticks, TOP + ROW * max(len(rows), 1))
