"""My team: a manager's direct reports with programs, status, due dates, levels; nobody else."""

from datetime import timedelta

from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Competency, CompetencyLevel, Enrollment, Learner, Program
from learnpath.models.base import pk
from learnpath.vocabulary import utcnow
from tests import factories

THETA = 0.8123


def _team(db: Session, manager: Learner) -> tuple[Learner, Learner]:
    """A report with an overdue program and a level, and a learner who reports to nobody."""
    report = factories.learner(db, "REP", name="Rae Report", manager_id=pk(manager))
    stranger = factories.learner(db, "STR", name="Sam Stranger")
    program = db.exec(select(Program).where(Program.slug == "data-literacy-essentials")).first()
    competency = db.exec(select(Competency).where(Competency.slug == "data-literacy")).one()
    assert program is not None
    for who in (report, stranger):
        db.add(
            Enrollment(
                learner_id=pk(who), program_id=pk(program), due_at=utcnow() - timedelta(days=2)
            )
        )
        db.add(
            CompetencyLevel(
                learner_id=pk(who),
                competency_id=pk(competency),
                theta=THETA,
                se=0.3,
                level="advanced",
            )
        )
    db.commit()
    return report, stranger


def _manager(db: Session, login) -> Learner:  # type: ignore[no-untyped-def]
    user = login("learner", email="max@example.com")
    manager = db.get(Learner, user.learner_id)
    assert manager is not None
    return manager


def test_a_manager_sees_reports_programs_due_dates_overdue_and_level_names(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    report, _ = _team(catalog, _manager(catalog, login))
    page = client.get("/team").get_data(as_text=True)
    assert "Rae Report" in page and "Sam Stranger" not in page
    assert "Data Literacy Essentials" in page and "overdue" in page
    assert "Data literacy: advanced" in page
    assert str(THETA) not in page and "0.81" not in page and "theta" not in page.lower()
    detail = client.get(f"/team/{report.id}").get_data(as_text=True)
    assert "Rae Report" in detail and "overdue" in detail and "advanced" in detail
    assert "0.81" not in detail
    assert 'href="/team"' in detail  # the nav link: they have reports


def test_a_manager_gets_404_for_someone_who_does_not_report_to_them(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    _, stranger = _team(catalog, _manager(catalog, login))
    assert client.get(f"/team/{stranger.id}").status_code == 404
    assert client.get("/team/999999").status_code == 404


def test_a_learner_without_reports_has_an_empty_team_and_no_link(
    client: FlaskClient, db: Session, login
) -> None:  # type: ignore[no-untyped-def]
    login("learner")
    page = client.get("/team").get_data(as_text=True)
    assert "Nobody reports to you" in page
    assert 'href="/team"' not in client.get("/programs").get_data(as_text=True)


def test_a_staff_account_without_a_learner_profile_is_refused(client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    login("admin")
    assert client.get("/team").status_code == 403
