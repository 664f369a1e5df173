"""Every studio route × every role: the status each one gets (a new route without a row fails)."""

from typing import Any

from flask import Flask, url_for
from sqlmodel import Session

from learnpath.models import ApiClient, Department, Job
from learnpath.services.catalog import drafts
from learnpath.services.catalog.derivation import derive_program
from tests import factories

ROLES = ("anonymous", "learner", "author", "facilitator", "admin")
READ = {"anonymous": 302, "learner": 403, "author": 200, "facilitator": 200, "admin": 200}
FORM = {"anonymous": 302, "learner": 403, "author": 200, "facilitator": 403, "admin": 200}
DONE = {"anonymous": 302, "learner": 403, "author": 302, "facilitator": 403, "admin": 302}
# Assignment: every staff role assigns, learners never (the guard, learnpath/studio/access.py).
STAFF_DONE = {"anonymous": 302, "learner": 403, "author": 302, "facilitator": 302, "admin": 302}
STAFF_MISSING = {"anonymous": 302, "learner": 403, "author": 404, "facilitator": 404, "admin": 404}
STAFF_REFUSED = {"anonymous": 302, "learner": 403, "author": 422, "facilitator": 422, "admin": 422}
ADMIN = {"anonymous": 302, "learner": 403, "author": 403, "facilitator": 403, "admin": 200}
ADMIN_DONE = {**ADMIN, "admin": 302}
ADMIN_MISSING = {**ADMIN, "admin": 404}

PUBLISHED = {"slug": "data-literacy-essentials", "version": 1}
DRAFT = {"slug": "matrix-draft", "version": 1}
NOPE = {**DRAFT, "module": "no-such-module"}
CLIENT = {"slug": "matrix-client", "version": 1}  # a specialized draft: authors only
CLIENT_NOPE = {**CLIENT, "module": "no-such-module"}
TEAM = {"slug": "team-lead-path", "version": 1}  # personal, published, five rules
TEAM_DRAFT = {"slug": "team-lead-path", "version": 2}  # its new draft, opened in the test
NO_RULE = {**TEAM_DRAFT, "position": 99}
NO_ENROLLMENT = {**PUBLISHED, "enrollment_id": 999_999}
FIRST_USER = {"user_id": 1}  # the learner _clients makes first
NO_USER = {"user_id": 999}
DEPARTMENT = {"department_id": 1}  # made by the test
API_CLIENT = {"client_id": "lpc_matrix"}  # made in the test
JOB = {"job_id": 1}  # a finished job, made in the test: a retry is refused

# endpoint → (method, url arguments, form data, expected status per role). POSTs send data that
# gives every allowed role the same answer however often it is sent (a refusal or a no-op).
EXPECTED: dict[str, tuple[str, dict[str, Any], dict[str, str], dict[str, int]]] = {
    "studio.home": ("GET", {}, {}, READ),
    "studio.list_programs": ("GET", {}, {}, READ),
    "studio.show_program": ("GET", PUBLISHED, {}, READ),
    "studio.payoff_plot": ("GET", {"slug": "no-payoff-run"}, {}, STAFF_MISSING),
    "studio.new_program": ("POST", {}, {"title": ""}, FORM),
    "studio.edit_program": ("POST", DRAFT, {"title": ""}, FORM),
    "studio.publish_program": ("POST", DRAFT, {}, DONE),
    "studio.open_draft": ("POST", PUBLISHED, {}, DONE),
    "studio.retire_program": ("POST", DRAFT, {}, DONE),
    "studio.add_module": ("POST", DRAFT, {"module": ""}, FORM),
    "studio.move_module": ("POST", NOPE, {"direction": "up"}, DONE),
    "studio.order_modules": ("POST", DRAFT, {"module": "no-such-module"}, DONE),
    "studio.remove_module": ("POST", NOPE, {}, DONE),
    "studio.set_mandatory": ("POST", NOPE, {"mandatory": "1"}, DONE),
    "studio.set_target": ("POST", DRAFT, {"competency": ""}, FORM),
    "studio.remove_target": ("POST", {**DRAFT, "competency_id": 999}, {}, DONE),
    "studio.set_placement": ("POST", DRAFT, {}, DONE),
    "studio.list_modules": ("GET", {}, {}, READ),
    "studio.show_module": ("GET", {"slug": "dl-data-types"}, {}, READ),
    "studio.new_module": ("GET", {}, {}, FORM),
    "studio.edit_module": ("GET", {"slug": "dl-data-types"}, {}, FORM),
    "studio.list_competencies": ("GET", {}, {}, READ),
    "studio.show_competency": ("GET", {"slug": "data-literacy"}, {}, READ),
    "studio.new_competency": ("GET", {}, {}, FORM),
    "studio.edit_competency": ("GET", {"slug": "data-literacy"}, {}, FORM),
    # Calibration: authors and admins; an empty Calibrate form and an unknown version are refused.
    "studio.calibrate": ("POST", {"slug": "data-literacy"}, {}, DONE),
    "studio.preview_parameter_set": ("GET", {"slug": "data-literacy", "version": 1}, {}, FORM),
    "studio.activate_parameter_set": ("POST", {"slug": "data-literacy", "version": 99}, {}, DONE),
    "studio.show_item": ("GET", {"slug": "dl-001"}, {}, READ),
    "studio.new_item": ("GET", {"slug": "data-literacy"}, {}, FORM),
    "studio.edit_item": ("GET", {"slug": "dl-001"}, {}, FORM),
    # Derived programs: facilitators derive and edit facilitated ones only (tests/studio/
    # test_derived_views.py shows them doing it); here, on a specialized draft, they are refused.
    "studio.derive": ("GET", PUBLISHED, {}, READ),
    "studio.edit_derivation": ("GET", CLIENT, {}, FORM),
    "studio.drop_derived": ("POST", CLIENT_NOPE, {}, DONE),
    "studio.restore_derived": ("POST", CLIENT_NOPE, {}, DONE),
    "studio.move_derived": ("POST", CLIENT_NOPE, {"direction": "up"}, DONE),
    "studio.order_derived": ("POST", CLIENT, {"module": "no-such-module"}, DONE),
    "studio.swap_derived": ("POST", CLIENT, {"module": ""}, FORM),
    "studio.add_derived": ("POST", CLIENT, {"module": ""}, FORM),
    "studio.override_target": ("POST", CLIENT, {"competency": ""}, FORM),
    "studio.reset_target": ("POST", {**CLIENT, "competency_id": 999}, {}, DONE),
    "studio.facilitation": ("GET", CLIENT, {}, FORM),
    "studio.add_session": ("POST", CLIENT, {"title": ""}, FORM),
    "studio.remove_session": ("POST", {**CLIENT, "session_id": 999}, {}, DONE),
    "studio.add_overlay": ("POST", CLIENT, {"text": ""}, FORM),
    "studio.update_overlay": ("POST", {**CLIENT, "overlay_id": 999}, {"text": "x"}, DONE),
    "studio.remove_overlay": ("POST", {**CLIENT, "overlay_id": 999}, {}, DONE),
    "studio.move_overlay": ("POST", {**CLIENT, "overlay_id": 999}, {"direction": "up"}, DONE),
    "studio.order_overlays": ("POST", CLIENT, {"overlay": "999"}, DONE),
    "studio.take_in": ("GET", CLIENT, {}, DONE),  # no newer parent: said on the program page
    "studio.move_learners": ("GET", PUBLISHED, {}, FORM),
    "studio.list_rules": ("GET", TEAM, {}, READ),
    "studio.preview_rule": ("GET", {**TEAM, "position": 0}, {}, READ),
    "studio.new_rule": ("POST", TEAM_DRAFT, {"name": ""}, FORM),
    "studio.edit_rule": ("GET", {**TEAM_DRAFT, "position": 0}, {}, FORM),
    "studio.remove_rule": ("POST", NO_RULE, {}, DONE),
    "studio.move_rule": ("POST", NO_RULE, {"direction": "up"}, DONE),
    "studio.assign_index": ("GET", {}, {}, READ),
    "studio.assign": ("GET", PUBLISHED, {}, READ),
    "studio.confirm_assign": ("POST", PUBLISHED, {}, STAFF_DONE),  # incomplete: back to the form
    "studio.program_learners": ("GET", PUBLISHED, {}, READ),
    "studio.set_due": ("POST", NO_ENROLLMENT, {"due": ""}, STAFF_MISSING),
    "studio.set_cohort_due": ("POST", PUBLISHED, {"due": "not a date"}, STAFF_DONE),
    "studio.withdraw": ("POST", NO_ENROLLMENT, {}, STAFF_MISSING),
    "studio.enrol_again": ("POST", NO_ENROLLMENT, {}, STAFF_MISSING),
    "studio.set_self_enrol": ("POST", PUBLISHED, {"audience": "role", "name": ""}, STAFF_REFUSED),
    "studio.order_rules": ("POST", TEAM_DRAFT, {"rule": "99"}, DONE),
    # People admin: admins only (tests/people/test_people_views.py shows that nothing changes).
    "studio.people.list_users": ("GET", {}, {}, ADMIN),
    "studio.people.export_users": ("GET", {}, {}, ADMIN),
    "studio.people.new_user": ("POST", {}, {"email": ""}, ADMIN),
    "studio.people.edit_user": ("POST", FIRST_USER, {"name": ""}, ADMIN),
    "studio.people.invite_user": ("POST", FIRST_USER, {}, ADMIN_DONE),
    "studio.people.deactivate_user": ("POST", NO_USER, {}, ADMIN_MISSING),
    "studio.people.unlock_user": ("POST", FIRST_USER, {}, ADMIN_DONE),
    "studio.people.reactivate_user": ("POST", FIRST_USER, {}, ADMIN_DONE),  # active: no-op
    "studio.people.list_departments": ("POST", {}, {"name": ""}, ADMIN),
    "studio.people.show_department": ("POST", DEPARTMENT, {"name": ""}, ADMIN),
    "studio.people.merge_department": ("POST", DEPARTMENT, {"into": ""}, ADMIN),
    # Administration: admins only (tests/studio/test_api_client_views.py: nothing changes).
    "studio.audit": ("GET", {}, {}, ADMIN),
    "studio.audit_csv": ("GET", {}, {}, ADMIN),
    "studio.list_api_clients": ("GET", {}, {}, ADMIN),
    "studio.new_api_client": ("POST", {}, {"name": ""}, ADMIN),
    "studio.show_api_client": ("GET", API_CLIENT, {}, ADMIN),
    "studio.edit_api_client": ("POST", API_CLIENT, {"name": ""}, ADMIN),
    "studio.rotate_api_client": ("POST", API_CLIENT, {}, ADMIN),  # a new secret each time
    "studio.revoke_api_client": ("POST", API_CLIENT, {}, ADMIN_DONE),
    "studio.reactivate_api_client": ("POST", API_CLIENT, {}, ADMIN_DONE),
    # Jobs: staff follow a job's page, authors and admins retry one, admins list them all.
    "studio.show_job": ("GET", JOB, {}, READ),
    "studio.retry_job": ("POST", JOB, {}, DONE),
    "studio.list_jobs": ("GET", {}, {}, ADMIN),
}


def arrange_admin(db: Session) -> None:
    """What the admin rows address: the API client API_CLIENT, the finished job JOB."""
    db.add(ApiClient(client_id=API_CLIENT["client_id"], name="Matrix", secret_hash="-", scopes=""))
    db.add(Job(kind="move-learners", subject="matrix", status="done", result={"moved": 0}))


def _clients(app: Flask, db: Session) -> dict[str, Any]:
    clients = {"anonymous": app.test_client()}
    for role in ROLES[1:]:
        email = f"{role}@example.com"
        factories.user(db, email=email, roles=[role])
        db.commit()
        client = app.test_client()
        client.post("/auth/login", data={"email": email, "password": factories.PASSWORD})
        clients[role] = client
    return clients


def test_every_studio_route_has_an_expectation(app: Flask) -> None:
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("studio.")}
    assert endpoints == set(EXPECTED)


def arrange(catalog: Session) -> None:
    """What the rows address: the drafts, the derived client program, the admin's things."""
    drafts.create_program(catalog, "Ana", "Matrix draft", 1)
    parent = drafts.find(catalog, PUBLISHED["slug"], PUBLISHED["version"])
    assert parent is not None
    derive_program(catalog, parent, "Ana", 3, "Matrix client", "Acme", "")
    team = drafts.find(catalog, "team-lead-path", 1)
    assert team is not None
    drafts.open_draft(catalog, team, "Ana")
    arrange_admin(catalog)
    catalog.add(Department(name="Matrix department"))
    catalog.commit()


def test_each_role_gets_its_status_on_every_route(app: Flask, catalog: Session) -> None:
    """One pass over all routes (logging five users in per route would take minutes)."""
    arrange(catalog)
    clients = _clients(app, catalog)
    wrong = {}
    for endpoint, (method, args, data, statuses) in sorted(EXPECTED.items()):
        with app.test_request_context():
            url = url_for(endpoint, **args)
        got = {}
        for role in ROLES:
            response = clients[role].open(url, method=method, data=data)
            response.close()  # a streamed answer (the audit CSV) holds its request context open
            got[role] = response.status_code
            went_to_login = response.headers.get("Location", "").startswith("/auth/login?next=")
            if went_to_login != (role == "anonymous"):
                got[role] = f"{response.status_code} to {response.headers.get('Location')}"
        if got != statuses:
            wrong[endpoint] = got
    assert wrong == {}


def test_learner_gets_a_page_not_a_redirect(client, login) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    response = client.get("/studio/")
    assert response.status_code == 403
    assert "The studio is for L&amp;D staff" in response.get_data(as_text=True)


def test_studio_link_only_for_staff(client, login) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    assert 'href="/studio/"' not in client.get("/programs").get_data(as_text=True)
    client.post("/auth/logout")
    login("facilitator", email="fay@example.com")
    assert 'href="/studio/"' in client.get("/programs").get_data(as_text=True)
