"""Geometry of the results chart (inline SVG): level bands on a θ axis, estimates with ranges.

Labels are laid out so that none overlaps another: band names that do not fit side by side go
to another line above the chart, and competency names longer than the left margin are shortened
(the full name stays in the row's tooltip and in the table below the chart).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from learnpath.vocabulary import LEVELS, certainty

WIDTH, LEFT, RIGHT, ROW = 640, 170, 20, 44
LOW, HIGH = -3.5, 3.5
BAND_FONT, ROW_FONT = 11, 13
# Average advance of a character as a share of the font size, generous for system-ui fonts.
CHAR_EM = 0.62
LINE, GAP = 14, 4  # one line of band names, and the least space between two names


@dataclass(frozen=True)
class Box:
    """A label's bounding box in SVG units."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: "Box") -> bool:
        """Whether the two boxes share any area."""
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )


@dataclass(frozen=True)
class Band:
    """A level band drawn as a shaded column, its name placed on line `y` above the rows."""

    name: str
    x: float
    width: float
    shade: int
    label_x: float
    label_y: float

    @property
    def box(self) -> Box:
        """Where the band's name is drawn."""
        half = text_width(self.name, BAND_FONT) / 2
        return Box(self.label_x - half, self.label_y - BAND_FONT, self.label_x + half, self.label_y)


@dataclass(frozen=True)
class Mark:
    """One competency's row: the estimate as a dot, its likely range as a bar (clipped)."""

    label: str
    name: str
    y: float
    x: float
    low: float
    high: float
    text: str

    @property
    def box(self) -> Box:
        """Where the row's name is drawn (left-aligned at x = 8)."""
        return Box(8, self.y + 4 - ROW_FONT, 8 + text_width(self.label, ROW_FONT), self.y + 4)


@dataclass(frozen=True)
class Chart:
    """Everything the template needs to draw the SVG."""

    width: int
    height: int
    top: float
    bands: list[Band]
    marks: list[Mark]
    axis_y: float

    def boxes(self) -> list[Box]:
        """Every label's box, for the overlap test."""
        return [b.box for b in self.bands] + [m.box for m in self.marks]


def text_width(text: str, font: int) -> float:
    """An upper estimate of a label's width in SVG units."""
    return len(text) * font * CHAR_EM


def x_of(theta: float) -> float:
    """Horizontal position of θ (logits), clipped to the drawn axis."""
    clipped = min(max(theta, LOW), HIGH)
    return round(LEFT + (clipped - LOW) / (HIGH - LOW) * (WIDTH - LEFT - RIGHT), 1)


def shorten(name: str, room: float, font: int) -> str:
    """The name cut with an ellipsis so that it fits in `room` units."""
    most = int(room // (font * CHAR_EM))
    return name if len(name) <= most else name[: max(most - 1, 1)].rstrip() + "…"


def _label_lines(spans: list[tuple[str, float]]) -> list[tuple[float, int]]:
    """Centre x and line of each band name: the first line where it clears the names on it."""
    placed: list[list[tuple[float, float]]] = []
    out = []
    for name, centre in spans:
        half = text_width(name, BAND_FONT) / 2
        centre = min(max(centre, LEFT + half), WIDTH - RIGHT - half)
        left, right = centre - half, centre + half
        line = next(
            (
                i
                for i, used in enumerate(placed)
                if all(right + GAP <= a or b + GAP <= left for a, b in used)
            ),
            len(placed),
        )
        if line == len(placed):
            placed.append([])
        placed[line].append((left, right))
        out.append((centre, line))
    return out


def ability_chart(estimates: Mapping[str, Mapping[str, Any]], bands: Mapping[str, float]) -> Chart:
    """The chart of an attempt's per-competency results under the program's level bands."""
    rows = [(slug, state) for slug, state in estimates.items() if state["n_items"] > 0]
    bounds = [LOW] + [bands[level] for level in LEVELS[1:] if level in bands] + [HIGH]
    names = [LEVELS[0]] + [level for level in LEVELS[1:] if level in bands]
    spans = [
        (name.capitalize(), x_of(lo), x_of(hi))
        for name, lo, hi in zip(names, bounds, bounds[1:], strict=False)
    ]
    lines = _label_lines([(name, (lo + hi) / 2) for name, lo, hi in spans])
    top = 10 + LINE * (max(line for _, line in lines) + 1) + 6
    drawn = [
        Band(name, lo, round(hi - lo, 1), i % 2, round(cx, 1), 10 + LINE * (line + 1) - 3)
        for i, ((name, lo, hi), (cx, line)) in enumerate(zip(spans, lines, strict=True))
    ]
    marks = [
        Mark(
            label=shorten(str(state.get("name", slug)), LEFT - 16, ROW_FONT),
            name=str(state.get("name", slug)),
            y=top + ROW * i + ROW / 2,
            x=x_of(state["theta"]),
            low=x_of(state["low"]),
            high=x_of(state["high"]),
            text=f"{str(state['level']).capitalize()}, {certainty(float(state['se']))}",
        )
        for i, (slug, state) in enumerate(rows)
    ]
    axis_y = top + ROW * max(len(rows), 1)
    return Chart(WIDTH, round(axis_y + 10), top, drawn, marks, axis_y)
