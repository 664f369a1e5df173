"""Authentication: Flask-Login session accounts, login and logout, the current user's roles."""

from flask import Flask, g
from flask_login import LoginManager, current_user
from flask_wtf import CSRFProtect

from learnpath.auth import remember
from learnpath.db import get_session
from learnpath.models import User
from learnpath.routing import id_or_none
from learnpath.services.accounts.users import roles_of

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please log in to continue."
login_manager.session_protection = "strong"
csrf = CSRFProtect()


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The active user a session names as "id:session version" (User.get_id), if still current."""
    number, _, version = user_id.partition(":")
    user_number, session_version = id_or_none(number), id_or_none(version)
    if user_number is None or session_version is None:
        return None
    user = get_session().get(User, user_number)
    if user is None or not user.active or user.session_version != session_version:
        return None
    return user


def current_roles() -> set[str]:
    """Roles of the logged-in user (cached for the request)."""
    if not current_user.is_authenticated:
        return set()
    if "roles" not in g:
        g.roles = roles_of(get_session(), current_user.id)
    return g.roles


def forget_user() -> None:
    """Treat the rest of this request as anonymous: a page that must not query the database."""
    login_manager._update_request_context_with_user()
    g.roles = set()


def init_app(app: Flask) -> None:
    """Set up CSRF, Flask-Login, the auth blueprint and the `roles` template global."""
    from learnpath.auth import invite  # noqa: F401  (attaches the set-password page to bp)
    from learnpath.auth.views import bp

    csrf.init_app(app)
    login_manager.init_app(app)
    remember.init_app(app)
    app.register_blueprint(bp)
    app.jinja_env.globals["current_roles"] = current_roles
