"""The create-user, demo and export commands."""

from pathlib import Path

import pytest
from flask.testing import FlaskCliRunner
from sqlmodel import Session, select

from learnpath.models import Department, Enrollment, Learner, User, UserRole
from learnpath.services.accounts.users import authenticate
from tests.conftest import CONTENT, PG_URL


def test_create_user_with_roles(runner: FlaskCliRunner, db: Session) -> None:
    args = [
        "create-user",
        "--email",
        "Lee@Example.com",
        "--name",
        "Lee",
        "--role",
        "author",
        "--role",
        "facilitator",
    ]
    result = runner.invoke(args=[*args, "--password", "a long enough secret"])
    assert result.exit_code == 0, result.output
    user = db.exec(select(User).where(User.email == "lee@example.com")).one()
    roles = set(db.exec(select(UserRole.role).where(UserRole.user_id == user.id)).all())
    assert roles == {"author", "facilitator"}
    assert authenticate(db, "lee@example.com", "a long enough secret") is not None


def test_create_user_refuses_short_password_and_duplicates(
    runner: FlaskCliRunner, db: Session
) -> None:
    args = [
        "create-user",
        "--email",
        "lee@example.com",
        "--name",
        "Lee",
        "--role",
        "admin",
        "--password",
    ]
    short = runner.invoke(args=[*args, "short"])
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    assert runner.invoke(args=[*args, "a long enough secret"]).exit_code == 0
    again = runner.invoke(args=[*args, "a long enough secret"])
    assert again.exit_code == 2 and "already exists" in again.output
    assert len(db.exec(select(User)).all()) == 1


def test_demo_is_refused_off_the_embedded_database(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["demo", "--content", str(CONTENT)])
    assert result.exit_code == 1
    assert "only created on the embedded SQLite database" in result.output


@pytest.mark.skipif(
    bool(PG_URL),
    reason="demo accounts exist only on the embedded SQLite database; on PostgreSQL "
    "test_demo_is_refused_off_the_embedded_database covers the refusal",
)
def test_demo_creates_accounts_once_and_prints_them(
    runner: FlaskCliRunner, db: Session, app
) -> None:  # type: ignore[no-untyped-def]
    app.config["EMBEDDED_DATABASE"] = True
    accounts = Path(app.instance_path) / "demo-accounts.txt"
    accounts.unlink(missing_ok=True)
    try:
        first = runner.invoke(args=["demo", "--content", str(CONTENT)])
        assert first.exit_code == 0, first.output
        assert "ana@demo.learnpath" in first.output and "admin@demo.learnpath" in first.output
        # The list says who is who, not two anonymous "learner" lines.
        for who in ("team lead in Operations", "analyst in Finance", "author: Alex Author"):
            assert who in first.output, who
        assert "facilitator: Fran" in first.output and "admin: Ada" in first.output
        users = len(db.exec(select(User)).all())
        assert users == 5
        assert len(db.exec(select(Enrollment)).all()) == 4
        ana, ben = (
            db.exec(select(Learner).where(Learner.external_id == key)).one()
            for key in ("E1001", "E1002")
        )
        assert ben.manager_id == ana.id  # Ana's My team shows Ben
        listed = db.exec(select(Department.name).order_by(Department.name)).all()
        assert listed == ["Finance", "Operations"]
        second = runner.invoke(args=["demo", "--content", str(CONTENT)])
        assert second.exit_code == 0 and "nothing changed" in second.output
        assert len(db.exec(select(User)).all()) == users
        line = next(x for x in accounts.read_text().splitlines() if "ana@demo.learnpath" in x)
        assert authenticate(db, "ana@demo.learnpath", line.split()[1]) is not None
        assert accounts.stat().st_mode & 0o077 == 0
    finally:
        accounts.unlink(missing_ok=True)


def test_export_command_writes_the_catalog(runner: FlaskCliRunner, tmp_path: Path) -> None:
    runner.invoke(args=["import-content", str(CONTENT)])
    result = runner.invoke(args=["export-content", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert (tmp_path / "out" / "competencies.yaml").exists()
    assert len(list((tmp_path / "out" / "programs").glob("*.yaml"))) >= 5


def test_a_learner_login_gets_a_profile_or_links_the_provisioned_one(
    runner: FlaskCliRunner, db: Session
) -> None:
    base = ["create-user", "--role", "learner", "--password", "a long enough secret"]
    fresh = runner.invoke(args=[*base, "--email", "new@example.com", "--name", "New"])
    assert fresh.exit_code == 0, fresh.output
    user = db.exec(select(User).where(User.email == "new@example.com")).one()
    profile = db.get(Learner, user.learner_id)
    assert profile is not None and profile.external_id == "new@example.com"
    db.add(Learner(external_id="E7", email="hr@example.com", name="From HR"))
    db.commit()
    linked = runner.invoke(
        args=[*base, "--email", "hr-login@example.com", "--name", "HR", "--external-id", "E7"]
    )
    assert linked.exit_code == 0, linked.output
    user = db.exec(select(User).where(User.email == "hr-login@example.com")).one()
    assert db.get(Learner, user.learner_id).external_id == "E7"  # type: ignore[union-attr]
    twice = runner.invoke(
        args=[*base, "--email", "other@example.com", "--name", "O", "--external-id", "E7"]
    )
    assert twice.exit_code == 2 and "already has a login" in twice.output
