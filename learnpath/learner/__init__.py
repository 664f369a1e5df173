"""The learner-facing blueprint: catalog, adaptive quizzes, trajectories, profile, My team."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the learner blueprint."""
    from learnpath.learner import paths, profile, quizzes, team  # noqa: F401  (attach routes)
    from learnpath.learner.views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals["has_team"] = team.has_team
