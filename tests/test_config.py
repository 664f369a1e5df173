"""Settings read from the environment: the HTTPS deployment pair."""

from pathlib import Path

import pytest
from flask import Flask

from learnpath import config


def _loaded(tmp_path: Path) -> Flask:
    app = Flask("learnpath", instance_path=str(tmp_path))
    config.load(app, None)
    return app


def test_https_settings_default_to_plain_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SESSION_COOKIE_SECURE", "PREFERRED_URL_SCHEME", "SECRET_KEY"):
        monkeypatch.delenv(f"LEARNPATH_{name}", raising=False)
    app = _loaded(tmp_path)
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["PREFERRED_URL_SCHEME"] == "http"


def test_https_settings_are_read_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEARNPATH_SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("LEARNPATH_PREFERRED_URL_SCHEME", "https")
    monkeypatch.setenv("LEARNPATH_SECRET_KEY", "from-env")
    app = _loaded(tmp_path)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["PREFERRED_URL_SCHEME"] == "https"
    assert app.config["SECRET_KEY"] == "from-env"
