"""The results chart's labels never collide, whatever the levels and the program's bands.

Every label's box is an upper estimate of its drawn size (charts.text_width), so boxes that do
not overlap here do not overlap on the page. The test walks every combination of levels for up
to three competencies, under the default bands and under a program's narrow and uneven bands.
"""

from itertools import combinations, product

from hypothesis import given
from hypothesis import strategies as st

from learnpath.learner.charts import WIDTH, Box, Chart, ability_chart, text_width
from learnpath.vocabulary import DEFAULT_LEVEL_BANDS, LEVELS

NARROW = {"developing": -0.3, "proficient": -0.1, "advanced": 0.1, "expert": 0.3}
UNEVEN = {"developing": -3.2, "proficient": -3.0, "advanced": 2.9, "expert": 3.1}
BANDS = [dict(DEFAULT_LEVEL_BANDS), NARROW, UNEVEN]
NAMES = ["Data literacy", "Giving feedback and coaching conversations at work", "PM"]


def state(name: str, theta: float, se: float = 0.3) -> dict[str, object]:
    """One competency's stored result."""
    level = LEVELS[2]
    return {
        "name": name,
        "theta": theta,
        "se": se,
        "low": theta - 0.6,
        "high": theta + 0.6,
        "level": level,
        "n_items": 5,
    }


def collisions(chart: Chart) -> list[tuple[Box, Box]]:
    """Pairs of label boxes that overlap."""
    return [(a, b) for a, b in combinations(chart.boxes(), 2) if a.overlaps(b)]


def inside(chart: Chart) -> bool:
    """Every label lies within the drawing, and band names above the shaded columns."""
    boxes = chart.boxes()
    fits = all(b.left >= 0 and b.right <= WIDTH and b.top >= 0 for b in boxes)
    return fits and all(b.box.bottom <= chart.top for b in chart.bands)


def centre_of(level: int, bands: dict[str, float]) -> float:
    """A θ inside the band of `level` (clipped to the drawn axis)."""
    bounds = [-3.5, *bands.values(), 3.5]
    return (bounds[level] + bounds[level + 1]) / 2


def test_no_labels_collide_at_any_level_combination() -> None:
    checked = 0
    for bands in BANDS:
        for n in (1, 2, 3):
            for levels in product(range(len(LEVELS)), repeat=n):
                rows = {
                    f"c{i}": state(NAMES[i], centre_of(lv, bands)) for i, lv in enumerate(levels)
                }
                chart = ability_chart(rows, bands)
                assert not collisions(chart), (bands, levels)
                assert inside(chart), (bands, levels)
                checked += 1
    assert checked == 3 * (5 + 25 + 125)


def test_narrow_bands_put_their_names_on_more_lines_and_long_names_are_shortened() -> None:
    chart = ability_chart({"c": state(NAMES[1], 0.0)}, NARROW)
    assert len({b.label_y for b in chart.bands}) > 1  # side by side they would overlap
    [mark] = chart.marks
    assert mark.label.endswith("…") and mark.name == NAMES[1]
    assert text_width(mark.label, 13) <= 170 - 8
    wide = ability_chart({"c": state(NAMES[0], 0.0)}, dict(DEFAULT_LEVEL_BANDS))
    # The default bands are one logit (64 px) wide: "Proficient" and "Advanced" side by side
    # overlapped before (issue 15), so every other name goes up a line.
    assert len({b.label_y for b in wide.bands}) == 2


@given(
    st.lists(st.floats(-3.4, 3.4), min_size=4, max_size=4, unique=True).map(sorted),
    st.lists(st.floats(-6, 6), min_size=1, max_size=4),
)
def test_no_labels_collide_under_any_bands(bounds: list[float], thetas: list[float]) -> None:
    bands = dict(zip(LEVELS[1:], bounds, strict=True))
    rows = {f"c{i}": state(NAMES[i % 3], t) for i, t in enumerate(thetas)}
    chart = ability_chart(rows, bands)
    assert not collisions(chart)
    assert inside(chart)
