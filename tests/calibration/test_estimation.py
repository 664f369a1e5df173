"""py-irt calibration on simulated and real data: determinism, recovery, screening, CSV errors."""

from pathlib import Path

import numpy as np
import pytest

from learnpath.calibration.matrix import MatrixError, Responses, read_csv
from learnpath.calibration.run import CalibrationError, calibrate
from learnpath.calibration.simulate import simulate_2pl

IDS = [f"q{j}" for j in range(10)]


def _small() -> Responses:
    sim = simulate_2pl(600, 10, seed=3)
    return Responses(IDS, sim.matrix)


def test_same_seed_gives_identical_parameters() -> None:
    first = calibrate(_small(), {}, min_responses=50, seed=7, epochs=200)
    second = calibrate(_small(), {}, min_responses=50, seed=7, epochs=200)
    assert [(i.a, i.b, i.se_a, i.se_b) for i in first.items] == [
        (i.a, i.b, i.se_a, i.se_b) for i in second.items
    ]


def test_recovers_a_small_simulated_bank_on_its_scale() -> None:
    sim = simulate_2pl(600, 10, seed=3)
    current = {i: (float(a), float(b)) for i, a, b in zip(IDS, sim.a, sim.b, strict=True)}
    result = calibrate(Responses(IDS, sim.matrix), current, min_responses=50, epochs=500)
    a = np.array([i.a for i in result.items])
    b = np.array([i.b for i in result.items])
    # 600 persons: the ML standard errors are about .1 on b and .1 on a for these items.
    assert np.sqrt(np.mean((b - sim.b) ** 2)) < 0.15
    assert np.sqrt(np.mean((a - sim.a) ** 2)) < 0.2
    assert result.link is not None and abs(result.link["A"] - 1) < 0.1
    assert all(i.se_b and 0 < i.se_b < 0.5 for i in result.items)


def test_degenerate_and_sparse_items_keep_their_parameters() -> None:
    sim = simulate_2pl(300, 6, seed=4)
    matrix = sim.matrix.copy()
    matrix[:, 0] = 1.0  # everyone right
    matrix[50:, 1] = np.nan  # only 50 responses
    result = calibrate(Responses(IDS[:6], matrix), {}, min_responses=100, epochs=100)
    status = {i.item_id: i.status for i in result.items}
    assert status == {
        "q0": "degenerate",
        "q1": "too-few",
        "q2": "calibrated",
        "q3": "calibrated",
        "q4": "calibrated",
        "q5": "calibrated",
    }
    assert result.items[0].a is None and result.items[1].responses == 50


def test_nothing_to_calibrate_is_refused() -> None:
    with pytest.raises(CalibrationError, match="no item has 200000 responses"):
        calibrate(_small(), {}, min_responses=200_000)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: a header of item ids is required"),
        ("q1,,q3\n1,0,1\n", "line 1, column 2: empty item id"),
        ("q1,q1\n1,0\n", "line 1, column 2: item id 'q1' repeated"),
        ("q1,q2\n1,0\n1\n", "line 3: 1 cells, header has 2"),
        ("q1,q2\n1,0\n1,yes\n", "line 3, column 2: 'yes' is not 1, 0 or blank"),
        ("q1,q2\n", "no responses after the header"),
    ],
)
def test_bad_csv_names_file_line_and_column(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "pilot.csv"
    path.write_text(text)
    with pytest.raises(MatrixError) as raised:
        read_csv(path)
    assert str(raised.value) == f"{path}: {message}"


def test_csv_blanks_are_not_presented(tmp_path: Path) -> None:
    path = tmp_path / "pilot.csv"
    path.write_text("q1,q2\n1,\n0,1\n")
    read = read_csv(path)
    assert read.item_ids == ["q1", "q2"]
    assert np.isnan(read.matrix[0, 1]) and read.matrix[1].tolist() == [0.0, 1.0]
