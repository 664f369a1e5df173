"""The Flask application factory: config, database, extensions, blueprints, commands."""

import gc
from pathlib import Path
from typing import Any

from flask import Flask, request
from werkzeug.exceptions import BadRequest

from learnpath import config, db, forms, routing
from learnpath.files import private_folder
from learnpath.vocabulary import Depth


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then environment, then test_config."""
    app = Flask("learnpath", instance_relative_config=True)
    private_folder(Path(app.instance_path))  # 0700: it holds the secret key and the database
    config.load(app, test_config)
    routing.init_app(app)  # before the blueprints: their <int:...> rules use it
    db.init_app(app)
    app.before_request(forms.apply_upload_limit)  # first: before anything reads the body
    app.before_request(refuse_nul_characters)
    # Templates name depths by the enum (Depth.PERSONAL, Depth|length), never by number.
    app.jinja_env.globals["Depth"] = Depth

    from learnpath import (
        api,
        auth,
        cli,
        cli_ops,
        headers,
        health,
        jobs,
        learner,
        markdown,
        payoff,
        studio,
        video,
    )

    headers.init_app(app)
    markdown.init_app(app)
    video.init_app(app)
    auth.init_app(app)
    learner.init_app(app)
    studio.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    cli_ops.init_app(app)
    health.init_app(app)
    jobs.init_app(app)
    payoff.init_app(app)
    if not app.testing:
        # Everything built so far lives as long as the worker: keep it out of the collector's
        # full passes, which otherwise cost ~100 ms pauses on large API pages (bench_api.py).
        gc.freeze()
    return app


def refuse_nul_characters() -> None:
    """Refuse (400, naming the field) a request whose path, query or form holds a NUL character.

    PostgreSQL text cannot store or compare NUL, so such a value would fail inside the first query
    that used it; no valid id, e-mail or filter contains one. JSON bodies are checked by their
    pydantic models (PRINTABLE in services/integration/schemas.py) and Basic credentials where
    they are decoded.
    """
    if "\x00" in request.path:
        raise BadRequest("The URL path contains a NUL character.")
    for where, values in (("query parameter", request.args), ("form field", request.form)):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                raise BadRequest(f"The {where} {key!r} contains a NUL character.")
