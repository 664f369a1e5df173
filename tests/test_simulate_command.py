"""`flask simulate` on a competency of the shipped catalog, and the light package root."""

import re
import subprocess
import sys

import yaml
from flask.testing import FlaskCliRunner
from sqlmodel import Session

from tests.conftest import CONTENT


def figure(output: str, label: str) -> float:
    """The number printed after a label of the simulate report."""
    found = re.search(rf"{label}\s+([+-]?[0-9.]+)", output)
    assert found, output
    return float(found.group(1))


def test_simulate_prints_the_figures_of_a_catalog_bank(
    runner: FlaskCliRunner, catalog: Session
) -> None:
    args = ["simulate", "information-security", "--examinees", "300", "--max-items", "10"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "300 simulated learners" in result.output
    shipped = yaml.safe_load((CONTENT / "items" / "information-security.yaml").read_text())
    shared = [i for i in shipped["items"] if "owner" not in i]
    assert f"{len(shared)} items, parameter set v1 (expert)" in result.output
    finance = runner.invoke(args=[*args, "--program", "secure-finance-operations"])
    assert f"{len(shipped['items'])} items, parameter set v1" in finance.output
    unknown = runner.invoke(args=[*args, "--program", "no-such-program"])
    assert unknown.exit_code == 2 and "unknown program 'no-such-program'" in unknown.output
    # Ten items never reach SE 0.3 on this bank, so every test runs to the maximum.
    assert figure(result.output, "mean length") == 10.0
    assert figure(result.output, "SE target met") == 0.0
    assert 0.25 < figure(result.output, "RMSE") < 0.6
    assert abs(figure(result.output, "bias")) < 0.1
    # Max information without exposure control gives the same first item to everyone.
    assert figure(result.output, "max exposure") == 1.0
    assert 0.0 < figure(result.output, "never used") < 100.0


def test_simulate_with_exposure_control_spreads_the_items(
    runner: FlaskCliRunner, catalog: Session
) -> None:
    args = ["simulate", "information-security", "--examinees", "400", "--max-items", "8"]
    plain = runner.invoke(args=args)
    spread = runner.invoke(args=[*args, "--exposure", "ceiling"])
    assert spread.exit_code == 0, spread.output
    assert figure(spread.output, "max exposure") <= 0.25
    assert figure(spread.output, "never used") < figure(plain.output, "never used")


def test_simulate_names_an_unknown_competency(runner: FlaskCliRunner, catalog: Session) -> None:
    result = runner.invoke(args=["simulate", "knitting"])
    assert result.exit_code == 2
    assert "COMPETENCY" in result.output and "unknown competency 'knitting'" in result.output


def test_importing_the_cores_does_not_load_flask_or_the_database_layer() -> None:
    code = (
        "import sys, learnpath.irt; "
        "print(sorted(m for m in ('flask', 'sqlalchemy', 'sqlmodel', 'torch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
