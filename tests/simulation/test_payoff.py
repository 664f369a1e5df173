"""The payoff simulator: reproducible on a fixed seed, and judging waivers against the truth."""

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlmodel import Session, select

from learnpath import db
from learnpath.models import Competency, CompetencyLevel, Learner, Program
from learnpath.models.base import pk
from learnpath.payoff import catalog_template
from learnpath.services.learning import enrolment, trajectory
from learnpath.services.simulation import Simulee, judge, prepare, run_cohort, summarize
from learnpath.services.simulation.cohort import SimulationError
from learnpath.services.simulation.payoff import Outcome
from tests.conftest import CONTENT

TINY = {"max_items": 4, "min_items": 1}  # a short placement keeps the run small


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalog on a migrated SQLite file, as `flask payoff` builds it."""
    return catalog_template(tmp_path_factory.mktemp("payoff"), CONTENT)


@pytest.fixture
def fresh(template: Path, tmp_path: Path) -> Iterator[db.Database]:
    """A throw-away copy of the template, bound as a simulation binds it."""
    path = tmp_path / f"run-{len(list(tmp_path.iterdir()))}.sqlite"
    shutil.copy(template, path)
    engine = db.make_engine(f"sqlite:///{path}", durable=False)
    yield engine
    engine.dispose()


def simulate(engine: db.Database, slug: str, learners: int, seed: int) -> dict[str, object]:
    """Figures of a short run, without the wall-clock one."""
    with db.transaction(bind=engine) as session:
        cohort = prepare(session, slug, TINY)
    outcomes = run_cohort(lambda: db.transaction(bind=engine), cohort, learners, 0.5, seed)
    figures = summarize(outcomes).to_json()
    figures.pop("seconds_per_learner")
    return figures


def test_the_same_seed_gives_the_same_figures(template: Path, tmp_path: Path) -> None:
    runs = []
    for n in range(3):
        path = tmp_path / f"{n}.sqlite"
        shutil.copy(template, path)
        engine = db.make_engine(f"sqlite:///{path}", durable=False)
        runs.append(simulate(engine, "information-security-basics", 6, seed=7 if n < 2 else 8))
        engine.dispose()
    assert runs[0] == runs[1]
    assert runs[0]["learners"] == 6 and 1 <= runs[0]["items_max"] <= 4  # decided, or the cap
    assert runs[0]["full_minutes"] == 170  # the seven modules of the program
    assert runs[2] != runs[0]  # another seed, other learners


def test_an_unpublished_or_unknown_program_is_refused(fresh: db.Database) -> None:
    with db.transaction(bind=fresh) as session, pytest.raises(SimulationError, match="nope"):
        prepare(session, "nope", {})


def test_the_shares_count_waived_and_truly_mastered_modules() -> None:
    outcomes = [
        Outcome(10, 60, 100, waived=4, false_waivers=1, missed_waivers=1, covered=True, seconds=1),
        Outcome(12, 80, 100, waived=0, false_waivers=0, missed_waivers=2, covered=True, seconds=1),
    ]
    summary = summarize(outcomes)
    assert summary.false_share == 1 / 4  # one of the four waived modules is not mastered
    assert summary.kept_share == 3 / 6  # three waived truly mastered, three planned anyway
    assert summary.to_json()["kept_share"] == 0.5


def waived_learner(session: Session, theta: float) -> int:
    """An enrollment in the security basics whose stored level waives the modules."""
    program = session.exec(
        select(Program).where(Program.slug == "information-security-basics")
    ).one()
    competency = session.exec(
        select(Competency).where(Competency.slug == "information-security")
    ).one()
    learner = Learner(external_id="planted", email="p@example.com", name="Planted")
    session.add(learner)
    session.flush()
    enrollment, _ = enrolment.enrol(session, learner, program, "test")
    level = CompetencyLevel(
        learner_id=pk(learner), competency_id=pk(competency), theta=theta, se=0.2, level="expert"
    )
    session.add(level)
    session.flush()
    trajectory.replan_learner(session, pk(learner))
    return pk(enrollment)


def test_a_module_waived_below_the_true_level_is_a_false_waiver(fresh: db.Database) -> None:
    with db.transaction(bind=fresh) as session:
        enrollment_id = waived_learner(session, theta=3.0)  # the placement said: expert
        truth = Simulee(0, "", {"information-security": -3.0}, 0)  # in truth: novice
        planned, full, waived, false, missed, covered = judge(session, enrollment_id, truth)
        assert waived == 7 and false == 7 and missed == 0 and planned == 0 and full == 170
        assert not covered  # the proficient target is neither there nor planned
        expert = replace(truth, theta={"information-security": 3.0})
        assert judge(session, enrollment_id, expert)[3:] == (0, 0, True)


def test_the_programs_waiver_confidence_waives_on_a_smaller_margin(fresh: db.Database) -> None:
    waived = []
    for confidence in (None, 0.8):
        with db.transaction(bind=fresh) as session:
            program = session.exec(
                select(Program).where(Program.slug == "information-security-basics")
            ).one()
            program.placement = {**(program.placement or {}), "waiver_confidence": confidence}
            session.add(program)
            session.flush()
            # θ − 1.645·0.2 = −0.63 is below proficient's bound −0.5, θ − 0.842·0.2 = −0.47 not
            enrollment_id = waived_learner(session, theta=-0.3)
            truth = Simulee(0, "", {"information-security": -0.3}, 0)
            waived.append(judge(session, enrollment_id, truth)[2])
            session.rollback()
    assert waived[0] < waived[1]


def test_a_module_kept_although_mastered_is_a_missed_waiver(fresh: db.Database) -> None:
    with db.transaction(bind=fresh) as session:
        enrollment_id = waived_learner(session, theta=-3.0)  # the placement said: novice
        expert = Simulee(0, "", {"information-security": 3.0}, 0)  # in truth: expert
        planned, _full, waived, false, missed, covered = judge(session, enrollment_id, expert)
        assert (waived, false, missed, planned, covered) == (0, 0, 7, 170, True)


def test_the_command_prints_the_figures_and_keeps_the_run(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    app.config["PAYOFF_FOLDER"] = str(tmp_path / "kept")
    args = ["payoff", "information-security-basics", "--learners", "2", "--vary", "max_items=2,3"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "items per placement   mean 2.0, p90 2, max 2" in result.output
    assert "every target covered" in result.output and "false waivers" in result.output
    kept = tmp_path / "kept" / "information-security-basics"
    assert kept.with_suffix(".svg").read_text().startswith("<svg")
    assert '"setting": "max_items=3"' in kept.with_suffix(".json").read_text()


def test_a_malformed_variation_names_the_option(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["payoff", "team-lead-path", "--vary", "se_target"])
    assert result.exit_code == 2 and "--vary" in result.output
