"""The studio blueprint: L&D staff compose competencies, items, modules and programs."""

from flask import Flask

from learnpath.auth import current_roles
from learnpath.studio.access import STAFF


def is_staff() -> bool:
    """Whether the logged-in user may open the studio (author, facilitator or admin)."""
    return bool(current_roles() & STAFF)


def init_app(app: Flask) -> None:
    """Register the studio blueprint and the `is_staff` template global."""
    from learnpath.studio.blueprint import bp
    from learnpath.studio.views import (  # noqa: F401  (they attach routes to bp)
        api_clients,
        assignment,
        audit,
        calibration,
        competencies,
        composition,
        departments,
        derived,
        facilitation,
        home,
        items,
        jobs,
        learners,
        modules,
        payoff,
        people,
        programs,
        rules,
        versions,
    )

    app.register_blueprint(bp)
    app.jinja_env.globals["is_staff"] = is_staff
