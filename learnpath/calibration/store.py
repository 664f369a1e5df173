"""A competency's responses as a matrix, and a calibration stored as a new inactive set.

Shared by `flask calibrate` and the studio's calibration job (learnpath/jobs/calibration.py).
Nothing here imports torch: `Calibration` is named for type checking only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from learnpath.calibration.matrix import Responses
from learnpath.models import Competency, ItemParameterSet
from learnpath.services.catalog.correlations import latent_correlations
from learnpath.services.catalog.parameter_sets import response_rows, save_calibrated

if TYPE_CHECKING:
    from learnpath.calibration.run import Calibration

Session = Any  # a sqlmodel Session (this layer may not import the database libraries)


def database_responses(session: Session, competency: Competency) -> Responses | None:
    """The competency's scored responses as a person × item matrix (None when there are none)."""
    items, rows = response_rows(session, competency)
    if not rows:
        return None
    matrix = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    return Responses(item_ids=items, matrix=matrix)


def store(
    session: Session, competency: Competency, base: ItemParameterSet, result: Calibration
) -> ItemParameterSet:
    """The calibrated items' (a, b) as a new inactive version over `base`, report included."""
    report = result.report()
    fitted = {
        i.item_id: (i.a, i.b)
        for i in result.items
        if i.status == "calibrated" and i.a is not None and i.b is not None
    }
    report["correlations"] = latent_correlations(session, competency)
    return save_calibrated(session, competency, base, fitted, report)
