"""Pretest items in placements: unscored, never first, at most one per ten, seeded positions."""

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from learnpath.models import (
    Attempt,
    Competency,
    CompetencyLevel,
    Enrollment,
    Item,
    Program,
    Response,
)
from learnpath.models.base import pk
from learnpath.services.catalog import composition
from learnpath.services.catalog.authoring import Invalid
from learnpath.services.catalog.parameter_sets import pretest_slugs, response_rows
from learnpath.services.learning import pretest, quiz, quiz_rules
from learnpath.services.learning.quiz import attempts as quiz_attempts
from tests.factories import forget_exposure
from tests.studio.test_program_service import new_draft
from tests.test_quiz_service import enroll, key_of, start_placement, wrong_of

PROGRAM = "data-literacy-essentials"


def mark_pretest(db: Session, count: int = 3) -> list[int]:
    """The newest items of the program's first competency become pretest items (not in banks)."""
    program = db.exec(select(Program).where(Program.slug == PROGRAM)).one()
    first = db.exec(select(Item).order_by(col(Item.id))).first()
    assert first is not None and program.placement
    items = db.exec(
        select(Item).where(Item.competency_id == first.competency_id).order_by(col(Item.id).desc())
    ).all()[:count]
    for item in items:
        item.status, item.active = "pretest", False
        db.add(item)
    db.commit()
    return [pk(i) for i in items]


def set_share(db: Session, share: float) -> None:
    """The program's placement.pretest_share."""
    program = db.exec(select(Program).where(Program.slug == PROGRAM)).one()
    program.placement = {**(program.placement or {}), "pretest_share": share}
    db.add(program)
    db.commit()


def run(
    db: Session, seed: int, monkeypatch: pytest.MonkeyPatch, enrollment: Enrollment | None = None
) -> tuple[Attempt, list[int]]:
    """A placement under `seed`, right exactly on even item ids; the items shown, in order."""
    monkeypatch.setattr(quiz_attempts.secrets, "randbelow", lambda _n: seed)
    attempt = start_placement(db, enrollment or enroll(db))
    shown = []
    while attempt.status == "active":
        question = quiz.current_question(db, attempt)
        assert question is not None
        shown.append(pk(question.item))
        chosen = key_of(question.item) if pk(question.item) % 2 == 0 else wrong_of(question.item)
        assert quiz.answer(db, attempt, question.step, pk(question.item), chosen).name == "RECORDED"
        db.commit()
    return attempt, shown


def early_seed(db: Session) -> int:
    """A seed whose plan puts the first pretest item within the first five questions."""
    program = db.exec(select(Program).where(Program.slug == PROGRAM)).one()
    competencies = quiz_rules.program_competencies(db, program)
    for seed in range(100):
        found = pretest.plan(db, competencies, frozenset(), seed, 0.1, 20)
        if found and found["steps"][0] <= 4:
            return seed
    raise AssertionError("no seed puts a pretest item early")


def test_pretest_answers_are_stored_but_change_nothing_scored(
    catalog: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    trial = mark_pretest(catalog)
    seed = early_seed(catalog)
    with_trial, shown = run(catalog, seed, monkeypatch)
    served = [i for i in shown if i in trial]
    assert served and shown[0] not in trial
    plan = with_trial.config["pretest"]
    assert [shown.index(i) for i in served] == plan["steps"][: len(served)]
    set_share(catalog, 0.0)
    forget_exposure(catalog)  # the second run must choose from the same counts as the first
    without, scored_only = run(catalog, seed, monkeypatch)
    assert without.config["pretest"] is None
    assert [i for i in shown if i not in trial] == scored_only
    assert with_trial.results and without.results
    assert with_trial.results["competencies"] == without.results["competencies"]
    assert with_trial.results["n_items"] == len(scored_only)
    assert with_trial.results["unscored_items"] == len(served)
    rows = catalog.exec(select(Response).where(Response.attempt_id == with_trial.id)).all()
    assert {r.item_id for r in rows if r.theta is None} == set(served)
    levels = [
        catalog.get(CompetencyLevel, (a.learner_id, a.competency_ids[0]))
        for a in (with_trial, without)
    ]
    assert levels[0] and levels[1] and levels[0].theta == levels[1].theta


@pytest.mark.parametrize("share", [0.1, 0.25])
def test_plans_never_start_with_a_pretest_item_and_keep_the_share(
    catalog: Session, share: float
) -> None:
    mark_pretest(catalog, count=10)
    program = catalog.exec(select(Program).where(Program.slug == PROGRAM)).one()
    competencies = quiz_rules.program_competencies(catalog, program)
    block = round(1 / share)
    for seed in range(200):
        found = pretest.plan(catalog, competencies, frozenset(), seed, share, 60)
        assert found == pretest.plan(catalog, competencies, frozenset(), seed, share, 60)
        assert found is not None and 0 not in found["steps"]
        assert [s // block for s in found["steps"]] == list(range(len(found["steps"])))
        assert len(set(found["items"])) == len(found["items"])


def test_no_pretest_items_or_share_zero_plan_nothing(catalog: Session) -> None:
    program = catalog.exec(select(Program).where(Program.slug == PROGRAM)).one()
    competencies = quiz_rules.program_competencies(catalog, program)
    assert pretest.plan(catalog, competencies, frozenset(), 1, 0.1, 20) is None
    mark_pretest(catalog)
    assert pretest.plan(catalog, competencies, frozenset(), 1, 0.0, 20) is None


def test_the_results_page_says_which_questions_were_not_scored(
    catalog: Session,
    monkeypatch: pytest.MonkeyPatch,
    client: FlaskClient,
    login,  # type: ignore[no-untyped-def]
) -> None:
    mark_pretest(catalog)
    user = login("learner")
    program = catalog.exec(select(Program).where(Program.slug == PROGRAM)).one()
    enrollment = Enrollment(learner_id=user.learner_id, program_id=pk(program))
    catalog.add(enrollment)
    catalog.commit()
    attempt, _ = run(catalog, early_seed(catalog), monkeypatch, enrollment)
    assert attempt.results
    page = client.get(f"/quizzes/{attempt.uid}/results").get_data(as_text=True)
    n, trial = attempt.results["n_items"], attempt.results["unscored_items"]
    assert f"{n} questions (and {trial} trial question" in page


def test_calibration_reads_pretest_responses_and_knows_the_pretest_items(
    catalog: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    trial = mark_pretest(catalog)
    attempt, shown = run(catalog, early_seed(catalog), monkeypatch)
    competency = catalog.get(Competency, attempt.competency_ids[0])
    assert competency is not None
    slugs = {pk(i): i.slug for i in catalog.exec(select(Item)).all()}
    assert pretest_slugs(catalog, competency) == {slugs[i] for i in trial}
    items, rows = response_rows(catalog, competency)
    served = [slugs[i] for i in shown if i in trial]
    assert served and set(served) <= set(items) and len(rows) == 1


def test_the_share_is_checked_and_kept_when_the_studio_form_omits_it(catalog: Session) -> None:
    program = new_draft(catalog, "dl-data-types", "dl-averages-and-spread")
    with pytest.raises(Invalid, match="pretest_share"):
        composition.set_placement(catalog, program, "Ana", None, {"pretest_share": 0.6})
    composition.set_placement(catalog, program, "Ana", None, {"pretest_share": 0.2})
    composition.set_placement(catalog, program, "Ana", None, {"max_items": 12})
    assert program.placement is not None
    assert (program.placement["pretest_share"], program.placement["max_items"]) == (0.2, 12)
