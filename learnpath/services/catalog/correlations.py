"""Latent correlations between competencies, from learners placed in both (stored levels)."""

from __future__ import annotations

import math
from statistics import fmean, pvariance
from typing import Any

from sqlmodel import Session, select

from learnpath.models import Competency, CompetencyLevel

MIN_LEARNERS = 10


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
