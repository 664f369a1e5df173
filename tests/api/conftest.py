"""API fixtures: clients with chosen scopes, bearer headers, and a few catalog look-ups."""

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Enrollment, Learner, Program, User
from learnpath.models.base import pk
from learnpath.services.integration.clients import SCOPES, create_client
from tests import factories

Headers = dict[str, str]


@pytest.fixture
def make_client(db: Session) -> Callable[..., tuple[str, str]]:
    """Create an API client with the given scopes; returns (client_id, secret)."""

    def _make(*scopes: str, name: str = "Workday") -> tuple[str, str]:
        client, secret = create_client(db, name, " ".join(scopes or SCOPES))
        db.commit()
        return client.client_id, secret

    return _make


@pytest.fixture
def bearer(
    client: FlaskClient, make_client: Callable[..., tuple[str, str]]
) -> Callable[..., Headers]:
    """Headers with a fresh token of a new client holding `scopes` (all by default)."""

    def _bearer(*scopes: str) -> Headers:
        client_id, secret = make_client(*scopes)
        response = client.post(
            "/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": secret,
            },
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        return {"Authorization": f"Bearer {response.json['access_token']}"}

    return _bearer


@pytest.fixture
def everything(bearer: Callable[..., Headers]) -> Headers:
    """Headers of a token holding every scope."""
    return bearer()


def token_headers(client: FlaskClient, db: Session) -> Headers:
    """Headers with a token of a new API client holding every scope (outside the fixtures)."""
    api_client, secret = create_client(db, "HR", " ".join(SCOPES))
    db.commit()
    grant = {"grant_type": "client_credentials", "client_id": api_client.client_id}
    token = client.post("/oauth/token", data={**grant, "client_secret": secret}).json
    return {"Authorization": f"Bearer {token['access_token']}"}


def program(db: Session, slug: str = "data-literacy-essentials", version: int = 1) -> Program:
    """A program version of the shipped catalog."""
    return db.exec(select(Program).where(Program.slug == slug, Program.version == version)).one()


def enroll(db: Session, learner: Learner, chosen: Program, **fields: object) -> Enrollment:
    """An enrollment of a learner in a program, committed."""
    row = Enrollment(learner_id=pk(learner), program_id=pk(chosen), **fields)  # type: ignore[arg-type]
    db.add(row)
    db.commit()
    return row


def enrolled_user(db: Session, email: str = "e1@example.com") -> tuple[User, Learner]:
    """A user with a learner profile, enrolled in the shipped Data Literacy Essentials."""
    user = factories.user(db, email=email)
    learner = db.get(Learner, user.learner_id)
    assert learner is not None
    enroll(db, learner, program(db))
    return user, learner


def learners(db: Session, n: int, prefix: str = "E") -> list[Learner]:
    """n learners, committed."""
    made = [factories.learner(db, external_id=f"{prefix}{i:04d}") for i in range(n)]
    db.commit()
    return made
