"""Configuration: defaults, then instance/config.py, then LEARNPATH_* / DATABASE_URL, then tests."""

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from learnpath.files import private_file

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None: SQLite file learnpath.sqlite in the instance folder
    "SQL_ECHO": False,
    "WTF_CSRF_ENABLED": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    # Behind HTTPS set both (README "Deploying behind HTTPS"), e.g. from the environment:
    # LEARNPATH_SESSION_COOKIE_SECURE=true LEARNPATH_PREFERRED_URL_SCHEME=https.
    "SESSION_COOKIE_SECURE": False,
    "PREFERRED_URL_SCHEME": "http",
    "ATTEMPT_IDLE_MINUTES": 120,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    # The homePage of learners' xAPI accounts, part of their identity in every statement, so it
    # must not change. None: PREFERRED_URL_SCHEME://SERVER_NAME/ if SERVER_NAME is set, else
    # https://learnpath.invalid/ (a reserved name, never the request's Host).
    "XAPI_ACCOUNT_HOMEPAGE": None,
    # Video modules embed a player only for these hosts (YouTube and Vimeo addresses are turned
    # into their embed players); any other video URL is shown as a link. A list, e.g. from
    # LEARNPATH_VIDEO_HOSTS='["vimeo.com"]'.
    # The job queue (learnpath/jobs): None = SQLite file queue.sqlite in the instance folder, or
    # e.g. LEARNPATH_QUEUE_URL=redis://host:6379/0. QUEUE_IMMEDIATE runs jobs in the request.
    "QUEUE_URL": None,
    # Where `flask payoff` keeps each program's latest run (None: instance/payoff/).
    "PAYOFF_FOLDER": None,
    "QUEUE_IMMEDIATE": False,
    # Most steps per seed of a calibration queued from the studio (each stops when its loss
    # levels off).
    "CALIBRATION_EPOCHS": 1000,
    # Video modules' files (content/media, copied here by import-content, served to learners
    # from here): None = the media folder of the instance folder.
    "MEDIA_DIR": None,
    "VIDEO_HOSTS": ["youtube.com", "www.youtube.com", "youtu.be", "vimeo.com", "player.vimeo.com"],
}

ENV_PREFIX = "LEARNPATH_"


def load(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill app.config in order of precedence, and make sure a secret key exists."""
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env(ENV_PREFIX.rstrip("_"))
        if os.environ.get("DATABASE_URL"):
            app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    else:
        app.config.from_mapping(test_config)
    if not app.config["DATABASE_URL"]:
        path = Path(app.instance_path) / "learnpath.sqlite"
        app.config["DATABASE_URL"] = f"sqlite:///{path}"
        app.config.setdefault("EMBEDDED_DATABASE", True)
    if not app.config["MEDIA_DIR"]:
        app.config["MEDIA_DIR"] = str(Path(app.instance_path) / "media")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))


def _instance_secret(instance: Path) -> str:
    """Read the instance's random secret key, creating it (mode 0600) on first start."""
    path = instance / "secret_key"
    if not path.exists():
        private_file(path, secrets.token_hex(32))
    return path.read_text().strip()


def is_embedded(app: Flask) -> bool:
    """Whether the app runs on the embedded SQLite default (where demo accounts are allowed)."""
    return bool(app.config.get("EMBEDDED_DATABASE")) and str(app.config["DATABASE_URL"]).startswith(
        "sqlite"
    )


def payoff_file(app: Flask, slug: str, suffix: str) -> Path:
    """Where `flask payoff` keeps a program's latest run: instance/payoff/SLUG.json and .svg.

    PAYOFF_FOLDER (LEARNPATH_PAYOFF_FOLDER) puts them elsewhere.
    """
    folder = app.config.get("PAYOFF_FOLDER") or Path(app.instance_path) / "payoff"
    return Path(folder) / f"{slug}{suffix}"
