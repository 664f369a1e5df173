"""Adaptive quiz attempts: start, exactly-once answers, results, idle attempts, decision speed."""

import math
import threading
from datetime import timedelta

import numpy as np
import pytest
from flask.testing import FlaskCliRunner
from sqlmodel import Session, func, select

from learnpath.irt import estimate
from learnpath.models import (
    Attempt,
    Competency,
    CompetencyLevel,
    Enrollment,
    Item,
    ItemParameter,
    ItemParameterSet,
    LearnerStat,
    Program,
    ProgressEvent,
    Response,
)
from learnpath.models.base import pk
from learnpath.planning import Bands, LevelEstimate
from learnpath.services.catalog.banks import BankSnapshot
from learnpath.services.learning import events, idle, quiz, quiz_rules, results
from learnpath.services.learning.quiz import attempts as quiz_attempts
from learnpath.vocabulary import LEVELS, utcnow
from tests import factories

SLUGS = ("data-literacy-essentials", "information-security-basics")


def enroll(db: Session, slug: str = SLUGS[0], external_id: str | None = None) -> Enrollment:
    """A new learner enrolled in a shipped program."""
    count = db.exec(select(func.count()).select_from(Enrollment)).one()
    learner = factories.learner(db, external_id or f"E{count + 1}")
    program = db.exec(select(Program).where(Program.slug == slug)).one()
    enrollment = Enrollment(learner_id=pk(learner), program_id=pk(program))
    db.add(enrollment)
    db.flush()
    return enrollment


def start_placement(db: Session, enrollment: Enrollment) -> Attempt:
    """A placement for the enrollment's program, committed."""
    program = db.get(Program, enrollment.program_id)
    assert program is not None
    competencies = quiz_rules.program_competencies(db, program)
    attempt = quiz.start_attempt(db, enrollment.learner_id, "placement", competencies, enrollment)
    db.commit()
    return attempt


def key_of(item: Item) -> list[str]:
    """The right answer of an item."""
    return [str(o["key"]) for o in item.options if o.get("correct")]


def wrong_of(item: Item) -> list[str]:
    """One wrong option of an item."""
    return [next(str(o["key"]) for o in item.options if not o.get("correct"))]


def answer_current(db: Session, attempt: Attempt, right: bool) -> quiz.Outcome:
    """Answer the shown item right or wrong, committed."""
    question = quiz.current_question(db, attempt)
    assert question is not None
    chosen = key_of(question.item) if right else wrong_of(question.item)
    outcome = quiz.answer(db, attempt, question.step, pk(question.item), chosen)
    db.commit()
    return outcome


def count_responses(db: Session, attempt: Attempt) -> int:
    """Responses stored for an attempt."""
    return db.exec(select(func.count()).where(Response.attempt_id == attempt.id)).one()


def test_a_placement_snapshots_the_bank_and_follows_the_programs_rules(catalog: Session) -> None:
    attempt = start_placement(catalog, enroll(catalog))
    rules = attempt.config["rules"]["data-literacy"]
    assert (rules["se_target"], rules["max_items"], rules["min_items"]) == (0.35, 20, 5)
    assert rules["exposure_pricing"] and rules["prior_mean"] == 0.0
    n_items = catalog.exec(
        select(func.count()).where(Item.competency_id == attempt.competency_ids[0])
    ).one()
    assert len(attempt.parameters["item_ids"]) == n_items
    assert attempt.step == 0 and attempt.shown_item_id in attempt.parameters["item_ids"]
    question = quiz.current_question(catalog, attempt)
    assert question is not None and question.progress[0].share == 0.0


def test_starting_twice_resumes_the_active_attempt(catalog: Session) -> None:
    enrollment = enroll(catalog)
    first = start_placement(catalog, enrollment)
    answer_current(catalog, first, right=True)
    again = start_placement(catalog, enrollment)
    assert again.id == first.id and again.step == 1
    assert catalog.exec(select(func.count()).select_from(Attempt)).one() == 1


def test_a_placement_runs_to_a_result_and_sets_the_level(catalog: Session) -> None:
    attempt = start_placement(catalog, enroll(catalog))
    while attempt.status == "active":
        assert answer_current(catalog, attempt, right=True) is quiz.Outcome.RECORDED
    assert attempt.status == "completed" and attempt.shown_item_id is None
    assert attempt.results is not None
    summary = attempt.results["competencies"]["data-literacy"]
    assert summary["n_items"] == attempt.results["n_items"]
    assert 5 <= summary["n_items"] <= 20
    # Every answer right: the decisions settle (above every cut) well before the cap.
    assert summary["stop"] == "DECIDED" and summary["n_items"] < 20
    assert summary["decisions"] and all(
        d["settled"] and d["above"] >= 0.95 for d in summary["decisions"]
    )
    # All right: the estimate sits high, with an interval of ±1.96 SE around it.
    assert summary["theta"] > 1.0 and summary["level"] in ("advanced", "expert")
    assert summary["low"] == pytest.approx(summary["theta"] - 1.96 * summary["se"], abs=2e-3)
    level = catalog.get(CompetencyLevel, (attempt.learner_id, attempt.competency_ids[0]))
    assert level is not None and level.theta == summary["theta"] and level.attempt_id == attempt.id
    steps = catalog.exec(select(Response.step).where(Response.attempt_id == attempt.id)).all()
    assert sorted(steps) == list(range(summary["n_items"]))


def test_a_second_answer_to_the_same_step_changes_nothing(catalog: Session) -> None:
    attempt = start_placement(catalog, enroll(catalog))
    question = quiz.current_question(catalog, attempt)
    assert question is not None
    item_id = pk(question.item)
    first = quiz.answer(catalog, attempt, 0, item_id, wrong_of(question.item))
    catalog.commit()
    replay = quiz.answer(catalog, attempt, 0, item_id, key_of(question.item))
    catalog.commit()
    assert (first, replay) == (quiz.Outcome.RECORDED, quiz.Outcome.STALE)
    recorded = catalog.exec(select(Response).where(Response.attempt_id == attempt.id)).one()
    assert recorded.correct is False and attempt.step == 1


def test_an_answer_for_another_item_is_stale(catalog: Session) -> None:
    attempt = start_placement(catalog, enroll(catalog))
    other = next(i for i in attempt.parameters["item_ids"] if i != attempt.shown_item_id)
    assert quiz.answer(catalog, attempt, 0, other, ["a"]) is quiz.Outcome.STALE
    assert count_responses(catalog, attempt) == 0


def test_an_unknown_option_is_refused_and_changes_nothing(catalog: Session) -> None:
    attempt = start_placement(catalog, enroll(catalog))
    before = factories.snapshot(catalog)
    with pytest.raises(quiz.QuizError, match="choose among the options"):
        quiz.answer(catalog, attempt, 0, attempt.shown_item_id or 0, ["zz"])
    catalog.rollback()
    assert factories.snapshot(catalog) == before


def test_multiple_answer_items_are_right_only_with_exactly_the_key(catalog: Session) -> None:
    item = catalog.exec(select(Item).where(Item.kind == "multiple")).first()
    assert item is not None
    keys = key_of(item)
    assert quiz.is_correct(item, keys)
    assert not quiz.is_correct(item, keys[:1])
    assert not quiz.is_correct(item, [*keys, wrong_of(item)[0]])


def test_options_are_shuffled_per_attempt_and_stable_within_it(catalog: Session) -> None:
    item = catalog.exec(select(Item)).first()
    assert item is not None
    orders = {
        tuple(quiz.shuffled_options(Attempt(uid=str(s), learner_id=1, seed=s), item))
        for s in range(12)
    }
    assert len(orders) > 1
    attempt = Attempt(uid="x", learner_id=1, seed=7)
    assert quiz.shuffled_options(attempt, item) == quiz.shuffled_options(attempt, item)


def test_the_attempt_keeps_its_parameters_when_a_calibration_lands(catalog: Session) -> None:
    attempt = start_placement(catalog, enroll(catalog))
    competency_id = attempt.competency_ids[0]
    newer = ItemParameterSet(competency_id=competency_id, version=2, source="calibrated")
    catalog.add(newer)
    catalog.flush()
    for item_id in attempt.parameters["item_ids"]:
        catalog.add(ItemParameter(parameter_set_id=pk(newer), item_id=item_id, a=2.0, b=3.0))
    catalog.commit()
    before = dict(attempt.parameters)
    answer_current(catalog, attempt, right=False)
    assert attempt.parameters == before and attempt.parameters["b"][0] != 3.0
    assert attempt.parameters["parameter_sets"]["data-literacy"]["version"] == 1


def test_a_checkpoint_starts_from_the_current_level_widened_by_drift(catalog: Session) -> None:
    learner = factories.learner(catalog)
    competency = catalog.exec(select(Competency).where(Competency.slug == "data-literacy")).one()
    catalog.add(
        CompetencyLevel(
            learner_id=pk(learner), competency_id=pk(competency), theta=1.2, se=0.3, level="x"
        )
    )
    attempt = quiz.start_attempt(catalog, pk(learner), "checkpoint", [competency])
    rules = attempt.config["rules"]["data-literacy"]
    assert rules["prior_mean"] == 1.2
    assert rules["prior_sd"] == pytest.approx(math.hypot(0.3, quiz_rules.CHECKPOINT_DRIFT))
    assert (rules["max_items"], rules["se_target"]) == (8, 0.35)


def test_idle_attempts_are_closed_with_what_they_reached(catalog: Session) -> None:
    enrollment = enroll(catalog)
    attempt = start_placement(catalog, enrollment)
    for _ in range(3):
        answer_current(catalog, attempt, right=True)
    attempt.last_activity_at = utcnow() - timedelta(minutes=121)
    catalog.add(attempt)
    catalog.commit()
    closed = idle.abandon_idle(catalog, 120, attempt.learner_id)
    catalog.commit()
    assert [a.id for a in closed] == [attempt.id]
    assert attempt.status == "abandoned" and attempt.results is not None
    assert attempt.results["n_items"] == 3 == count_responses(catalog, attempt)
    level = catalog.get(CompetencyLevel, (attempt.learner_id, attempt.competency_ids[0]))
    assert level is not None and level.n_items == 3
    # It no longer blocks: starting again makes a new attempt.
    assert start_placement(catalog, enrollment).id != attempt.id


def test_recent_attempts_are_not_closed(catalog: Session) -> None:
    attempt = start_placement(catalog, enroll(catalog))
    assert idle.abandon_idle(catalog, 120, attempt.learner_id) == []
    assert attempt.status == "active"


def test_decision_speed_is_the_geometric_mean_ratio_to_typical_times(catalog: Session) -> None:
    attempt = start_placement(catalog, enroll(catalog))
    answer_current(catalog, attempt, right=True)
    answer_current(catalog, attempt, right=False)
    rows = catalog.exec(select(Response).where(Response.attempt_id == attempt.id)).all()
    # Server-measured times, set here to known values: half and twice the typical time.
    items = {pk(i): i for i in catalog.exec(select(Item)).all()}
    rows[0].response_ms = round(results.reading_ms(items[rows[0].item_id]) / 2)
    rows[1].response_ms = round(results.reading_ms(items[rows[1].item_id]) * 2)
    results.update_decision_speed(catalog, attempt, rows, utcnow())
    stat = catalog.get(LearnerStat, (attempt.learner_id, results.DECISION_SPEED))
    assert stat is not None and stat.n == 2
    assert stat.value == pytest.approx(1.0, abs=1e-3)


def test_level_bands_name_the_highest_bound_reached() -> None:
    bands = {"developing": -1.5, "proficient": -0.5, "advanced": 0.5, "expert": 1.5}
    assert [results.level_of(t, bands) for t in (-2, -1.5, 0, 0.5, 3)] == [
        "novice",
        "developing",
        "proficient",
        "advanced",
        "expert",
    ]


def test_two_concurrent_answers_to_one_step_record_exactly_one(
    catalog: Session, app: object
) -> None:
    attempt = start_placement(catalog, enroll(catalog))
    engine = app.extensions["learnpath.engine"]  # type: ignore[attr-defined]
    item = catalog.get(Item, attempt.shown_item_id)
    assert item is not None
    barrier, outcomes = threading.Barrier(4), []

    def submit(choice: list[str]) -> None:
        with Session(engine, expire_on_commit=False) as session:
            mine = session.get(Attempt, attempt.id)
            assert mine is not None
            barrier.wait()
            outcome = quiz.answer(session, mine, 0, pk(item), choice)
            session.commit()
            outcomes.append(outcome)

    threads = [
        threading.Thread(target=submit, args=(key_of(item) if i % 2 else wrong_of(item),))
        for i in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o.value for o in outcomes) == ["recorded", "stale", "stale", "stale"]
    catalog.expire_all()
    assert count_responses(catalog, attempt) == 1
    assert catalog.get(Attempt, attempt.id).step == 1  # type: ignore[union-attr]


def test_the_close_idle_attempts_command_closes_only_idle_ones(
    catalog: Session, runner: FlaskCliRunner
) -> None:
    idle, fresh = (start_placement(catalog, enroll(catalog, slug)) for slug in SLUGS)
    idle.last_activity_at = utcnow() - timedelta(hours=5)
    catalog.add(idle)
    catalog.commit()
    result = runner.invoke(args=["close-idle-attempts", "--minutes", "60"])
    assert result.exit_code == 0 and "Closed 1 quiz attempt(s)" in result.output
    catalog.expire_all()
    assert catalog.get(Attempt, idle.id).status == "abandoned"  # type: ignore[union-attr]
    assert catalog.get(Attempt, fresh.id).status == "active"  # type: ignore[union-attr]


def test_a_placement_leaves_learning_events_and_starts_the_enrollment(catalog: Session) -> None:
    enrollment = enroll(catalog)
    attempt = start_placement(catalog, enrollment)
    catalog.refresh(enrollment)
    assert enrollment.status == "in_progress" and enrollment.started_at is not None
    while attempt.status == "active":
        answer_current(catalog, attempt, right=False)
    verbs = catalog.exec(
        select(ProgressEvent.verb).where(ProgressEvent.attempt_id == attempt.id)
    ).all()
    n = attempt.results["n_items"]  # type: ignore[index]
    assert sorted(verbs) == sorted(["launched", "completed"] + ["answered"] * n)
    answered = catalog.exec(
        select(ProgressEvent).where(ProgressEvent.verb == "answered").order_by(ProgressEvent.id)
    ).first()
    assert answered is not None and answered.result["success"] is False
    assert answered.uid == events.event_uid(
        "answered", attempt.learner_id, "attempt", attempt.uid, 0
    )
    # Recording the same fact again stores nothing new.
    again = events.record(catalog, "launched", attempt.learner_id, key=("attempt", attempt.uid))
    assert again.attempt_id == attempt.id
    assert catalog.exec(select(func.count()).select_from(ProgressEvent)).one() == n + 2


def set_bands(db: Session, slug: str, bands: dict[str, float]) -> Program:
    """Give a shipped program its own (possibly partial) level bands."""
    program = db.exec(select(Program).where(Program.slug == slug)).one()
    program.level_bands = bands
    db.add(program)
    db.flush()
    return program


def competency(db: Session, slug: str) -> Competency:
    """A shipped competency by slug."""
    return db.exec(select(Competency).where(Competency.slug == slug)).one()


def make_idle(db: Session, attempt: Attempt, minutes: float = 121) -> None:
    """Move the attempt's last activity into the past, committed."""
    attempt.last_activity_at = utcnow() - timedelta(minutes=minutes)
    db.add(attempt)
    db.commit()


def test_partial_level_bands_name_levels_as_the_planner_does() -> None:
    partial = {"expert": 2.5}
    assert results.full_bands(partial) == {
        "developing": -1.5,
        "proficient": -0.5,
        "advanced": 0.5,
        "expert": 2.5,
    }
    assert [results.level_of(t, partial) for t in (0.0, 1.0, 2.0, 2.5)] == [
        "proficient",
        "advanced",
        "advanced",
        "expert",
    ]
    planner = Bands.of(partial)
    for theta in (-3.0, -1.5, -0.7, 0.0, 0.5, 1.0, 2.49, 2.5, 4.0):
        assert results.level_of(theta, partial) == LEVELS[planner.level_of(LevelEstimate(theta, 1))]


def test_a_placement_stores_its_programs_partial_bands_merged_with_the_defaults(
    catalog: Session,
) -> None:
    set_bands(catalog, SLUGS[0], {"expert": 2.5})
    attempt = start_placement(catalog, enroll(catalog))
    assert attempt.config["bands"] == results.full_bands({"expert": 2.5})
    while attempt.status == "active":
        answer_current(catalog, attempt, right=True)
    summary = attempt.results["competencies"]["data-literacy"]  # type: ignore[index]
    assert summary["level"] == results.level_of(summary["theta"], {"expert": 2.5})
    level = catalog.get(CompetencyLevel, (attempt.learner_id, attempt.competency_ids[0]))
    assert level is not None and level.level == summary["level"]


def test_a_check_uses_the_bands_of_the_program_the_learner_is_enrolled_in(
    catalog: Session,
) -> None:
    set_bands(catalog, SLUGS[0], {"expert": 2.5})
    enrollment = enroll(catalog)
    inside = competency(catalog, "data-literacy")
    outside = competency(catalog, "project-management")
    check = quiz.start_attempt(catalog, enrollment.learner_id, "check", [inside])
    assert check.config["bands"]["expert"] == 2.5
    other = quiz.start_attempt(catalog, enrollment.learner_id, "check", [outside])
    assert other.config["bands"] == results.full_bands(None)
    # A withdrawn enrollment no longer lends its bands.
    enrollment.status = "withdrawn"
    catalog.add(enrollment)
    catalog.flush()
    assert quiz_rules.bands_for(catalog, enrollment.learner_id, [inside], None)["expert"] == 1.5


def test_response_time_runs_from_when_the_page_is_served(catalog: Session) -> None:
    t0 = utcnow()
    enrollment = enroll(catalog)
    program = catalog.get(Program, enrollment.program_id)
    assert program is not None
    competencies = quiz_rules.program_competencies(catalog, program)
    attempt = quiz.start_attempt(
        catalog, enrollment.learner_id, "placement", competencies, enrollment, now=t0
    )
    assert attempt.shown_at is None  # chosen, not yet shown
    served = t0 + timedelta(minutes=30)
    assert quiz.mark_shown(catalog, attempt, served)
    # A reload or the Back button within the gap keeps the clock running.
    assert not quiz.mark_shown(catalog, attempt, served + timedelta(minutes=4))
    catalog.commit()
    catalog.expire_all()
    stored = catalog.get(Attempt, attempt.id)
    assert stored is not None and stored.shown_at == served
    item = catalog.get(Item, stored.shown_item_id)
    assert item is not None
    quiz.answer(catalog, stored, 0, pk(item), key_of(item), now=served + timedelta(seconds=12))
    catalog.commit()
    response = catalog.exec(select(Response).where(Response.attempt_id == attempt.id)).one()
    assert response.response_ms == 12_000 and response.shown_at == served


def test_a_question_served_again_after_a_break_restarts_its_clock(catalog: Session) -> None:
    attempt = start_placement(catalog, enroll(catalog))
    t0 = utcnow()
    assert quiz.mark_shown(catalog, attempt, t0)
    back = t0 + quiz.RESUME_GAP + timedelta(seconds=1)
    assert quiz.mark_shown(catalog, attempt, back)
    catalog.commit()
    item = catalog.get(Item, attempt.shown_item_id)
    assert item is not None
    quiz.answer(catalog, attempt, 0, pk(item), key_of(item), now=back + timedelta(seconds=8))
    catalog.commit()
    response = catalog.exec(select(Response).where(Response.attempt_id == attempt.id)).one()
    assert response.response_ms == 8_000
    # The step is answered: serving the old step again changes nothing.
    stale = Attempt(id=attempt.id, uid="x", learner_id=1, step=0, shown_item_id=pk(item))
    assert not quiz.mark_shown(catalog, stale, back + timedelta(hours=1))


def test_an_answer_to_a_page_never_served_takes_no_time(catalog: Session) -> None:
    attempt = start_placement(catalog, enroll(catalog))
    assert answer_current(catalog, attempt, right=True) is quiz.Outcome.RECORDED
    response = catalog.exec(select(Response).where(Response.attempt_id == attempt.id)).one()
    assert response.response_ms == 0  # so no decision-speed statistic counts it


@pytest.mark.parametrize(("earlier_se", "kept"), [(0.3, True), (5.0, False)])
def test_an_abandoned_attempt_replaces_a_level_only_when_more_precise(
    catalog: Session, earlier_se: float, kept: bool
) -> None:
    enrollment = enroll(catalog)
    measured = competency(catalog, "data-literacy")
    catalog.add(
        CompetencyLevel(
            learner_id=enrollment.learner_id,
            competency_id=pk(measured),
            theta=1.2,
            se=earlier_se,
            level="advanced",
            n_items=12,
        )
    )
    attempt = start_placement(catalog, enrollment)
    answer_current(catalog, attempt, right=False)
    make_idle(catalog, attempt)
    idle.abandon_idle(catalog, 120, enrollment.learner_id)
    catalog.commit()
    assert attempt.status == "abandoned"
    summary = attempt.results["competencies"]["data-literacy"]  # type: ignore[index]
    catalog.expire_all()
    level = catalog.get(CompetencyLevel, (enrollment.learner_id, pk(measured)))
    assert level is not None
    if kept:
        assert (level.theta, level.se, level.n_items, level.attempt_id) == (1.2, 0.3, 12, None)
    else:
        assert (level.theta, level.se, level.attempt_id) == (
            summary["theta"],
            summary["se"],
            attempt.id,
        )


def test_two_concurrent_starts_share_one_active_attempt(
    catalog: Session, app: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    enrollment = enroll(catalog)
    catalog.commit()
    engine = app.extensions["learnpath.engine"]  # type: ignore[attr-defined]
    # Both starts must have looked for an active attempt, and found none, before either inserts.
    barrier, real_load = threading.Barrier(2, timeout=30), quiz_attempts.load_bank
    started: list[int] = []

    def load_after_both_looked(*args: object) -> object:
        barrier.wait()
        return real_load(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(quiz_attempts, "load_bank", load_after_both_looked)

    def start() -> None:
        with Session(engine, expire_on_commit=False) as session:
            mine = session.get(Enrollment, enrollment.id)
            program = session.get(Program, enrollment.program_id)
            assert mine is not None and program is not None
            competencies = quiz_rules.program_competencies(session, program)
            attempt = quiz.start_attempt(session, mine.learner_id, "placement", competencies, mine)
            session.commit()
            started.append(pk(attempt))

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(started) == 2 and started[0] == started[1]
    catalog.expire_all()
    active = catalog.exec(select(Attempt).where(Attempt.status == "active")).all()
    assert [a.id for a in active] == started[:1]
    launched = catalog.exec(select(ProgressEvent).where(ProgressEvent.verb == "launched")).all()
    assert len(launched) == 1


def test_a_checkpoint_keeps_the_estimate_of_its_own_answers_beside_the_started_one(
    catalog: Session,
) -> None:
    learner = factories.learner(catalog)
    competency = catalog.exec(select(Competency).where(Competency.slug == "data-literacy")).one()
    catalog.add(
        CompetencyLevel(
            learner_id=pk(learner), competency_id=pk(competency), theta=-1.0, se=0.3, level="x"
        )
    )
    attempt = quiz.start_attempt(catalog, pk(learner), "checkpoint", [competency])
    catalog.commit()
    while attempt.status == "active":
        answer_current(catalog, attempt, right=True)
    state = attempt.results["competencies"]["data-literacy"]  # type: ignore[index]
    stored = catalog.exec(select(Response).where(Response.attempt_id == attempt.id)).all()
    snapshot = BankSnapshot.from_json(attempt.parameters)
    alone = estimate(snapshot.bank(), [snapshot.index_of(r.item_id) for r in stored], [1.0] * 8)
    assert len(stored) == 8  # all right: the SE never reaches 0.35 before the 8-item limit
    assert (state["own_theta"], state["own_se"]) == (round(alone.theta, 3), round(alone.se, 3))
    # The started estimate is pulled towards the old level of -1.0; its own answers are not.
    assert state["theta"] < state["own_theta"]


def test_a_checkpoints_change_is_judged_on_its_own_evidence(catalog: Session) -> None:
    learner = factories.learner(catalog)
    before = Attempt(
        uid="a1",
        learner_id=pk(learner),
        kind="check",
        status="completed",
        results={"competencies": {"dl": {"theta": 0.0, "se": 0.3, "level": "p", "n_items": 12}}},
    )
    # 0.9 - 0.0 > 1.96 * hypot(0.25, 0.3) = 0.77, but the started estimate borrowed the old
    # level's evidence; from its own answers it is 0.5 ± 0.5: within measurement error.
    own = {"theta": 0.9, "se": 0.25, "own_theta": 0.5, "own_se": 0.5, "level": "p", "n_items": 8}
    after = Attempt(
        uid="a2",
        learner_id=pk(learner),
        kind="checkpoint",
        status="completed",
        results={"competencies": {"dl": own}},
    )
    catalog.add_all([before, after])
    catalog.flush()
    visits = results.comparisons(catalog, after)["dl"]
    assert [v.change for v in visits] == [None, pytest.approx(0.9)]
    assert visits[1].significant is False
    own.pop("own_theta"), own.pop("own_se")  # an estimate of its own answers: a real change
    after.results = {"competencies": {"dl": own}}
    catalog.add(after)
    catalog.flush()
    assert results.comparisons(catalog, after)["dl"][1].significant is True


def test_an_injected_seed_replays_the_same_attempt(catalog: Session) -> None:
    first, second = enroll(catalog), enroll(catalog)
    program = catalog.get(Program, first.program_id)
    assert program is not None
    competencies = quiz_rules.program_competencies(catalog, program)
    runs = []
    for enrollment in (first, second):
        factories.forget_exposure(catalog)  # both start from the same stored exposure counts
        attempt = quiz.start_attempt(
            catalog, enrollment.learner_id, "placement", competencies, enrollment, seed=1234
        )
        shown = []
        for right in (True, False, True, True):
            question = quiz.current_question(catalog, attempt)
            assert question is not None
            shown.append((pk(question.item), question.options))
            answer_current(catalog, attempt, right)
        runs.append((attempt.seed, shown))
    assert runs[0] == runs[1]
    assert runs[0][0] == 1234


def test_a_seed_can_be_drawn_from_a_generator_and_is_checked() -> None:
    drawn = quiz_attempts.seed_of(np.random.default_rng(7))
    assert drawn == quiz_attempts.seed_of(np.random.default_rng(7))
    assert 0 <= drawn < quiz_attempts.SEED_BOUND
    for bad in (-1, 2**31, 1.5, True):
        with pytest.raises(quiz.QuizError, match="seed must be"):
            quiz_attempts.seed_of(bad)  # type: ignore[arg-type]
