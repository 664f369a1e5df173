"""Who may do what in the studio; checked on the server for every route.

Every studio request passes `guard` (logged in, and a staff role: else the login page or 403).
Views that change content, or show a form to change it, add `@authoring` (author or admin).
Facilitators read everything, derive facilitated (depth 2) programs and edit those: their
sessions, notes, examples and wording, taking in the parent's new version, publishing them
(`require_editor`). Specialized and deep programs, and moving learners, stay with authors.
Assignment (enrolling learners, due dates, withdrawing, self-enrolment) is open to every staff
role, facilitators included (they enrol their cohorts): the guard is its check.
People admin (users, departments) is a blueprint inside the studio whose every request also
passes `admin_guard`: admins only. API clients and the audit log are admin-only views
(`@admin_only`, with the same check).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from learnpath.auth import current_roles, login_manager
from learnpath.vocabulary import Depth

STAFF = frozenset({"author", "facilitator", "admin"})
AUTHORS = frozenset({"author", "admin"})
ADMINS = frozenset({"admin"})


def guard() -> Any:
    """Before every studio request: visitors go to the login page, non-staff get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_roles() & STAFF:
        abort(403, "The studio is for L&D staff: authors, facilitators and admins.")
    return None


def admin_guard() -> None:
    """Before every people-admin request (after `guard`): only admins go on."""
    if not current_roles() & ADMINS:
        abort(403, "People admin is for admins: ask one to make this change.")


def is_admin() -> bool:
    """Whether the logged-in user is an admin (shows or hides the administration links)."""
    return bool(current_roles() & ADMINS)


def authoring(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only authors and admins may call the view (the guard has already checked staff)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_roles() & AUTHORS:
            abort(403, "Only authors and admins change content in the studio.")
        return view(*args, **kwargs)

    return wrapped


def admin_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only admins may call the view; marked so that tests can tell admin pages apart."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_admin():
            abort(403, "API clients and the audit log are for admins.")
        return view(*args, **kwargs)

    wrapped.admin_only = True  # type: ignore[attr-defined]
    return wrapped


def may_edit(depth: int) -> bool:
    """Whether the logged-in user may change a program of this depth."""
    roles = current_roles()
    return bool(roles & AUTHORS) or (depth == Depth.FACILITATED and "facilitator" in roles)


def require_editor(depth: int) -> None:
    """Abort with 403 unless the logged-in user may change a program of this depth."""
    if not may_edit(depth):
        abort(403, "Facilitators change facilitated programs; authors and admins change the rest.")


def can_author() -> bool:
    """Whether the logged-in user may change content (shows or hides edit links)."""
    return bool(current_roles() & AUTHORS)
