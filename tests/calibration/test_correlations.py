"""Latent competency correlations from learners with levels in two competencies."""

import numpy as np
from sqlmodel import Session, col, select

from learnpath.models import Competency, CompetencyLevel
from learnpath.services.catalog.correlations import latent_correlations
from tests import factories


def test_correlation_is_disattenuated_and_needs_enough_learners(catalog: Session) -> None:
    first, second, third = catalog.exec(select(Competency).order_by(col(Competency.id))).all()[:3]
    rng = np.random.default_rng(0)
    true = rng.multivariate_normal([0, 0], [[1, 0.6], [0.6, 1]], 400)
    for k, (x, y) in enumerate(true):
        person = factories.learner(catalog, f"C{k}")
        for competency, theta in ((first, x), (second, y)):
            observed = theta + rng.normal(0, 0.5)
            catalog.add(
                CompetencyLevel(
                    learner_id=person.id,
                    competency_id=competency.id,
                    theta=observed,
                    se=0.5,
                    level="novice",
                )
            )
        if k < 5:  # too few learners share the third competency
            catalog.add(
                CompetencyLevel(
                    learner_id=person.id, competency_id=third.id, theta=x, se=0.5, level="novice"
                )
            )
    catalog.flush()
    found = latent_correlations(catalog, first)
    assert set(found) == {second.slug}
    assert found[second.slug]["learners"] == 400
    assert found[second.slug]["observed"] < 0.55  # attenuated by the .5 measurement error
    assert abs(found[second.slug]["latent"] - 0.6) < 0.08
