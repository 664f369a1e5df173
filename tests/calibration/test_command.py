"""`flask calibrate` on a catalog competency: dry run, stored inactive set, activation, rollback."""

import json
from pathlib import Path

import numpy as np
from flask.testing import FlaskCliRunner
from sqlmodel import Session, col, select

from learnpath.calibration.command import calibrate_command, parameter_sets
from learnpath.calibration.simulate import simulate_2pl
from learnpath.models import Competency, Item, ItemParameter, ItemParameterSet
from learnpath.services.catalog.banks import current_parameter_set

SLUG = "information-security"


def _pilot(db: Session, tmp_path: Path) -> tuple[Path, list[str]]:
    competency = db.exec(select(Competency).where(Competency.slug == SLUG)).one()
    slugs = list(
        db.exec(
            select(Item.slug).where(Item.competency_id == competency.id).order_by(col(Item.slug))
        ).all()
    )[:8]
    sim = simulate_2pl(300, len(slugs), seed=5)
    lines = [",".join(slugs)] + [",".join(str(int(v)) for v in row) for row in sim.matrix]
    path = tmp_path / "pilot.csv"
    path.write_text("\n".join(lines) + "\n")
    return path, slugs


def _sets(db: Session) -> list[tuple[int, str, bool]]:
    db.expire_all()
    return [
        (s.version, s.source, s.active)
        for s in db.exec(
            select(ItemParameterSet)
            .join(Competency)
            .where(Competency.slug == SLUG)
            .order_by(col(ItemParameterSet.version))
        ).all()
    ]


def test_dry_run_prints_json_and_writes_nothing(
    catalog: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path, slugs = _pilot(catalog, tmp_path)
    before = _sets(catalog)
    result = runner.invoke(
        calibrate_command,
        [SLUG, "--responses", str(path), "--dry-run", "--output", "json", "--min-responses", "100"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [i["item_id"] for i in report["items"]] == slugs
    assert all(i["status"] == "calibrated" and i["se_b"] > 0 for i in report["items"])
    assert report["link"]["method"] == "stocking-lord"
    assert _sets(catalog) == before


def test_bad_csv_is_refused_naming_the_line(
    catalog: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n")
    before = _sets(catalog)
    result = runner.invoke(calibrate_command, [SLUG, "--responses", str(path)])
    assert result.exit_code == 1
    assert "line 2, column 2: '2' is not 1, 0 or blank" in result.output
    assert _sets(catalog) == before


def test_stored_set_waits_for_activation_and_rollback_restores(
    catalog: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path, _ = _pilot(catalog, tmp_path)
    competency = catalog.exec(select(Competency).where(Competency.slug == SLUG)).one()
    old = current_parameter_set(catalog, competency)
    old_params = {
        p.item_id: (p.a, p.b)
        for p in catalog.exec(
            select(ItemParameter).where(ItemParameter.parameter_set_id == old.id)
        ).all()
    }
    result = runner.invoke(
        calibrate_command, [SLUG, "--responses", str(path), "--min-responses", "100", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    new_version = old.version + 1
    assert _sets(catalog)[-1] == (new_version, "calibrated", False)
    assert current_parameter_set(catalog, competency).version == old.version

    assert runner.invoke(parameter_sets, ["activate", SLUG, str(new_version)]).exit_code == 0
    catalog.expire_all()
    new = current_parameter_set(catalog, competency)
    assert new.version == new_version and new.report and new.report["seed"] == 3
    assert "correlations" in new.report
    listed = runner.invoke(parameter_sets, ["list", SLUG]).output.splitlines()
    assert listed[-1].startswith(f"* {new_version:3d}  calibrated")
    new_params = {
        p.item_id: (p.a, p.b)
        for p in catalog.exec(
            select(ItemParameter).where(ItemParameter.parameter_set_id == new.id)
        ).all()
    }
    assert new_params.keys() == old_params.keys()
    assert np.mean([new_params[k] != old_params[k] for k in old_params]) > 0

    assert runner.invoke(parameter_sets, ["activate", SLUG, str(old.version)]).exit_code == 0
    catalog.expire_all()
    assert current_parameter_set(catalog, competency).version == old.version
    missing = runner.invoke(parameter_sets, ["activate", SLUG, "99"])
    assert missing.exit_code == 1 and "no parameter set version 99" in missing.output


def test_the_command_calibrates_the_competencys_pretest_items_on_the_active_scale(
    catalog: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path, slugs = _pilot(catalog, tmp_path)
    trial = catalog.exec(select(Item).where(Item.slug == slugs[-1])).one()
    trial.status = "pretest"  # an author marked it: the command must hold the others fixed
    catalog.add(trial)
    catalog.commit()
    result = runner.invoke(
        calibrate_command,
        [SLUG, "--responses", str(path), "--dry-run", "--output", "json", "--min-responses", "100"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_id = {i["item_id"]: i for i in report["items"]}
    assert by_id[slugs[-1]]["pretest"] is True and by_id[slugs[-1]]["status"] == "calibrated"
    assert not any(by_id[s]["pretest"] for s in slugs[:-1])
    assert report["proposed"] == ([] if by_id[slugs[-1]]["misfit"] else [slugs[-1]])
