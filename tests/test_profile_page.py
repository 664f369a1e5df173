"""The profile page: saving sets preferences and the onboarding time once, bad input is a 422."""

from flask.testing import FlaskClient
from sqlmodel import Session

from learnpath.models import Learner
from learnpath.vocabulary import aware
from tests.test_trajectory_views import enrolled


def _learner(db: Session, learner_id: int) -> Learner:
    db.expire_all()
    learner = db.get(Learner, learner_id)
    assert learner is not None
    return learner


def test_saving_stores_formats_and_onboards_once(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    learner_id = enrolled(catalog, login).learner_id
    assert _learner(catalog, learner_id).onboarded_at is None

    saved = {"pace": "90", "formats": ["video", "reading"]}
    assert client.post("/profile", data=saved).status_code == 302
    first = _learner(catalog, learner_id)
    assert sorted(first.preferred_formats) == ["reading", "video"]
    assert first.onboarded_at is not None
    onboarded = aware(first.onboarded_at)

    assert client.post("/profile", data={"pace": "60", "formats": ["video"]}).status_code == 302
    second = _learner(catalog, learner_id)
    assert (second.pace_minutes_per_week, second.preferred_formats) == (60, ["video"])
    assert aware(second.onboarded_at) == onboarded  # type: ignore[arg-type]


def test_a_pace_out_of_range_is_a_422_naming_the_field_and_changes_nothing(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    learner_id = enrolled(catalog, login).learner_id
    assert client.get("/profile").status_code == 200

    response = client.post("/profile", data={"pace": "5", "formats": ["video"]})
    assert response.status_code == 422
    assert "Between 15 and 1200 minutes." in response.get_data(as_text=True)
    learner = _learner(catalog, learner_id)
    assert (learner.pace_minutes_per_week, learner.preferred_formats) == (120, [])
    assert learner.onboarded_at is None
