"""learnpath: adaptive learning-path engine for corporate training.

The package root stays light: importing `learnpath.irt` or `learnpath.planning` (the pure cores)
must not load Flask, so the app factory is imported only when an app is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app (see learnpath.app.create_app); `flask --app learnpath` finds this."""
    from learnpath.app import create_app as build

    return build(test_config)
