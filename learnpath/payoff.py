"""`flask payoff PROGRAM`: what a program's placement saves learners, on simulated learners.

Simulated learners with known true levels go through the real services (enrol, placement,
planning) on a temporary SQLite database migrated and filled from the content folder, as
`flask demo` does. The run is repeated for a few placement settings (`--vary`), the figures are
printed, and the latest run is kept in instance/payoff/PROGRAM.json and PROGRAM.svg, which the
studio's placement settings of the program link to.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from learnpath import db, migrate
from learnpath.config import payoff_file
from learnpath.services.catalog import CatalogError, import_catalog
from learnpath.services.simulation import (
    SimulationError,
    Summary,
    prepare,
    run_cohort,
    summarize,
    svg_plot,
)

# The placement settings the plot compares, as `--vary NAME=V1,V2,...`: any key of a program's
# placement: by default the confidence that settles a placement decision and waives a module
# (false waivers against mastered modules kept); se_target or max_items alike.
DEFAULT_VARY = "waiver_confidence=0.95,0.9,0.85,0.8"


def _variants(text: str) -> tuple[str, list[float | int]]:
    """`name=v1,v2` as the setting's name and its values, or a click error naming the option."""
    name, _, values = text.partition("=")
    try:  # 30 stays an integer (max_items), .95 a float
        numbers = [float(v) if "." in v else int(v) for v in values.split(",") if v.strip()]
    except ValueError:
        numbers = []
    if not name.strip() or not numbers:
        raise click.BadParameter(f"expected NAME=V1,V2,..., got {text!r}", param_hint="--vary")
    return name.strip(), numbers


def catalog_template(folder: Path, content: Path) -> Path:
    """A SQLite file migrated and holding the catalog of `content`, as `flask demo` makes it."""
    path = folder / "template.sqlite"
    engine = db.make_engine(f"sqlite:///{path}", durable=False)
    migrate.upgrade(engine)
    try:
        with db.transaction(bind=engine) as session:
            import_catalog(session, content)
    except CatalogError as exc:
        raise click.ClickException(f"{content}: {'; '.join(map(str, exc.problems))}") from exc
    finally:
        engine.dispose()
    return path


def _run(
    template: Path, slug: str, overrides: dict[str, Any], options: dict[str, Any]
) -> tuple[str, Summary]:
    """One simulated cohort on a fresh copy of the template: the program's title and figures."""
    path = template.with_name(f"run-{len(list(template.parent.iterdir()))}.sqlite")
    shutil.copy(template, path)
    engine = db.make_engine(f"sqlite:///{path}", durable=False)
    try:
        with db.transaction(bind=engine) as session:
            cohort = prepare(session, slug, overrides)
        with click.progressbar(length=options["learners"], label=_label(overrides)) as bar:
            outcomes = run_cohort(
                lambda: db.transaction(bind=engine),
                cohort,
                options["learners"],
                options["correlation"],
                options["seed"],
                lambda _done: bar.update(1),
            )
    except SimulationError as exc:
        raise click.BadParameter(str(exc), param_hint="PROGRAM") from exc
    finally:
        engine.dispose()
    return cohort.title, summarize(outcomes)


def _label(overrides: dict[str, Any]) -> str:
    """A variant's name: its settings, or the program's own."""
    return ", ".join(f"{k}={v}" for k, v in overrides.items()) or "as configured"


def _echo(label: str, s: Summary) -> None:
    """The figures of one run."""
    click.echo(f"{label}: {s.learners} learners")
    click.echo(
        f"  items per placement   mean {s.items_mean:.1f}, p90 {s.items_p90:.0f}, max {s.items_max}"
    )
    click.echo(
        f"  study minutes         {s.planned_minutes:.0f} planned vs {s.full_minutes:.0f} "
        f"in the full list ({100 * s.saved_share:.1f} % saved)"
    )
    click.echo(
        f"  false waivers         {s.false_waivers} of {s.waivers} waived modules "
        f"({100 * s.false_share:.1f} %; {s.false_per_learner:.3f} per learner)"
    )
    click.echo(
        f"  mastered but kept     {s.missed_waivers} ({100 * s.kept_share:.1f} % of the truly "
        f"mastered modules; {s.missed_waivers / s.learners:.3f} per learner)"
    )
    click.echo(f"  every target covered  {100 * s.covered_share:.1f} % of learners")
    click.echo(f"  seconds per learner   {s.seconds_per_learner:.2f}")


@click.command("payoff")
@with_appcontext
@click.argument("program")
@click.option("--learners", default=500, show_default=True, type=click.IntRange(1, 100_000))
@click.option(
    "--correlation",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0.0, 0.99),
    help="Correlation of true levels between any two competencies.",
)
@click.option("--seed", default=1, show_default=True, type=click.IntRange(0))
@click.option(
    "--vary",
    default=DEFAULT_VARY,
    show_default=True,
    help="Placement setting to vary for the plot, NAME=V1,V2,...; '' for no plot.",
)
@click.option(
    "--content",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("content"),
    show_default=True,
)
def payoff_command(
    program: str, learners: int, correlation: float, seed: int, vary: str, content: Path
) -> None:
    """Simulate learners through PROGRAM's placement and planner; print what it saves."""
    name, values = _variants(vary) if vary else ("", [])
    options = {"learners": learners, "correlation": correlation, "seed": seed}
    with tempfile.TemporaryDirectory(prefix="payoff-") as folder:
        template = catalog_template(Path(folder), content)
        title, main = _run(template, program, {}, options)
        _echo(f"{title} (placement as configured)", main)
        points = []
        for value in values:
            _, summary = _run(template, program, {name: value}, options)
            _echo(f"{title} ({name}={value})", summary)
            points.append((f"{name}={value}", summary))
    _store(program, title, main, points, options)


def _store(
    slug: str, title: str, main: Summary, points: list[tuple[str, Summary]], options: dict
) -> None:
    """Keep the run in instance/payoff/ (JSON figures, SVG plot) for the studio to link."""
    data = {
        "program": slug,
        "title": title,
        **options,
        "configured": main.to_json(),
        "variants": [{"setting": label, **s.to_json()} for label, s in points],
    }
    target = payoff_file(current_app, slug, ".json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=2) + "\n")
    plot = svg_plot(f"{title}: minutes saved vs false waivers", points or [("as configured", main)])
    payoff_file(current_app, slug, ".svg").write_text(plot)
    click.echo(f"Kept in {target} and {target.with_suffix('.svg').name}.")


def init_app(app: Flask) -> None:
    """Register the command."""
    app.cli.add_command(payoff_command)
