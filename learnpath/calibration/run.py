"""One calibration of a response matrix: screen items, estimate, fit statistics, link, pretest."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from learnpath.calibration.estimate import Progress
from learnpath.calibration.itemfit import Fitness, fits_note, item_fit
from learnpath.calibration.linking import Link, link
from learnpath.calibration.marginal import Marginal
from learnpath.calibration.matrix import Responses
from learnpath.calibration.polish import SEED_AGREEMENT, Estimate, estimate, fixed_anchor_fit
from learnpath.calibration.sumscore import FIT_ALPHA

MODEL = (
    "py-irt 0.7.1 2PL, SVI with priors centred on the current parameters, "
    "polished to the marginal MAP by EM (marginal ML for new items)"
)
DEFAULT_EPOCHS = 1000  # at most; SVI stops when its loss plateaus
MIN_FIXED_ANCHORS = 3  # items with current parameters needed to place pretest items
__all__ = ["SEED_AGREEMENT", "Calibration", "CalibrationError", "ItemResult", "calibrate"]


class CalibrationError(ValueError):
    """Nothing can be calibrated (no responses, or too few for every item)."""


@dataclass
class ItemResult:
    """One item's outcome: new parameters, or its current ones kept and why."""

    item_id: str
    responses: int
    status: str  # calibrated | too-few | degenerate | no-anchors (pretest without anchors)
    a: float | None = None
    b: float | None = None
    se_a: float | None = None
    se_b: float | None = None
    infit: float | None = None
    outfit: float | None = None
    misfit: bool = False
    sx2: float | None = None  # Orlando–Thissen S-X², its df and p (None: too few complete rows)
    sx2_df: int | None = None
    sx2_p: float | None = None
    pretest: bool = False
    proposed: bool = False  # a pretest item calibrated on the active scale that fits

    def set_fit(self, a: float, b: float, se_a: float, se_b: float, fit: Fitness) -> None:
        """Record the estimates and the item's fit statistics."""
        self.a, self.b, self.se_a, self.se_b = float(a), float(b), float(se_a), float(se_b)
        self.infit, self.outfit, self.misfit = fit.infit, fit.outfit, fit.misfit
        self.sx2, self.sx2_p = fit.sx2.statistic, fit.sx2.p
        self.sx2_df = fit.sx2.df if fit.sx2.p is not None else None


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
    svi_epochs: list[int] = field(default_factory=list)
    seed_difference_svi_b: float | None = None
    em_iterations: int | None = None
    fit_alpha: float = FIT_ALPHA
    proposed: list[str] = field(default_factory=list)

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
    pretest: Collection[str] = (),
    fit_alpha: float = FIT_ALPHA,
) -> Calibration:
    """Calibrate the items with enough responses on the scale of the current parameters.

    Items listed in `pretest` are estimated afterwards with the other items' current parameters
    held fixed (so on the active scale) and proposed for activation when they fit.
    """
    with threadpool_limits(1):  # one BLAS thread: many threads on shared cores are 10× slower
        results, usable = _screen(responses, min_responses)
        for item in results:
            item.pretest = item.item_id in pretest
        scored = [j for j in usable if not results[j].pretest]
        if not scored:
            raise CalibrationError(
                f"no item has {min_responses} responses with both right and wrong answers; "
                "nothing was calibrated"
            )
        ids = [responses.item_ids[j] for j in scored]
        matrix = _answered(responses.matrix[:, scored])
        found = estimate(matrix, ids, current, seed=seed, epochs=epochs, progress=progress)
        anchors = [k for k, i in enumerate(ids) if i in current]
        linked, a, b, se_a, se_b = _link(found.fit, *found.centres, anchors)
        fits = item_fit(matrix, found.fit, fit_alpha, min_responses)
        for k, j in enumerate(scored):
            results[j].set_fit(a[k], b[k], se_a[k], se_b[k], fits[k])
        notes = fits_note(matrix, min_responses)
        notes += _pretest(responses, results, usable, current, fit_alpha, min_responses)
    return _outcome(results, matrix, found, linked, seed, epochs, fit_alpha, notes)


def _outcome(
    results: list[ItemResult],
    matrix: np.ndarray,
    found: Estimate,
    linked: Link | None,
    seed: int,
    epochs: int,
    fit_alpha: float,
    notes: list[str],
) -> Calibration:
    """The run's facts around the item results."""
    return Calibration(
        items=results,
        persons=int(matrix.shape[0]),
        seed=seed,
        converged=found.converged,
        seed_difference_b=found.seed_difference_b,
        loss_plateau=found.loss_plateau,
        link=None if linked is None else asdict(linked),
        epochs=epochs,
        notes=notes,
        svi_epochs=found.svi_epochs,
        seed_difference_svi_b=found.seed_difference_svi_b,
        em_iterations=found.em_iterations,
        fit_alpha=fit_alpha,
        proposed=[i.item_id for i in results if i.proposed],
    )


def _answered(matrix: np.ndarray) -> np.ndarray:
    """The rows of persons who answered at least one of the columns."""
    return np.asarray(matrix[~np.all(np.isnan(matrix), axis=1)])


def _pretest(
    responses: Responses,
    results: list[ItemResult],
    usable: list[int],
    current: Mapping[str, tuple[float, float]],
    fit_alpha: float,
    min_responses: int,
) -> list[str]:
    """Fixed-anchor estimates of the usable pretest items; notes when they cannot be made."""
    new = [j for j in usable if results[j].pretest]
    fixed = [j for j, r in enumerate(results) if not r.pretest and r.item_id in current]
    if not new:
        return []
    if len(fixed) < MIN_FIXED_ANCHORS:
        for j in new:
            results[j].status = "no-anchors"
        return [f"pretest items need {MIN_FIXED_ANCHORS} items with current parameters"]
    columns = fixed + new
    matrix = _answered(responses.matrix[:, columns])
    anchor = [current[results[j].item_id] for j in fixed]
    fit = fixed_anchor_fit(matrix, np.array(anchor), len(new))
    fits = item_fit(matrix, fit, fit_alpha, min_responses)
    for k, j in enumerate(new, start=len(fixed)):
        results[j].set_fit(fit.a[k], fit.b[k], fit.se_a[k], fit.se_b[k], fits[k])
        results[j].proposed = not results[j].misfit
    return []


def _link(
    fit: Marginal, a_old: np.ndarray, b_old: np.ndarray, anchors: list[int]
) -> tuple[Link | None, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stocking–Lord over the anchors when there are three or more; else the fit's own scale."""
    if len(anchors) < 3:
        return None, fit.a, fit.b, fit.se_a, fit.se_b
    found = link(fit.a, fit.b, a_old, b_old, anchors)
    a, b = found.apply(fit.a, fit.b)
    return found, a, b, fit.se_a / found.A, fit.se_b * found.A
