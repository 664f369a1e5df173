"""What a web quiz runs under, read from the attempt it stored: prior and exposure control.

A placement starts every competency from the population prior N(0, 1) in logits: a wider prior
asks more items to reach the same precision and a narrower one biases the first levels. Items
are priced under a 0.25 exposure ceiling counted across every learner (quiz/exposure.py), so that
the same few items are not shown first to every learner; without it every attempt would open on
the same item.
"""

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from learnpath.models import Attempt, Competency, Enrollment, Program
from learnpath.models.base import pk

PRIOR = {"prior_mean": 0.0, "prior_sd": 1.0}
EXPOSURE = {"selection": "maxinfo", "exposure_ceiling": 0.25, "exposure_pricing": True}
STARTS = 20  # under a 0.25 ceiling no item opens more than 5 of 20 attempts


def started(client: FlaskClient, db: Session, data: dict[str, object]) -> Attempt:
    """Start a quiz through the form; the attempt it stored."""
    response = client.post("/quizzes", data=data)
    assert response.status_code == 302 and response.location.startswith("/quizzes/")
    db.expire_all()
    uid = response.location.rsplit("/", 1)[-1]
    return db.exec(select(Attempt).where(Attempt.uid == uid)).one()


def enrolled(db: Session, login, slug: str = "team-lead-path") -> Enrollment:  # type: ignore[no-untyped-def]
    """Log in as a learner enrolled in a program with a placement over several competencies."""
    user = login("learner")
    program = db.exec(select(Program).where(Program.slug == slug)).one()
    enrollment = Enrollment(learner_id=user.learner_id, program_id=pk(program))
    db.add(enrollment)
    db.commit()
    return enrollment


def test_placements_and_checks_start_from_the_standard_prior_priced_under_the_ceiling(
    client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    placement = started(client, catalog, {"kind": "placement", "enrollment": enrollment.id})
    assert len(placement.config["rules"]) == 4  # one set of rules per competency measured
    slug = catalog.exec(select(Competency.slug)).first()
    check = started(client, catalog, {"kind": "check", "competency": slug})
    for attempt in (placement, check):
        for competency, rules in attempt.config["rules"].items():
            assert {k: rules[k] for k in PRIOR} == PRIOR, (attempt.kind, competency)
            assert {k: rules[k] for k in EXPOSURE} == EXPOSURE, (attempt.kind, competency)


def test_exposure_control_varies_the_first_item_across_attempts(
    app: Flask, client: FlaskClient, catalog: Session, login
) -> None:  # type: ignore[no-untyped-def]
    enrollment = enrolled(catalog, login)
    form = {"kind": "placement", "enrollment": enrollment.id}
    idle = timedelta(minutes=app.config["ATTEMPT_IDLE_MINUTES"] + 1)
    first_items = []
    for _ in range(STARTS):
        attempt = started(client, catalog, form)
        first_items.append(attempt.shown_item_id)
        attempt.last_activity_at -= idle  # left idle: the next start closes it and starts anew
        catalog.add(attempt)
        catalog.commit()
    assert len(catalog.exec(select(Attempt)).all()) == STARTS
    assert None not in first_items
    assert len(set(first_items)) >= 3, f"first items of {STARTS} attempts: {first_items}"
