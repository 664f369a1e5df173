"""Latent correlations between competencies, from learners placed in both (stored levels)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import fmean, pvariance
from typing import Any

from sqlmodel import Session, select

from learnpath.models import Competency, CompetencyLevel
from learnpath.services.catalog.banks import BankError, current_parameter_set

MIN_LEARNERS = 10
# A placement's prior correlation is kept within ±this (a 2 × 2 prior then stays well inside
# the joint core's loadings limit, learnpath.irt.joint.MAX_LOADING² ≈ .90).
MAX_PRIOR_R = 0.9


def _reliability(thetas: list[float], ses: list[float]) -> float:
    """Share of the observed θ variance that is not measurement error."""
    observed = pvariance(thetas)
    return max(0.0, 1 - fmean(se * se for se in ses) / observed) if observed > 0 else 0.0


def latent_correlations(session: Session, competency: Competency) -> dict[str, dict[str, Any]]:
    """Per other competency: observed θ correlation, disattenuated by both reliabilities, n."""
    rows = session.exec(select(CompetencyLevel, Competency.slug).join(Competency)).all()
    mine = {lv.learner_id: lv for lv, _ in rows if lv.competency_id == competency.id}
    others: dict[str, list[tuple[CompetencyLevel, CompetencyLevel]]] = {}
    for level, slug in rows:
        if level.competency_id != competency.id and level.learner_id in mine:
            others.setdefault(slug, []).append((mine[level.learner_id], level))
    found = {}
    for slug, pairs in sorted(others.items()):
        if len(pairs) < MIN_LEARNERS:
            continue
        x, y = [p.theta for p, _ in pairs], [q.theta for _, q in pairs]
        spread = math.sqrt(pvariance(x) * pvariance(y))
        if spread == 0:
            continue
        observed = (fmean(a * b for a, b in zip(x, y, strict=True)) - fmean(x) * fmean(y)) / spread
        both = _reliability(x, [p.se for p, _ in pairs]) * _reliability(y, [q.se for _, q in pairs])
        latent = max(-1.0, min(1.0, observed / math.sqrt(both))) if both > 0 else None
        found[slug] = {"observed": round(observed, 4), "latent": latent, "learners": len(pairs)}
    return found


def measured_correlations(
    session: Session, competencies: Sequence[Competency], default: float
) -> dict[str, dict[str, float]]:
    """r per pair (first slug < second) from the active sets' reports, else `default`, clipped.

    A pair's r is the `latent` value stored by the calibration of either competency's newest
    active parameter set (an inactive calibration is not used yet); when both carry one, the
    one from more learners wins (equal counts: their mean). Values are clipped to ±MAX_PRIOR_R
    so the joint prior stays positive definite.
    """
    reports = {c.slug: _report_correlations(session, c) for c in competencies}
    slugs = sorted(reports)
    out: dict[str, dict[str, float]] = {}
    for k, first in enumerate(slugs):
        for second in slugs[k + 1 :]:
            found = [
                r for r in (reports[first].get(second), reports[second].get(first)) if r is not None
            ]
            most = max((n for _, n in found), default=0)
            r = fmean(v for v, n in found if n == most) if found else default
            out.setdefault(first, {})[second] = round(max(-MAX_PRIOR_R, min(MAX_PRIOR_R, r)), 4)
    return out


def _report_correlations(session: Session, competency: Competency) -> dict[str, tuple[float, int]]:
    """(latent r, learners) per other slug in the report of the competency's active set."""
    try:
        report = current_parameter_set(session, competency).report or {}
    except BankError:
        return {}
    found = report.get("correlations") or {}
    return {
        slug: (float(entry["latent"]), int(entry.get("learners") or 0))
        for slug, entry in found.items()
        if isinstance(entry, dict) and entry.get("latent") is not None
    }
