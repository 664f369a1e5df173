"""The embedded demo: learners with profiles and enrollments, and one account per staff role."""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from learnpath.files import private_file
from learnpath.models import Enrollment, Learner, Program, User
from learnpath.models.base import pk
from learnpath.services.accounts import departments
from learnpath.services.accounts.users import create_user
from learnpath.vocabulary import utcnow

DEMO_LEARNERS = [
    # email, name, external id, role, department, interests, programs (slugs)
    (
        "ana@demo.learnpath",
        "Ana Petrova",
        "E1001",
        "team-lead",
        "Operations",
        ["coaching", "charts"],
        ["team-lead-path", "data-literacy-essentials"],
    ),
    (
        "ben@demo.learnpath",
        "Ben Okafor",
        "E1002",
        "analyst",
        "Finance",
        ["spreadsheets", "statistics"],
        ["secure-finance-operations", "data-literacy-essentials"],
    ),
]
DEMO_STAFF = [
    ("author@demo.learnpath", "Alex Author", ["author"], "writes and publishes programs"),
    (
        "facilitator@demo.learnpath",
        "Fran Facilitator",
        ["facilitator"],
        "runs cohorts: sessions, notes, schedules",
    ),
    ("admin@demo.learnpath", "Ada Admin", ["admin"], "manages people, roles and the audit log"),
]


def ensure_demo(session: Session, new_password: Callable[[], str]) -> list[tuple[str, str, str]]:
    """Create missing demo accounts; returns (email, password, who) of those created now.

    `who` says who the account is: its roles, name and job, so that the printed list tells the
    team lead from the analyst and the author from the admin.
    """
    created = []
    for email, name, ext_id, role, dept, interests, programs in DEMO_LEARNERS:
        if session.exec(select(User).where(User.email == email)).first():
            continue
        learner = Learner(
            external_id=ext_id,
            email=email,
            name=name,
            role=role,
            department=dept,
            interests=interests,
        )
        session.add(learner)
        session.flush()
        password = new_password()
        create_user(session, email, name, password, ["learner"], learner=learner)
        _enroll(session, learner, programs)
        job = role.replace("-", " ")
        created.append((email, password, f"learner: {name}, {job} in {dept}"))
    _demo_team(session)
    for email, name, roles, does in DEMO_STAFF:
        if session.exec(select(User).where(User.email == email)).first():
            continue
        password = new_password()
        create_user(session, email, name, password, roles)
        created.append((email, password, f"{', '.join(roles)}: {name}, {does}"))
    return created


def _demo_team(session: Session) -> None:
    """Ben reports to Ana (her My team shows him); the demo departments are listed."""
    ana, ben = (
        session.exec(select(Learner).where(Learner.external_id == key)).first()
        for key in ("E1001", "E1002")
    )
    if ana is not None and ben is not None and ben.manager_id is None:
        ben.manager_id = pk(ana)
        session.add(ben)
    for learner in (ana, ben):
        if learner is not None and departments.by_name(session, learner.department) is None:
            departments.create(session, learner.department)
    session.flush()


def _enroll(session: Session, learner: Learner, slugs: list[str]) -> None:
    for slug in slugs:
        program = session.exec(
            select(Program)
            .where(Program.slug == slug, Program.status == "published")
            .order_by(Program.version.desc())  # type: ignore[attr-defined]
        ).first()
        if program is not None:
            due = utcnow() + timedelta(weeks=8)
            session.add(
                Enrollment(
                    learner_id=pk(learner), program_id=pk(program), due_at=due, source="demo"
                )
            )
    session.flush()


def write_accounts(path: Path, created: list[tuple[str, str, str]]) -> None:
    """Append new demo logins to the instance's accounts file (readable by the owner only)."""
    lines = "".join(f"  {email:32s} {password:16s} {roles}\n" for email, password, roles in created)
    private_file(path, lines, append=True)
