"""The learner-facing blueprint: catalog, adaptive quizzes, trajectories, profile."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the learner blueprint."""
    from learnpath.learner import paths, profile, quizzes  # noqa: F401  (they attach routes to bp)
    from learnpath.learner.views import bp

    app.register_blueprint(bp)
