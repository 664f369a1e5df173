"""Learning events: stored once by stable id, their times, and the enrollment records they touch."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from learnpath.models import Enrollment, Program, ProgressEvent
from learnpath.models.base import pk
from learnpath.services.learning import events
from learnpath.vocabulary import aware
from tests.test_quiz_service import SLUGS, enroll

LONG_AGO = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_an_event_keeps_the_time_it_happened_and_defaults_to_no_time_spent(
    catalog: Session,
) -> None:
    enrollment = enroll(catalog)
    happened = events.record(
        catalog, "launched", enrollment.learner_id, key=("a",), occurred_at=LONG_AGO
    )
    now = events.record(catalog, "launched", enrollment.learner_id, key=("b",))
    catalog.commit()

    stored = {e.uid: e for e in catalog.exec(select(ProgressEvent)).all()}
    assert aware(stored[happened.uid].occurred_at) == LONG_AGO
    assert aware(stored[now.uid].occurred_at) > LONG_AGO + timedelta(days=365)
    assert [stored[happened.uid].time_spent_s, stored[now.uid].time_spent_s] == [0, 0]


def test_a_change_of_levels_marks_every_enrollment_of_that_learner_only_as_changed(
    catalog: Session,
) -> None:
    first = enroll(catalog, SLUGS[0], external_id="E1")
    second = Enrollment(learner_id=first.learner_id, program_id=_program_id(catalog, SLUGS[1]))
    enroll(catalog, SLUGS[0], external_id="E2")
    catalog.add(second)
    catalog.commit()

    events.touch_learner_enrollments(catalog, first.learner_id, LONG_AGO)

    # The database restamps updated_at on write (migration 0002): what the service owes is to
    # write exactly these rows, so that the next sync window holds them.
    changed = {pk(e): e.updated_at for e in catalog.dirty if isinstance(e, Enrollment)}
    assert changed == {pk(first): LONG_AGO, pk(second): LONG_AGO}


def _program_id(db: Session, slug: str) -> int:
    return pk(db.exec(select(Program).where(Program.slug == slug)).one())
