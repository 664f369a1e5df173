"""learnpath: adaptive learning-path engine for corporate training."""

import os
from typing import Any

from flask import Flask

from learnpath import config, db


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then environment, then test_config."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    config.load(app, test_config)
    db.init_app(app)

    from learnpath import auth, cli, learner, markdown

    markdown.init_app(app)
    auth.init_app(app)
    learner.init_app(app)
    cli.init_app(app)
    return app
