"""A placement's prior correlations come from the active parameter sets' calibration reports."""

from html import unescape

from sqlmodel import Session, select

from learnpath.models import Attempt, Competency, Enrollment, Program
from learnpath.models.base import pk
from learnpath.services.learning import quiz, quiz_rules
from learnpath.services.learning.placement_cuts import DEFAULT_CORRELATION
from learnpath.services.learning.quiz.decided import prior_correlation
from tests import factories
from tests.test_quiz_service import answer_current, enroll

PROGRAM = "team-lead-path"  # four competencies


def _competencies(db: Session) -> list[Competency]:
    program = db.exec(select(Program).where(Program.slug == PROGRAM)).one()
    return quiz_rules.program_competencies(db, program)


def _start(db: Session) -> Attempt:
    """A seeded placement of PROGRAM for a new learner, from zero stored exposure."""
    factories.forget_exposure(db)
    enrollment = enroll(db, PROGRAM)
    attempt = quiz.start_attempt(
        db, enrollment.learner_id, "placement", _competencies(db), enrollment, seed=1234
    )
    db.commit()
    return attempt


def _measure_all(db: Session, r: float) -> None:
    """Every pair of the program's competencies measured at r, from each side's report."""
    competencies = _competencies(db)
    for c in competencies:
        others = {o.slug: (r, 50) for o in competencies if o.id != c.id}
        factories.correlation_report(db, c, others)
    db.commit()


def _moved(db: Session, r: float) -> float:
    """How far one wrong answer moves the other competencies' θ̂ (mean |Δθ̂|) when all r."""
    _measure_all(db, r)
    attempt = _start(db)
    pairs = attempt.config["decisions"]["correlations"]
    assert sorted(v for row in pairs.values() for v in row.values()) == [r] * 6
    question = quiz.current_question(db, attempt)
    assert question is not None
    answered = db.get(Competency, question.item.competency_id)
    assert answered is not None
    answer_current(db, attempt, right=False)
    before, after = (attempt.estimates[i]["competencies"] for i in (0, -1))
    others = [slug for slug in after if slug != answered.slug]
    return sum(abs(after[s]["theta"] - before[s]["theta"]) for s in others) / len(others)


def test_measured_correlations_are_stored_and_borrow_more_strength_when_high(
    catalog: Session,
) -> None:
    low, high = _moved(catalog, 0.2), _moved(catalog, 0.8)
    assert 0 < low < high
    assert high > 2 * low


def test_pairs_without_a_measured_value_use_the_default(catalog: Session) -> None:
    dl, fb, _, pm = sorted(_competencies(catalog), key=lambda c: c.slug)
    factories.correlation_report(catalog, dl, {fb.slug: (0.8, 40)})
    factories.correlation_report(catalog, fb, {dl.slug: (0.6, 90), pm.slug: (0.95, 30)})
    catalog.commit()
    decisions = _start(catalog).config["decisions"]
    assert decisions["correlation"] == DEFAULT_CORRELATION == 0.5
    pairs = decisions["correlations"]
    assert pairs[dl.slug][fb.slug] == 0.6  # both sides measured: the one from more learners
    assert pairs[fb.slug][pm.slug] == 0.9  # clipped so the prior stays positive definite
    assert pairs[dl.slug][pm.slug] == 0.5  # measured by neither
    matrix = prior_correlation((pm.slug, dl.slug), decisions)
    assert matrix == [[1.0, 0.5], [0.5, 1.0]]


def test_an_inactive_calibrations_correlations_are_not_used(catalog: Session) -> None:
    dl, fb, *_ = sorted(_competencies(catalog), key=lambda c: c.slug)
    factories.correlation_report(catalog, dl, {fb.slug: (0.8, 400)}, active=False)
    catalog.commit()
    decisions = _start(catalog).config["decisions"]
    assert decisions["correlations"][dl.slug][fb.slug] == DEFAULT_CORRELATION


def test_an_older_attempt_without_pairs_replays_with_its_one_correlation() -> None:
    assert prior_correlation(("a", "b"), {"correlation": 0.3}) == 0.3
    stored = {"correlation": 0.3, "correlations": {"a": {"b": 0.7}}}
    assert prior_correlation(("b", "a"), stored) == [[1.0, 0.7], [0.7, 1.0]]


def test_the_results_page_names_each_pairs_correlation(client, catalog: Session, login) -> None:  # type: ignore[no-untyped-def]
    dl, fb, *_ = sorted(_competencies(catalog), key=lambda c: c.slug)
    factories.correlation_report(catalog, dl, {fb.slug: (0.8, 40)})
    user = login("learner")
    program = catalog.exec(select(Program).where(Program.slug == PROGRAM)).one()
    enrollment = Enrollment(learner_id=user.learner_id, program_id=pk(program))
    catalog.add(enrollment)
    catalog.flush()
    attempt = quiz.start_attempt(
        catalog, enrollment.learner_id, "placement", _competencies(catalog), enrollment
    )
    catalog.commit()
    while quiz.current_question(catalog, attempt) is not None:
        answer_current(catalog, attempt, right=True)
    html = unescape(client.get(f"/quizzes/{attempt.uid}/results").get_data(as_text=True))
    assert f"{dl.name} and {fb.name} 0.8," in html
    assert "where we had enough of them, else 0.5" in html
