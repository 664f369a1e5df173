"""`flask calibrate` and `flask parameter-sets`: flask.commands entry points, not the web app."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from learnpath import db
from learnpath.calibration.matrix import MatrixError, Responses, read_csv
from learnpath.calibration.run import Calibration, CalibrationError, calibrate
from learnpath.calibration.store import database_responses, store
from learnpath.services import audit
from learnpath.services.catalog.activation import activate_and_rescore
from learnpath.services.catalog.banks import BankError, competency_by_slug
from learnpath.services.catalog.parameter_sets import current_parameters, list_sets, pretest_slugs


def _actor(what: str) -> audit.Actor:
    """The actor calibration writes are audited under."""
    return audit.Actor(None, "cli", f"flask {what}")


def _database_responses(slug: str) -> Responses:
    """The competency's scored responses as a matrix."""
    with db.transaction() as session:
        found = database_responses(session, competency_by_slug(session, slug))
    if found is None:
        raise click.ClickException(f"competency {slug!r} has no responses; nothing was calibrated")
    return found


def _run(
    responses: Responses,
    current: dict[str, tuple[float, float]],
    min_responses: int,
    seed: int,
    quiet: bool,
    pretest: set[str],
) -> Calibration:
    """Calibrate with a progress bar on stderr."""
    with click.progressbar(length=1000, label="Calibrating", file=sys.stderr, hidden=quiet) as bar:

        def progress(done: int, total: int) -> None:
            bar.update(int(1000 * done / total) - bar.pos)

        try:
            return calibrate(
                responses,
                current,
                min_responses=min_responses,
                seed=seed,
                progress=progress,
                pretest=pretest,
            )
        except CalibrationError as exc:
            raise click.ClickException(str(exc)) from exc


@click.command("calibrate")
@with_appcontext
@click.argument("competency")
@click.option("--min-responses", default=200, show_default=True, type=click.IntRange(1))
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0))
@click.option("--dry-run", is_flag=True, help="Print the result; write nothing.")
@click.option(
    "--responses",
    "csv_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Person × item CSV (header: item ids; cells 1, 0 or blank).",
)
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def calibrate_command(
    competency: str,
    min_responses: int,
    seed: int,
    dry_run: bool,
    csv_file: Path | None,
    output: str,
) -> None:
    """Calibrate a competency's items (py-irt 2PL) into a new, inactive parameter set."""
    try:
        with db.transaction() as session:
            target = competency_by_slug(session, competency)
            based_on, current = current_parameters(session, target)
            base_version, pretest = based_on.version, pretest_slugs(session, target)
        responses = read_csv(csv_file) if csv_file else _database_responses(competency)
    except (BankError, MatrixError) as exc:
        raise click.ClickException(str(exc)) from exc
    result = _run(responses, current, min_responses, seed, output == "json", pretest)
    report = result.report()
    if output == "json":
        click.echo(json.dumps(report, indent=2))
    else:
        _print(result)
    if dry_run:
        click.echo("Dry run: nothing was written.", err=True)
        return
    with db.transaction(_actor("calibrate")) as session:
        target = competency_by_slug(session, competency)
        base, _ = current_parameters(session, target)
        if base.version != base_version:
            raise click.ClickException("the active parameter set changed meanwhile; run again")
        created = store(session, target, base, result)
        version = created.version
    click.echo(
        f"Stored version {version} (inactive): flask parameter-sets activate "
        f"{competency} {version}",
        err=True,
    )


def _print(result: Calibration) -> None:
    """A table of the items."""
    click.echo(
        f"{result.persons} persons; converged: {result.converged} "
        f"(seeds differ by {result.seed_difference_b:.3f} on b)"
    )
    if result.link:
        click.echo(
            f"linked ({result.link['method']}): A = {result.link['A']:.3f}, "
            f"B = {result.link['B']:.3f}, dropped anchors: {result.link['dropped']}"
        )
    if result.proposed:
        click.echo(f"pretest items proposed for activation: {', '.join(result.proposed)}")
    for item in result.items:
        if item.status != "calibrated":
            click.echo(f"{item.item_id:30s} {item.responses:6d}  {item.status}: kept")
            continue
        flag = "  MISFIT" if item.misfit else ""
        sx2 = ""
        if item.sx2 is not None and item.sx2_p is not None:
            sx2 = f"  S-X² {item.sx2:.1f} (df {item.sx2_df}, p {item.sx2_p:.3f})"
        click.echo(
            f"{item.item_id:30s} {item.responses:6d}  a {item.a:.3f} ({item.se_a:.3f})  "
            f"b {item.b:+.3f} ({item.se_b:.3f})  infit {item.infit:.2f} "
            f"outfit {item.outfit:.2f}{sx2}{flag}"
        )


@click.group("parameter-sets")
def parameter_sets() -> None:
    """List, activate or roll back a competency's item parameter sets."""


@parameter_sets.command("list")
@with_appcontext
@click.argument("competency")
def list_command(competency: str) -> None:
    """The versions of COMPETENCY's parameter sets, the active one marked."""
    try:
        with db.transaction() as session:
            found = list_sets(session, competency_by_slug(session, competency))
    except BankError as exc:
        raise click.ClickException(str(exc)) from exc
    for each in found:
        mark = "*" if each.active else " "
        click.echo(
            f"{mark} {each.version:3d}  {each.source:10s}  {each.created_at:%Y-%m-%d}  {each.note}"
        )


@parameter_sets.command("activate")
@with_appcontext
@click.argument("competency")
@click.argument("version", type=int)
def activate_command(competency: str, version: int) -> None:
    """Make VERSION the set used for COMPETENCY (also rolls back); learners' levels re-scored."""
    try:
        with db.transaction(_actor("parameter-sets activate")) as session:
            done = activate_and_rescore(session, competency_by_slug(session, competency), version)
    except BankError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"Version {version} of {competency} is active; {done.learners} learners' levels "
        f"re-scored, {done.band_changes} changed band."
    )
