"""Ownership matrix: every learner route that names something by id, asked by someone else.

Generated from the URL map: each route with an id is requested, with every method it serves, by
another learner, by staff accounts without a learner profile and by an admin who is also a
learner, with every mix of the intruder's own ids and the owner's. Each request is refused and
leaves every table as it was. The owner then asks the same and succeeds (a POST changes
something), so the refusals are not an artefact of bad ids or bad forms. A route taking an id
that is in neither ROUTES nor NOT_OWNED (nor in a blueprint of OTHER_MATRICES) fails the test:
new routes get a row on purpose.

CSRF is off in the test app, as it must be here: with it on, every forged POST would stop at
the missing token and the ownership checks behind it would go untested (tests of the CSRF check
itself are in test_quiz_views.py and test_trajectory_views.py).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from learnpath.models import Adjustment, Attempt, Competency, Enrollment, Program, User
from learnpath.models.base import pk
from tests import factories

PROGRAM = "team-lead-path"  # optional modules: one can be dropped and added back
MODULE = "pm-project-basics"  # unlocked at the start: completing it changes the trajectory
DROPPED = "pm-risk"  # dropped at set-up, so adding it back is a change
DENIED = {403, 404}
VIDEO = "fb-sbi-video"  # the program's video module: its video file and captions are served
SHARED = {"module", "video"}  # catalog slugs: the same for everybody, owned by nobody
# Ids that name nothing: someone else's must be answered exactly like these (no probing).
NOBODY: dict[str, object] = {
    "enrollment": 999_999,
    "adjustment": 999_999,
    "attempt": "00000000-0000-4000-8000-000000000000",
    "result": "00000000-0000-4000-8000-000000000000",
    "report": 999_999,
}
Values = dict[str, object]
Asked = tuple[str, str, Values]  # endpoint, method, parameter values


@dataclass(frozen=True)
class Spec:
    """A route: what each id parameter names, and the fields a POST sends."""

    names: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)
    in_form: bool = False  # the ids travel in the form, not in the URL


ON_ENROLLMENT = {"enrollment_id": "enrollment"}
ROUTES: dict[str, Spec] = {
    "learner.show_path": Spec(ON_ENROLLMENT),
    "learner.adjust_path": Spec(
        ON_ENROLLMENT, {"kind": "move", "module": "sec-phishing", "before": "pm-project-basics"}
    ),
    "learner.add_elective": Spec(ON_ENROLLMENT, {"module": DROPPED}),
    "learner.change_pace": Spec(ON_ENROLLMENT, {"pace": "300"}),
    "learner.undo_change": Spec({**ON_ENROLLMENT, "adjustment_id": "adjustment"}),
    "learner.show_module": Spec({**ON_ENROLLMENT, "slug": "module"}),
    "learner.start_module": Spec({**ON_ENROLLMENT, "slug": "module"}),  # before completing it
    "learner.complete_module": Spec({**ON_ENROLLMENT, "slug": "module"}, {"minutes": "20"}),
    "learner.module_video": Spec({**ON_ENROLLMENT, "slug": "video"}),
    "learner.module_captions": Spec({**ON_ENROLLMENT, "slug": "video"}),
    "learner.take_quiz": Spec({"uid": "attempt"}),
    "learner.resume_quiz": Spec({"uid": "attempt"}),  # restarts a clock left running: a change
    "learner.answer_quiz": Spec({"uid": "attempt"}, {"choice": "0"}),  # + the owner's step, item
    "learner.show_results": Spec({"uid": "result"}),
    "learner.show_report": Spec({"learner_id": "report"}),  # My team: a direct report's page
    "learner.show_review": Spec({"uid": "result"}),
    # Not in the URL map's arguments: an id in a form is listed by hand.
    "learner.start_quiz": Spec({"enrollment": "enrollment"}, {"kind": "placement"}, in_form=True),
}
NOT_OWNED = {
    "learner.show_program": "the catalog, by audience: tests/test_audience_matrix.py",
    "learner.self_enrol": "the catalog, by audience: tests/test_audience_matrix.py",
    "static": "files shipped with the app",
    "auth.set_password": "the invite token is the credential (tests/people/test_invites.py)",
}
# Blueprints whose routes answer to roles or scopes, not to a learner's ownership, each checked
# route by route by a matrix of its own that fails on a route it has no row for.
OTHER_MATRICES = {
    "api": "HR API, bearer scopes: tests/api/test_scope_matrix.py",
    "studio": "staff pages by role: tests/studio/test_access.py",
}
# Who asks: roles, and whether they get a learning world of their own to mix ids with.
ACTORS = {
    "another learner": (["learner"], True),
    "author": (["author"], False),
    "facilitator": (["facilitator"], False),
    "admin": (["admin"], False),
    "admin and learner": (["admin", "learner"], False),
}


@dataclass
class World:
    """One learner's logged-in client and the things they own, by kind."""

    client: FlaskClient
    owned: dict[str, object]
    answer: dict[str, str] = field(default_factory=dict)  # step and item of the shown question


def routes_with_ids(app: Flask) -> dict[str, set[str]]:
    """Every endpoint whose URL takes a parameter, with the methods it serves."""
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.arguments:
            found.setdefault(rule.endpoint, set()).update(rule.methods - {"HEAD", "OPTIONS"})  # type: ignore[operator]
    return found


def methods_of(app: Flask, endpoint: str) -> set[str]:
    """The methods an endpoint serves."""
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    return set().union(*(r.methods - {"HEAD", "OPTIONS"} for r in rules))  # type: ignore[operator]


def sign_in(app: Flask, db: Session, email: str, roles: list[str]) -> FlaskClient:
    """A client logged in as a new user with these roles."""
    factories.user(db, email=email, roles=roles)
    db.commit()
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def build_world(app: Flask, db: Session, email: str) -> World:
    """A learner enrolled with a pace change and a drop, one finished and one active quiz.

    They also manage someone (a direct report, whose page is on their My team).
    """
    client = sign_in(app, db, email, ["learner"])
    user = db.exec(select(User).where(User.email == email)).one()
    report = factories.learner(db, factories.unique("report"), manager_id=user.learner_id)
    program = db.exec(select(Program).where(Program.slug == PROGRAM)).one()
    enrollment = Enrollment(learner_id=user.learner_id, program_id=pk(program))  # type: ignore[arg-type]
    db.add(enrollment)
    db.commit()
    base = f"/path/{enrollment.id}"
    assert client.post(f"{base}/pace", data={"pace": "240"}).status_code == 302
    assert (
        client.post(f"{base}/adjust", data={"kind": "drop", "module": DROPPED}).status_code == 302
    )
    pace = db.exec(select(Adjustment).where(Adjustment.enrollment_id == enrollment.id)).first()
    assert pace is not None and pace.kind == "pace" and pace.active
    first, second = db.exec(select(Competency.slug).order_by(col(Competency.id))).all()[:2]
    finished = start_check(client, first)
    attempt = db.exec(select(Attempt).where(Attempt.uid == finished)).one()
    attempt.last_activity_at -= timedelta(minutes=app.config["ATTEMPT_IDLE_MINUTES"] + 1)
    db.add(attempt)
    db.commit()
    active = start_check(client, second)  # a Start closes the idle attempt with its results
    waiting = db.exec(select(Attempt).where(Attempt.uid == active)).one()
    assert waiting.shown_at is not None
    waiting.shown_at -= timedelta(minutes=10)  # left a while: the owner's Resume restarts it
    db.add(waiting)
    db.commit()
    page = client.get(f"/quizzes/{active}").get_data(as_text=True)
    answer = {
        name: re.search(rf'name="{name}" type="hidden" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
        for name in ("step", "item")
    }
    owned = {
        "enrollment": pk(enrollment),
        "adjustment": pk(pace),
        "attempt": active,
        "result": finished,
        "module": MODULE,
        "video": VIDEO,
        "report": pk(report),
    }
    return World(client, owned, answer)


def start_check(client: FlaskClient, competency: str) -> str:
    """Start a check on one competency through the form; the attempt's uid."""
    response = client.post("/quizzes", data={"kind": "check", "competency": competency})
    assert response.status_code == 302 and response.location.startswith("/quizzes/")
    return str(response.location.rsplit("/", 1)[-1])


def request(client: FlaskClient, endpoint: str, method: str, values: Values, owner: World) -> int:
    """Send one request of the matrix; its status. An answer names the owner's shown step."""
    spec = ROUTES[endpoint]
    with client.application.test_request_context():  # only to build the URL: no shared `g`
        url = url_for(endpoint) if spec.in_form else url_for(endpoint, **values)
    form = {**spec.form, **(values if spec.in_form else {})}
    if endpoint == "learner.answer_quiz":
        form |= owner.answer
    return client.open(url, method=method, data=form if method == "POST" else None).status_code


def probe(db: Session, who: str, client: FlaskClient, asked: Asked, owner: World) -> int:
    """One request by an intruder, which must leave every table as it was; its status."""
    before = factories.snapshot(db)
    status = request(client, *asked, owner)
    assert factories.snapshot(db) == before, f"{who}: {asked} changed the database"
    return status


def combos(spec: Spec, owner: World, actor: World | None) -> list[tuple[Values, bool]]:
    """The parameter values to try, each with whether the route's first (parent) id is foreign.

    Every parameter naming something owned takes the owner's value or the actor's own (if the
    actor has a learning world), and at least one of them is the owner's.
    """
    kinds = list(spec.names.values())
    choices = [
        [owner.owned[kind]] + ([actor.owned[kind]] if actor and kind not in SHARED else [])
        for kind in kinds
    ]
    tried = []
    for picked in itertools.product(*choices):
        foreign = [
            k not in SHARED and owner.owned[k] == v for k, v in zip(kinds, picked, strict=True)
        ]
        if any(foreign):
            tried.append((dict(zip(spec.names, picked, strict=True)), foreign[0]))
    return tried


def test_every_route_with_an_id_has_a_row_in_the_matrix(app: Flask) -> None:
    served = routes_with_ids(app)
    elsewhere = {e for e in served if e.split(".")[0] in OTHER_MATRICES}
    missing = set(served) - set(ROUTES) - set(NOT_OWNED) - elsewhere
    assert not missing, f"routes with an id but no ownership expectation: {sorted(missing)}"
    assert set(NOT_OWNED) <= set(served), "NOT_OWNED names routes that no longer exist"
    assert set(OTHER_MATRICES) <= set(app.blueprints), "OTHER_MATRICES names no blueprint"
    for endpoint, spec in ROUTES.items():
        if not spec.in_form:
            assert endpoint in served, f"{endpoint} is in ROUTES but not in the URL map"
        assert methods_of(app, endpoint), endpoint


def test_nobody_but_the_owner_reaches_a_learners_things(app: Flask, catalog: Session) -> None:
    assert app.config["WTF_CSRF_ENABLED"] is False, "forged POSTs must reach the views"
    owner = build_world(app, catalog, "pat@example.com")
    for n, (name, (roles, has_world)) in enumerate(ACTORS.items()):
        email = f"intruder{n}@example.com"
        actor = build_world(app, catalog, email) if has_world else None
        client = actor.client if actor else sign_in(app, catalog, email, roles)
        intruder = Intruder(name, client, is_learner="learner" in roles)
        for endpoint, spec in ROUTES.items():
            for method in sorted(methods_of(app, endpoint)):
                for values, parent_foreign in combos(spec, owner, actor):
                    intruder.intrude(catalog, (endpoint, method, values), owner, parent_foreign)
    assert_the_owner_gets_through(app, catalog, owner)


@dataclass
class Intruder:
    """Someone asking for what is not theirs."""

    name: str
    client: FlaskClient
    is_learner: bool  # a learner gets 404 (as for an id of nobody's), an account without one 403

    def intrude(self, db: Session, asked: Asked, owner: World, parent_foreign: bool) -> None:
        """One request: refused, nothing changed, and (to a learner) no hint the id exists."""
        status = probe(db, self.name, self.client, asked, owner)
        where = f"{self.name}: {asked} answered {status}"
        if not parent_foreign:  # own parent, foreign child: may be refused like a stale form
            assert status in DENIED | {302}, where
            return
        assert status == (404 if self.is_learner else 403), where
        if self.is_learner:
            endpoint, method, values = asked
            parent, kind = next(iter(ROUTES[endpoint].names.items()))
            missing = {**values, parent: NOBODY[kind]}
            assert probe(db, self.name, self.client, (endpoint, method, missing), owner) == 404, (
                where
            )


def assert_the_owner_gets_through(app: Flask, db: Session, owner: World) -> None:
    """The same requests as their owner: pages answer 200 and every POST changes something."""
    for endpoint, spec in ROUTES.items():
        values = {name: owner.owned[kind] for name, kind in spec.names.items()}
        for method in sorted(methods_of(app, endpoint)):
            before = factories.snapshot(db)
            status = request(owner.client, endpoint, method, values, owner)
            if method == "GET":
                assert status == 200, f"owner: GET {endpoint} answered {status}"
            else:
                assert status == 302, f"owner: POST {endpoint} answered {status}"
                assert factories.snapshot(db) != before, f"owner: POST {endpoint} changed nothing"
