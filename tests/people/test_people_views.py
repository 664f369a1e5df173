"""People admin pages: users created, invited, changed and deactivated by an admin only."""

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Department, Invite, Learner, User
from learnpath.services.accounts.users import roles_of
from tests import factories

NEW = {"email": "nia@example.com", "name": "Nia", "roles": ["learner"], "access": "invite"}


def _admin(client: FlaskClient, login) -> User:  # type: ignore[no-untyped-def]
    return login("admin", email="root@example.com")


def _user(db: Session, email: str) -> User:
    db.expire_all()
    return db.exec(select(User).where(User.email == email)).one()


def _link(html: str) -> str:
    found = re.search(r'value="http://localhost(/auth/invite/[^"]+)"', html)
    assert found, "the page shows the link"
    return found.group(1)


def test_an_admin_invites_a_user_and_the_link_is_shown_once(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    _admin(client, login)
    created = client.post("/studio/people/users/new", data=NEW)
    user = _user(db, "nia@example.com")
    assert created.status_code == 302 and created.location == f"/studio/people/users/{user.id}"
    page = client.get(created.location).get_data(as_text=True)
    link = _link(page)
    assert "shown once" in page
    assert "/auth/invite/" not in client.get(created.location).get_data(as_text=True)
    assert user.learner_id is not None and roles_of(db, user.id) == {"learner"}  # type: ignore[arg-type]
    client.post("/auth/logout")
    assert client.get(link).status_code == 200
    invite = db.exec(select(Invite).where(Invite.user_id == user.id)).one()
    assert link.rsplit("/", 1)[1] != invite.token_hash


def test_an_admin_sets_a_password_the_user_logs_in_with(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    _admin(client, login)
    data = {**NEW, "roles": ["author"], "access": "password", "password": "long enough pw"}
    assert client.post("/studio/people/users/new", data=data).status_code == 302
    client.post("/auth/logout")
    login_page = client.post(
        "/auth/login", data={"email": NEW["email"], "password": "long enough pw"}
    )
    assert login_page.status_code == 302
    assert _user(db, "nia@example.com").learner_id is None  # an author: no learner profile


def test_a_taken_email_is_said_beside_the_field_and_the_form_keeps_what_was_typed(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    _admin(client, login)
    factories.user(db, email="nia@example.com")
    db.commit()
    before = factories.snapshot(db)
    page = client.post("/studio/people/users/new", data={**NEW, "name": "Nia Typed"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'id="email-error">a user with &#39;nia@example.com&#39; already exists', html)
    assert 'value="Nia Typed"' in html
    assert factories.snapshot(db) == before


def test_the_list_filters_pages_and_exports_csv_with_formulas_neutralised(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    _admin(client, login)
    for n in range(55):
        factories.user(db, email=f"user{n:02d}@example.com", roles=["author"])
    evil = factories.user(db, email="evil@example.com")
    evil.name = "=cmd|' /C calc'!A0"
    db.commit()
    first = client.get("/studio/people/users?role=author").get_data(as_text=True)
    assert "55 users · page 1 of 2" in first and "User54" not in first
    second = client.get("/studio/people/users?role=author&page=2").get_data(as_text=True)
    assert "User54" in second and "User00" not in second
    assert 'href="/studio/people/users?page=1&amp;role=author"' in second
    found = client.get("/studio/people/users?text=evil").get_data(as_text=True)
    assert "1 user ·" in found
    csv = client.get("/studio/people/users.csv?text=evil")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0] == "email,name,roles,active,external_id,department,manager"
    assert lines[1] == "evil@example.com,'=cmd|' /C calc'!A0,learner,yes,EVIL,,"


def test_an_admin_changes_roles_department_manager_and_external_id(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    _admin(client, login)
    db.add(Department(name="Sales"))
    boss = factories.learner(db, "BOSS")
    user = factories.user(db, email="kim@example.com")
    db.commit()
    data = {
        "name": "Kim",
        "roles": ["learner", "facilitator"],
        "department": "Sales",
        "manager": "boss@example.com",
        "external_id": "E-900",
    }
    response = client.post(f"/studio/people/users/{user.id}", data=data)
    assert response.status_code == 302
    learner = db.get(Learner, user.learner_id)
    db.refresh(learner)
    assert learner is not None
    assert (learner.department, learner.manager_id, learner.external_id) == (
        "Sales",
        boss.id,
        "E-900",
    )
    assert roles_of(db, user.id) == {"learner", "facilitator"}  # type: ignore[arg-type]
    page = client.get(f"/studio/people/users/{user.id}").get_data(as_text=True)
    assert 'value="BOSS"' in page and 'value="E-900"' in page


def _pat_and_their_browser(app: Flask, db: Session) -> tuple[User, FlaskClient]:
    """A user, pat@example.com, and a browser of their own (the admin's client is another)."""
    user = factories.user(db, email="pat@example.com")
    db.commit()
    return user, app.test_client()


def test_deactivating_ends_the_users_open_sessions_at_once(
    app: Flask, client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    _admin(client, login)
    user, theirs = _pat_and_their_browser(app, db)
    credentials = {"email": "pat@example.com", "password": factories.PASSWORD, "remember": "y"}
    assert theirs.post("/auth/login", data=credentials).status_code == 302
    assert theirs.get("/path").status_code == 200
    assert client.post(f"/studio/people/users/{user.id}/deactivate").status_code == 302
    assert _user(db, "pat@example.com").active is False
    ended = theirs.get("/path")
    assert ended.status_code == 302 and ended.location.startswith("/auth/login")
    assert theirs.post("/auth/login", data=credentials).status_code == 200  # refused
    client.post(f"/studio/people/users/{user.id}/reactivate")
    assert _user(db, "pat@example.com").active is True
    assert theirs.post("/auth/login", data=credentials).status_code == 302


def test_an_admin_unlocks_a_locked_login(
    app: Flask, client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    _admin(client, login)
    user, theirs = _pat_and_their_browser(app, db)
    for _ in range(5):
        theirs.post("/auth/login", data={"email": "pat@example.com", "password": "wrong guess"})
    page = client.get(f"/studio/people/users/{user.id}").get_data(as_text=True)
    assert "<strong>Locked</strong> after failed logins for 1 more minute(s)." in page
    assert client.post(f"/studio/people/users/{user.id}/unlock").status_code == 302
    assert "Locked" not in client.get(f"/studio/people/users/{user.id}").get_data(as_text=True)
    credentials = {"email": "pat@example.com", "password": factories.PASSWORD}
    assert theirs.post("/auth/login", data=credentials).status_code == 302


def test_the_last_admin_is_kept_with_a_message(client: FlaskClient, db: Session, login) -> None:  # type: ignore[no-untyped-def]
    me = _admin(client, login)
    page = client.post(f"/studio/people/users/{me.id}", data={"name": "Root", "roles": ["author"]})
    assert page.status_code == 200
    assert "Root is the last active admin" in page.get_data(as_text=True)
    assert roles_of(db, me.id) == {"admin"}  # type: ignore[arg-type]
    said = client.post(f"/studio/people/users/{me.id}/deactivate", follow_redirects=True)
    assert "you cannot deactivate your own account" in said.get_data(as_text=True)
    assert _user(db, "root@example.com").active is True


def _targets(db: Session) -> dict[str, Any]:
    user = factories.user(db, email="target@example.com")
    sales, ops = Department(name="Sales"), Department(name="Ops")
    db.add_all([sales, ops])
    db.commit()
    return {"user": user.id, "sales": sales.id, "ops": ops.id}


FORMS = [
    ("/studio/people/users/new", {**NEW, "access": "password", "password": "long enough pw"}),
    ("/studio/people/users/{user}", {"name": "Changed", "roles": ["admin"]}),
    ("/studio/people/users/{user}/invite", {}),
    ("/studio/people/users/{user}/deactivate", {}),
    ("/studio/people/departments", {"name": "New department"}),
    ("/studio/people/departments/{sales}", {"name": "Renamed"}),
    ("/studio/people/departments/{sales}/merge", {"into": "{ops}"}),
]


@pytest.mark.parametrize("role", ["learner", "facilitator", "author"])
def test_non_admins_posting_to_admin_forms_get_403_and_nothing_changes(
    client: FlaskClient, db: Session, login, role: str
) -> None:  # type: ignore[no-untyped-def]
    ids = _targets(db)
    login(role)
    before = factories.snapshot(db)
    for url, data in FORMS:
        filled = {k: v.format(**ids) if isinstance(v, str) else v for k, v in data.items()}
        assert client.post(url.format(**ids), data=filled).status_code == 403, url
    assert factories.snapshot(db) == before


def test_the_same_posts_by_an_admin_each_change_something(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    """So the 403s above are not an artefact of bad forms."""
    ids = _targets(db)
    _admin(client, login)
    for url, data in FORMS:
        before = factories.snapshot(db)
        filled = {k: v.format(**ids) if isinstance(v, str) else v for k, v in data.items()}
        assert client.post(url.format(**ids), data=filled).status_code == 302, url
        assert factories.snapshot(db) != before, url


def test_people_forms_need_the_csrf_token(
    app: Flask, client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    ids = _targets(db)
    _admin(client, login)
    app.config["WTF_CSRF_ENABLED"] = True
    before = factories.snapshot(db)
    assert client.post(f"/studio/people/users/{ids['user']}/deactivate").status_code == 400
    assert client.post("/studio/people/departments", data={"name": "X"}).status_code == 400
    assert factories.snapshot(db) == before
    page = client.get(f"/studio/people/users/{ids['user']}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    url = f"/studio/people/users/{ids['user']}/deactivate"
    client.post(url, data={"csrf_token": token.group(1)})
    assert _user(db, "target@example.com").active is False


def test_departments_are_added_renamed_and_merged_from_their_pages(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    ids = _targets(db)
    factories.learner(db, "S1", department="Sales")
    db.commit()
    _admin(client, login)
    listed = client.get("/studio/people/departments").get_data(as_text=True)
    assert "Sales" in listed and "Ops" in listed
    renamed = client.post(
        f"/studio/people/departments/{ids['sales']}",
        data={"name": "Field Sales"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert (
        "Renamed Sales to Field Sales: 1 learners, 0 program audiences, 0 segment rules" in renamed
    )
    merged = client.post(
        f"/studio/people/departments/{ids['sales']}/merge",
        data={"into": str(ids["ops"])},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Merged Field Sales into Ops" in merged
    moved = db.exec(select(Learner.department).where(Learner.external_id == "S1")).one()
    assert moved == "Ops"
    clash = client.post("/studio/people/departments", data={"name": "ops"})
    assert "exists already" in clash.get_data(as_text=True)
