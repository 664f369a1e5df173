"""The learner-facing blueprint: catalog, (later) quizzes and trajectories."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the learner blueprint."""
    from learnpath.learner.views import bp

    app.register_blueprint(bp)
