"""Who may do what in the studio; checked on the server for every route.

Every studio request passes `guard` (logged in, and a staff role: else the login page or 403).
Views that change content, or show a form to change it, add `@authoring` (author or admin).
Facilitators read everything; their own overlays come with the derived-program editors.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from learnpath.auth import current_roles, login_manager

STAFF = frozenset({"author", "facilitator", "admin"})
AUTHORS = frozenset({"author", "admin"})


def guard() -> Any:
    """Before every studio request: visitors go to the login page, non-staff get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_roles() & STAFF:
        abort(403, "The studio is for L&D staff: authors, facilitators and admins.")
    return None


def authoring(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only authors and admins may call the view (the guard has already checked staff)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_roles() & AUTHORS:
            abort(403, "Only authors and admins change content in the studio.")
        return view(*args, **kwargs)

    return wrapped


def can_author() -> bool:
    """Whether the logged-in user may change content (shows or hides edit links)."""
    return bool(current_roles() & AUTHORS)
