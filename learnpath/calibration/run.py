"""One calibration of a response matrix: screen items, fit two seeds, fit statistics, link."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from learnpath.calibration.estimate import Fit, Progress, fit_2pl, plateaued
from learnpath.calibration.itemfit import mean_squares, misfits
from learnpath.calibration.linking import Link, link
from learnpath.calibration.matrix import Responses

MODEL = "py-irt 0.7.1 2PL, SVI, priors centred on the current parameters"
# Prior SDs: items with current parameters are centred on them (log a ± .3, b ± 1, the spread
# of a bank); new items are centred on a = 1, b = 0 with wide priors (log a ± 1, b ± 3).
KNOWN_SD, NEW_SD = (0.3, 1.0), (1.0, 3.0)
SEED_AGREEMENT = 0.02  # two seeds must agree this closely on every b
DEFAULT_EPOCHS = 1000


class CalibrationError(ValueError):
    """Nothing can be calibrated (no responses, or too few for every item)."""


@dataclass
class ItemResult:
    """One item's outcome: new parameters, or its current ones kept and why."""

    item_id: str
    responses: int
    status: str  # calibrated | too-few | degenerate
    a: float | None = None
    b: float | None = None
    se_a: float | None = None
    se_b: float | None = None
    infit: float | None = None
    outfit: float | None = None
    misfit: bool = False


@dataclass
class Calibration:
    """The items' results with the run's facts, as stored in a parameter set's report."""

    items: list[ItemResult]
    persons: int
    seed: int
    converged: bool
    seed_difference_b: float
    loss_plateau: bool
    link: dict[str, Any] | None
    model: str = MODEL
    epochs: int = DEFAULT_EPOCHS
    notes: list[str] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        """JSON-ready summary (also the --output json of the command)."""
        return asdict(self)


def _screen(responses: Responses, min_responses: int) -> tuple[list[ItemResult], list[int]]:
    """Count responses per item; mark too-few and degenerate items; return fit columns."""
    results, usable = [], []
    for j, item in enumerate(responses.item_ids):
        column = responses.matrix[:, j]
        seen = column[~np.isnan(column)]
        status = "calibrated"
        if len(seen) < min_responses:
            status = "too-few"
        elif seen.min() == seen.max():
            status = "degenerate"
        else:
            usable.append(j)
        results.append(ItemResult(item_id=item, responses=len(seen), status=status))
    return results, usable


def calibrate(
    responses: Responses,
    current: Mapping[str, tuple[float, float]],
    *,
    min_responses: int = 200,
    seed: int = 0,
    epochs: int = DEFAULT_EPOCHS,
    progress: Progress | None = None,
) -> Calibration:
    """Calibrate the items with enough responses on the scale of the current parameters."""
    results, usable = _screen(responses, min_responses)
    if not usable:
        raise CalibrationError(
            f"no item has {min_responses} responses with both right and wrong answers; "
            "nothing was calibrated"
        )
    matrix = responses.matrix[:, usable]
    matrix = matrix[~np.all(np.isnan(matrix), axis=1)]
    ids = [responses.item_ids[j] for j in usable]
    prior_a = np.array([current.get(i, (1.0, 0.0))[0] for i in ids])
    prior_b = np.array([current.get(i, (1.0, 0.0))[1] for i in ids])
    sd_log_a = np.array([(KNOWN_SD if i in current else NEW_SD)[0] for i in ids])
    sd_b = np.array([(KNOWN_SD if i in current else NEW_SD)[1] for i in ids])

    def step(offset: int) -> Progress | None:
        if progress is None:
            return None
        return lambda done, _total: progress(offset + done, 2 * epochs)

    fits = [
        fit_2pl(
            matrix,
            priors="informative",
            seed=s,
            epochs=epochs,
            prior_a=prior_a,
            prior_b=prior_b,
            prior_sd_log_a=sd_log_a,
            prior_sd_b=sd_b,
            progress=step(k * epochs),
        )
        for k, s in enumerate((seed, seed + 1))
    ]
    fit = fits[0]
    difference = float(np.max(np.abs(fits[0].b - fits[1].b)))
    anchors = [k for k, i in enumerate(ids) if i in current]
    linked, a, b, se_a, se_b = _link(fit, prior_a, prior_b, anchors)
    infit, outfit = mean_squares(matrix, fit.theta, fit.a, fit.b)
    flags = misfits(infit, outfit)
    for k, j in enumerate(usable):
        item = results[j]
        item.a, item.b, item.se_a, item.se_b = (
            float(a[k]),
            float(b[k]),
            float(se_a[k]),
            float(se_b[k]),
        )
        item.infit, item.outfit, item.misfit = float(infit[k]), float(outfit[k]), bool(flags[k])
    plateau = all(plateaued(f.losses) for f in fits)
    return Calibration(
        items=results,
        persons=int(matrix.shape[0]),
        seed=seed,
        converged=plateau and difference <= SEED_AGREEMENT,
        seed_difference_b=difference,
        loss_plateau=plateau,
        link=None if linked is None else asdict(linked),
        epochs=epochs,
    )


def _link(
    fit: Fit, a_old: np.ndarray, b_old: np.ndarray, anchors: list[int]
) -> tuple[Link | None, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stocking–Lord over the anchors when there are three or more; else the fit's own scale."""
    if len(anchors) < 3:
        return None, fit.a, fit.b, fit.se_a, fit.se_b
    found = link(fit.a, fit.b, a_old, b_old, anchors)
    a, b = found.apply(fit.a, fit.b)
    return found, a, b, fit.se_a / found.A, fit.se_b * found.A
