"""Geometry of the studio's old-vs-new parameter plots (inline SVG, drawn by a template).

One square scatter per parameter: the active set's value across, the previewed set's up, the
identity line where an unchanged item sits, ticks on both axes. The same limits on both axes,
padded to round ticks, so distance from the line reads the same everywhere.
"""

import math
from dataclasses import dataclass

SIZE, MARGIN, PAD = 260, 44, 12  # panel side, room for ticks and axis titles, inner padding
TICKS = 5


@dataclass(frozen=True)
class Dot:
    """One item: where it is drawn and what its tooltip says."""

    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    """A tick value and its position along the x axis (`at`) and the y axis (`y`)."""

    at: float
    y: float
    text: str


@dataclass(frozen=True)
class Scatter:
    """Everything the template needs for one panel."""

    name: str  # "a" or "b"
    dots: list[Dot]
    ticks: list[Tick]
    low: float  # plot area edges in SVG units
    high: float
    size: int = SIZE + MARGIN


def _limits(values: list[float]) -> tuple[float, float, float]:
    """Rounded axis limits covering the values, and the tick step."""
    lo, hi = min(values, default=0.0), max(values, default=1.0)
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    raw = (hi - lo) / (TICKS - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def scatter(name: str, pairs: list[tuple[str, float, float]]) -> Scatter:
    """A panel of (label, old, new) pairs on shared, rounded axes."""
    lo, hi, step = _limits([v for _, old, new in pairs for v in (old, new)])
    low, high = float(MARGIN), float(MARGIN + SIZE - 2 * PAD)

    def place(value: float) -> float:
        return round(low + (value - lo) / (hi - lo) * (high - low), 1)

    def flip(value: float) -> float:
        return round(low + high - place(value), 1)

    dots = [
        Dot(place(old), flip(new), f"{label}: {name} {old:.2f} → {new:.2f}")
        for label, old, new in pairs
    ]
    count = round((hi - lo) / step) + 1
    values = [lo + k * step for k in range(count)]
    ticks = [Tick(place(v), flip(v), f"{v:g}") for v in values]
    return Scatter(name, dots, ticks, low, high)
