"""Pretest items are calibrated with the active items held fixed, on the active scale."""

import numpy as np

from learnpath.calibration.matrix import Responses
from learnpath.calibration.run import calibrate


def _population(shift: float, seed: int) -> tuple[Responses, dict[str, tuple[float, float]]]:
    """20 active items (current = truth) and pretest item p20 (a 1.4, b .8) seen by 60 %."""
    rng = np.random.default_rng(seed)
    a = np.append(rng.lognormal(0, 0.3, 20), 1.4)
    b = np.append(rng.normal(0, 1, 20), 0.8)
    theta = rng.normal(shift, 1, 3000)  # this cohort is abler than the scale's zero
    p = 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    matrix = (rng.random(p.shape) < p).astype(float)
    matrix[rng.random(3000) < 0.4, 20] = np.nan
    ids = [f"q{j}" for j in range(20)] + ["p20"]
    return Responses(ids, matrix), {ids[j]: (float(a[j]), float(b[j])) for j in range(20)}


def test_pretest_item_lands_on_the_active_scale_and_is_proposed() -> None:
    responses, current = _population(shift=0.7, seed=21)
    current["p20"] = (1.0, -1.0)  # the author's guess is neither an anchor nor a prior
    result = calibrate(responses, current, min_responses=200, epochs=300, pretest={"p20"})
    item = result.items[20]
    assert item.pretest and item.status == "calibrated" and item.responses > 1500
    assert abs(item.b - 0.8) < 0.12 and abs(item.a - 1.4) < 0.2  # type: ignore[operator]
    assert result.proposed == ["p20"] and not any(i.pretest for i in result.items[:20])


def test_pretest_items_need_active_anchors() -> None:
    responses, _ = _population(shift=0.0, seed=22)
    result = calibrate(responses, {}, min_responses=200, epochs=100, pretest={"p20"})
    assert result.items[20].status == "no-anchors" and result.items[20].a is None
    assert result.proposed == [] and any("pretest items need 3" in n for n in result.notes)
