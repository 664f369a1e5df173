"""The learner-facing blueprint: catalog, adaptive quizzes, trajectories, profile, My team."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the learner blueprint."""
    from learnpath.learner import (  # noqa: F401  (they attach routes to bp)
        errors,
        feedback,
        modules,
        paths,
        profile,
        quizzes,
        team,
    )
    from learnpath.learner.views import bp
    from learnpath.vocabulary import certainty

    app.register_blueprint(bp)
    app.jinja_env.globals["has_team"] = team.has_team
    app.jinja_env.globals["certainty"] = certainty
    errors.init_app(app)
