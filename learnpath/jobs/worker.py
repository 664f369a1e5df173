"""`flask --app learnpath worker`: run the huey consumer on the app's queue until Ctrl+C."""

import click
from flask import current_app
from flask.cli import with_appcontext
from huey.consumer import Consumer


@click.command("worker")
@click.option("--workers", default=1, show_default=True, help="Jobs run at the same time.")
@with_appcontext
def worker_command(workers: int) -> None:
    """Run queued jobs (moves, re-plans, calibration) until interrupted."""
    huey = current_app.extensions["learnpath.huey"]
    click.echo(f"Worker on {type(huey.storage).__name__}: {workers} thread(s); Ctrl+C to stop")
    Consumer(huey, workers=workers, worker_type="thread").run()
