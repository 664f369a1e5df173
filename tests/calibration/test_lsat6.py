"""Real data: LSAT-6 (Bock & Lieberman 1970) against its published marginal-ML 2PL estimates."""

import csv
from pathlib import Path

import numpy as np

from learnpath.calibration.matrix import Responses
from learnpath.calibration.run import calibrate

DATA = Path(__file__).parent.parent / "data" / "lsat6_patterns.csv"
# ltm's ltm(LSAT ~ z1) (Rizopoulos 2006, JSS 17(5)); girth 0.8.0's twopl_mml gives the same.
PUBLISHED_A = np.array([0.825, 0.723, 0.890, 0.689, 0.657])
PUBLISHED_B = np.array([-3.360, -1.370, -0.280, -1.866, -3.124])


def _lsat6() -> Responses:
    rows = [r for r in csv.reader(DATA.open()) if not r[0].startswith("#")]
    header, patterns = rows[0][:5], rows[1:]
    counts = [int(r[5]) for r in patterns]
    matrix = np.repeat(np.array([[float(v) for v in r[:5]] for r in patterns]), counts, axis=0)
    return Responses(header, matrix)


def test_lsat6_close_to_published_marginal_ml() -> None:
    """Every item within .05 of ltm's estimates: new items have no prior in the EM polish."""
    data = _lsat6()
    assert data.matrix.shape == (1000, 5) and data.matrix.sum() == 3819
    result = calibrate(data, {}, min_responses=200)
    a = np.array([i.a for i in result.items])
    b = np.array([i.b for i in result.items])
    assert np.all(np.abs(b - PUBLISHED_B) < 0.05)
    assert np.all(np.abs(a - PUBLISHED_A) < 0.05)
    assert result.converged and result.link is None
