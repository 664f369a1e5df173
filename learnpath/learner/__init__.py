"""The learner-facing blueprint: catalog, adaptive quizzes, trajectories, profile."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the learner blueprint."""
    from learnpath.learner import errors, feedback, paths, profile, quizzes  # noqa: F401  (routes)
    from learnpath.learner.views import bp
    from learnpath.vocabulary import certainty

    app.register_blueprint(bp)
    app.jinja_env.globals["certainty"] = certainty
    errors.init_app(app)
