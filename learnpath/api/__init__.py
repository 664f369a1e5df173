"""The integration API: OAuth2 tokens, /api/v1 JSON resources, xAPI statements, rate limits."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the API blueprints (exempt from CSRF: they take tokens, not cookies)."""
    from learnpath.api import errors, limits, oauth, views, xapi
    from learnpath.auth import csrf

    oauth.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(xapi.bp)
    for blueprint in (oauth.bp, views.bp, xapi.bp):
        csrf.exempt(blueprint)
    limits.init_app(app, [views.bp, xapi.bp], oauth.bp)
    errors.init_app(app)
