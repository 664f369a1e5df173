"""The latest `flask payoff` run of a program: its figures beside the placement, and its plot.

A run is kept as files (instance/payoff/SLUG.json and .svg, config.payoff_file), written by the
command, not in the database: it describes a simulation on a throw-away database, is replaced
by the next run, and is read only here.
"""

import json
from typing import Any

from flask import abort, current_app, send_file
from werkzeug.wrappers import Response as WerkzeugResponse

from learnpath.config import payoff_file
from learnpath.studio.blueprint import bp


def latest_payoff(slug: str) -> dict[str, Any] | None:
    """The figures of the program's latest run, or None if it was never simulated."""
    path = payoff_file(current_app, slug, ".json")
    if not path.is_file():
        return None
    try:
        found: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError):  # a run being written, or a file edited by hand
        return None
    return found


@bp.route("/programs/<slug>/payoff.svg")
def payoff_plot(slug: str) -> WerkzeugResponse:
    """The plot of minutes saved against false waivers of the program's latest run."""
    path = payoff_file(current_app, slug, ".svg")
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/svg+xml", max_age=0)


@bp.app_context_processor
def _payoff_global() -> dict[str, object]:
    return {"latest_payoff": latest_payoff}
