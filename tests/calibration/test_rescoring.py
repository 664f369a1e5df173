"""Activation re-scores learners' levels; rolling back restores every one exactly."""

import numpy as np
import pytest
from sqlmodel import Session, select

from learnpath.irt import ItemBank
from learnpath.irt.quadrature import eap
from learnpath.models import CompetencyLevel
from learnpath.models.base import pk
from learnpath.services.catalog import activation, rescoring
from learnpath.services.catalog.banks import BankError, current_parameter_set
from learnpath.services.catalog.parameter_sets import current_parameters, save_calibrated
from tests.calibration.planted import levels, plant


def _moved(db: Session, planted, shift: float = 0.6):  # type: ignore[no-untyped-def]
    """A calibrated version whose planted items are harder (b + shift) and steeper (a × 1.3)."""
    _, current = current_parameters(db, planted.competency)
    moved = {i.slug: (current[i.slug][0] * 1.3, current[i.slug][1] + shift) for i in planted.items}
    report = {"persons": 40, "seed": 0, "model": "test", "items": []}
    return save_calibrated(db, planted.competency, planted.base, moved, report)


def test_vectorised_eap_matches_the_per_learner_one() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.lognormal(0, 0.3, 8), rng.normal(0, 1, 8)
    c, d = np.zeros(8), np.ones(8)
    answers = (rng.random((30, 8)) < 0.5).astype(float)
    answers[rng.random((30, 8)) < 0.3] = np.nan  # items not presented
    theta, se = rescoring.eap_scores((a, b, c, d), answers)
    bank = ItemBank(a=a, b=b, c=c, d=d)
    for k, row in enumerate(answers):
        seen = np.flatnonzero(~np.isnan(row))
        one = eap(bank, seen, row[seen].astype(bool))
        assert theta[k] == pytest.approx(one[0], abs=1e-9)
        assert se[k] == pytest.approx(one[1], abs=1e-9)


def test_activation_then_rollback_restores_every_level_exactly(catalog: Session) -> None:
    planted = plant(catalog, persons=40, items=6)
    new = _moved(catalog, planted)
    before = levels(catalog, planted.competency)

    shown = activation.preview(catalog, planted.competency, new.version)
    assert levels(catalog, planted.competency) == before  # a preview writes nothing
    assert current_parameter_set(catalog, planted.competency).version == planted.base.version
    assert shown.learners == 40
    moved, slugs = [m.distance for m in shown.most_moved], {i.slug for i in planted.items}
    assert {m.slug for m in shown.most_moved} <= slugs
    assert len(moved) == 5 and moved == sorted(moved, reverse=True) and min(moved) > 0.6
    assert all(m.distance == 0 for m in shown.items if m.slug not in slugs)

    done = activation.activate_and_rescore(catalog, planted.competency, new.version)
    after = levels(catalog, planted.competency)
    assert (done.learners, done.band_changes) == (shown.learners, shown.band_changes)
    assert done.band_changes > 0
    changes = [abs(after[k][0] - before[k][0]) for k in before]  # type: ignore[operator]
    assert max(changes) == pytest.approx(shown.largest_theta_change)
    assert sum(after[k][2] != before[k][2] for k in before) == shown.band_changes
    assert all(after[k][3] == 6 and after[k][4] == before[k][4] for k in before)

    activation.activate_and_rescore(catalog, planted.competency, planted.base.version)
    assert levels(catalog, planted.competency) == before
    assert current_parameter_set(catalog, planted.competency).id == planted.base.id


def test_a_rescored_level_is_the_eap_of_the_learners_answers(catalog: Session) -> None:
    planted = plant(catalog, persons=5, items=6)
    new = _moved(catalog, planted)
    activation.activate_and_rescore(catalog, planted.competency, new.version)
    ids, parameters = rescoring._parameters(catalog, new)
    bank = ItemBank(*parameters)
    rows = catalog.exec(
        select(CompetencyLevel).where(CompetencyLevel.competency_id == planted.competency.id)
    ).all()
    answers = rescoring._answers(catalog, planted.competency, ids)
    for level in rows:
        row = answers[level.learner_id]
        seen = np.flatnonzero(~np.isnan(row))
        theta, se = eap(bank, seen, row[seen].astype(bool))
        assert (level.theta, level.se) == (round(theta, 3), round(se, 3))


def test_an_unknown_version_is_refused_and_nothing_changes(catalog: Session) -> None:
    planted = plant(catalog, persons=3, items=4)
    catalog.commit()
    before = levels(catalog, planted.competency)
    with pytest.raises(BankError, match="no parameter set version 99"):
        activation.preview(catalog, planted.competency, 99)
    with pytest.raises(BankError, match="no parameter set version 99"):
        activation.activate_and_rescore(catalog, planted.competency, 99)
    catalog.rollback()
    assert pk(current_parameter_set(catalog, planted.competency)) == pk(planted.base)
    assert levels(catalog, planted.competency) == before
