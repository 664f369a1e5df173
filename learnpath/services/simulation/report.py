"""The payoff figures of a simulated cohort, and the minutes-saved vs false-waivers plot (SVG)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from html import escape
from typing import Any

import numpy as np

from learnpath.services.simulation.payoff import Outcome


@dataclass(frozen=True)
class Summary:
    """Figures over all simulees of one run (minutes are the authors' module estimates)."""

    learners: int
    items_mean: float
    items_p90: float
    items_max: int
    planned_minutes: float  # mean per learner, the personal trajectory
    full_minutes: float  # mean per learner, the program's full module list
    saved_share: float  # 1 − planned / full, over all learners
    false_waivers: int
    missed_waivers: int
    waivers: int
    covered_share: float  # learners with every target covered
    seconds_per_learner: float

    @property
    def false_per_learner(self) -> float:
        """False waivers per learner."""
        return self.false_waivers / self.learners

    @property
    def false_share(self) -> float:
        """Share of the waived modules that are false (true level below the module's)."""
        return self.false_waivers / self.waivers if self.waivers else 0.0

    @property
    def kept_share(self) -> float:
        """Share of the truly mastered modules still planned (missed waivers)."""
        mastered = self.missed_waivers + self.waivers - self.false_waivers
        return self.missed_waivers / mastered if mastered else 0.0

    def to_json(self) -> dict[str, Any]:
        """Plain JSON, with the derived figures."""
        return {
            **asdict(self),
            "false_per_learner": self.false_per_learner,
            "false_share": self.false_share,
            "kept_share": self.kept_share,
        }


def summarize(outcomes: Sequence[Outcome]) -> Summary:
    """Sum up a run: items per placement, minutes, waivers, coverage and time per learner."""
    items = np.array([o.items for o in outcomes], dtype=float)
    planned = sum(o.planned_minutes for o in outcomes)
    full = sum(o.full_minutes for o in outcomes)
    n = len(outcomes)
    return Summary(
        learners=n,
        items_mean=float(items.mean()),
        items_p90=float(np.percentile(items, 90)),
        items_max=int(items.max()),
        planned_minutes=planned / n,
        full_minutes=full / n,
        saved_share=1.0 - planned / full if full else 0.0,
        false_waivers=sum(o.false_waivers for o in outcomes),
        missed_waivers=sum(o.missed_waivers for o in outcomes),
        waivers=sum(o.waived for o in outcomes),
        covered_share=sum(o.covered for o in outcomes) / n,
        seconds_per_learner=sum(o.seconds for o in outcomes) / n,
    )


WIDTH, HEIGHT, MARGIN = 560, 360, 60


def svg_plot(title: str, points: Sequence[tuple[str, Summary]]) -> str:
    """Minutes saved (%) against false waivers per learner, one labelled point per threshold."""
    xs = [s.false_per_learner for _, s in points]
    ys = [100 * s.saved_share for _, s in points]
    x_top = max([*xs, 0.1]) * 1.15
    y_low, y_top = max(0.0, min(ys) - 10), min(100.0, max(ys) + 10)

    def at(x: float, y: float) -> tuple[float, float]:
        """Pixel position of a (false waivers, % saved) pair."""
        px = MARGIN + (WIDTH - 2 * MARGIN) * x / x_top
        py = HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * (y - y_low) / (y_top - y_low)
        return round(px, 1), round(py, 1)

    spots = [at(x, y) for x, y in zip(xs, ys, strict=True)]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(spots))
    marks = _marks(points, spots)
    x0, y0 = at(0, y_low)
    x1, y1 = at(x_top, y_top)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12" role="img">'
        f"<title>{escape(title)}</title>"
        f'<text x="{MARGIN}" y="24" font-size="14">{escape(title)}</text>'
        f'<g stroke="#444"><line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}"/>'
        f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}"/></g>'
        f'<text x="{WIDTH / 2}" y="{HEIGHT - 18}" text-anchor="middle">'
        "false waivers per learner (module waived below its level)</text>"
        f'<text x="16" y="{HEIGHT / 2}" transform="rotate(-90 16 {HEIGHT / 2})" '
        'text-anchor="middle">study minutes saved (%)</text>'
        f'<text x="{x0}" y="{y0 + 16}" text-anchor="middle">0</text>'
        f'<text x="{x1}" y="{y0 + 16}" text-anchor="middle">{x_top:.2f}</text>'
        f'<text x="{x0 - 6}" y="{y1 + 4}" text-anchor="end">{y_top:.0f}</text>'
        f'<text x="{x0 - 6}" y="{y0 + 4}" text-anchor="end">{y_low:.0f}</text>'
        f'<path d="{path}" fill="none" stroke="#36c" stroke-width="2"/>'
        f'<g fill="#36c">{marks}</g></svg>\n'
    )


def _marks(points: Sequence[tuple[str, Summary]], spots: list[tuple[float, float]]) -> str:
    """A dot per point and its labels; runs that land on one point share it."""
    labels: dict[tuple[float, float], list[str]] = {}
    for (label, summary), spot in zip(points, spots, strict=True):
        labels.setdefault(spot, []).append(f"{label} ({summary.items_mean:.1f} questions)")
    return "".join(
        f'<circle cx="{px}" cy="{py}" r="4"/>'
        + "".join(
            f'<text x="{px + 7}" y="{py - 7 - 14 * i}">{escape(text)}</text>'
            for i, text in enumerate(texts)
        )
        for (px, py), texts in labels.items()
    )
