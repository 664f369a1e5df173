"""Quiz rules as stated to learners: stopping rules per kind, a placement's limits shared out."""

import math

import pytest
from sqlmodel import Session, select

from learnpath.models import Competency, CompetencyLevel, Enrollment, Learner, Program
from learnpath.models.base import pk
from learnpath.services.catalog import composition
from learnpath.services.catalog.authoring import Invalid
from learnpath.services.learning import quiz_rules
from tests import factories
from tests.studio.test_program_service import new_draft
from tests.test_quiz_service import SLUGS, enroll

STOPPING = ("se_target", "max_items", "min_items")


def _competencies(db: Session, *slugs: str) -> list[Competency]:
    return [db.exec(select(Competency).where(Competency.slug == s)).one() for s in slugs]


def _stopping(rules: dict) -> tuple[float, int, int]:
    return tuple(rules[k] for k in STOPPING)  # type: ignore[return-value]


def test_a_check_stops_at_se_0_3_or_20_items_and_asks_at_least_5(catalog: Session) -> None:
    learner = factories.learner(catalog)
    (competency,) = _competencies(catalog, "data-literacy")
    config = quiz_rules.rules_for(catalog, pk(learner), "check", [competency], None)
    assert _stopping(config["rules"]["data-literacy"]) == (0.3, 20, 5)


def test_a_checkpoint_stops_at_se_0_35_or_8_items_and_widens_the_level_by_half_a_logit(
    catalog: Session,
) -> None:
    learner = factories.learner(catalog)
    (competency,) = _competencies(catalog, "data-literacy")
    catalog.add(
        CompetencyLevel(
            learner_id=pk(learner), competency_id=pk(competency), theta=-0.4, se=0.2, level="x"
        )
    )
    config = quiz_rules.rules_for(catalog, pk(learner), "checkpoint", [competency], None)
    rules = config["rules"]["data-literacy"]
    assert _stopping(rules) == (0.35, 8, 3)
    assert rules["prior_mean"] == -0.4
    assert rules["prior_sd"] == pytest.approx(math.sqrt(0.2**2 + 0.5**2))


@pytest.mark.parametrize(
    ("placement", "n", "expected"),
    [
        ({"se_target": 0.3, "max_items": 40, "min_items": 8}, 3, (0.3, 13, 3)),
        ({"se_target": 0.25, "max_items": 20, "min_items": 5}, 2, (0.25, 10, 3)),
        ({"max_items": 2, "min_items": 9}, 4, (0.3, 1, 1)),  # never fewer than one item each
        ({"se_target": 0.4}, 2, (0.4, 15, 2)),  # default limits: 30 items, at least 3
        ({"max_items": 12}, 3, (0.3, 4, 1)),  # default SE 0.3
        ({}, 2, (0.3, 20, 5)),  # no limits at all: a check's rules
    ],
)
def test_a_placement_shares_its_limits_out_over_its_competencies(
    catalog: Session, placement: dict, n: int, expected: tuple[float, int, int]
) -> None:
    learner = factories.learner(catalog)
    competencies = catalog.exec(select(Competency).order_by(Competency.id).limit(n)).all()
    assert len(competencies) == n
    program = catalog.exec(select(Program)).first()
    assert program is not None
    program.placement = placement
    config = quiz_rules.rules_for(catalog, pk(learner), "placement", competencies, program)
    assert {_stopping(r) for r in config["rules"].values()} == {expected}
    assert config["program_id"] == program.id
    assert config["ids"] == {c.slug: pk(c) for c in competencies}


def test_offers_are_a_placement_per_program_then_a_check_or_checkpoint_per_competency(
    catalog: Session,
) -> None:
    enrollment = enroll(catalog, SLUGS[1])
    withdrawn = Enrollment(
        learner_id=enrollment.learner_id,
        program_id=_program(catalog, SLUGS[0]).id,
        status="withdrawn",
    )
    (measured,) = _competencies(catalog, "data-literacy")
    catalog.add_all(
        [
            withdrawn,
            CompetencyLevel(
                learner_id=enrollment.learner_id,
                competency_id=pk(measured),
                theta=0.0,
                se=0.4,
                level="x",
            ),
        ]
    )
    catalog.flush()

    found = quiz_rules.offers(catalog, enrollment.learner_id)
    placements = [o for o in found if o.kind == "placement"]
    assert [(o.title, o.enrollment) for o in placements] == [
        (_program(catalog, SLUGS[1]).title, enrollment)
    ]
    assert found[: len(placements)] == placements
    kinds = {o.competencies[0].slug: o.kind for o in found[len(placements) :]}
    assert kinds["data-literacy"] == "checkpoint"
    assert set(kinds.values()) == {"check", "checkpoint"}
    assert len(kinds) == len(catalog.exec(select(Competency)).all())


def _program(db: Session, slug: str) -> Program:
    return db.exec(select(Program).where(Program.slug == slug)).one()


@pytest.mark.parametrize(
    ("kind", "expected"), [("check", (0.3, 20, 5)), ("checkpoint", (0.35, 8, 3))]
)
def test_a_check_or_checkpoint_from_an_enrollment_keeps_its_own_rules(
    catalog: Session, kind: str, expected: tuple[float, int, int]
) -> None:
    enrollment = enroll(catalog, "team-lead-path")
    program = _program(catalog, "team-lead-path")
    assert program.placement  # limits of its own, which only its placement follows
    (competency,) = _competencies(catalog, "data-literacy")
    config = quiz_rules.rules_for(catalog, enrollment.learner_id, kind, [competency], program)
    assert _stopping(config["rules"]["data-literacy"]) == expected


def test_a_placement_decides_the_cuts_its_plan_and_targets_depend_on(catalog: Session) -> None:
    cuts = {}
    for role in ("", "team-lead"):
        enrollment = enroll(catalog, "team-lead-path")
        learner = catalog.get(Learner, enrollment.learner_id)
        assert learner is not None
        learner.role = role
        program = catalog.get(Program, enrollment.program_id)
        assert program is not None
        competencies = quiz_rules.program_competencies(catalog, program)
        config = quiz_rules.rules_for(catalog, pk(learner), "placement", competencies, program)
        decisions = config["decisions"]
        assert (decisions["confidence"], decisions["correlation"]) == (0.95, 0.5)
        assert decisions["futility"] == 0.1
        cuts[role] = decisions["cuts"]
    # Default targets: proficient, data literacy developing; modules above them are left out
    # of the plan, so their bounds (advanced +0.5, proficient -0.5) decide nothing.
    assert cuts[""]["project-management"] == [-1.5, -0.5]
    assert cuts[""]["giving-feedback"] == [-1.5, -0.5]
    assert cuts[""]["data-literacy"] == [-1.5]
    # A team lead aims at advanced in feedback (and proficient in data literacy).
    assert cuts["team-lead"]["giving-feedback"] == [-1.5, -0.5, 0.5]
    assert cuts["team-lead"]["data-literacy"] == [-1.5, -0.5]
    check = quiz_rules.rules_for(catalog, pk(learner), "check", competencies[:1], None)
    assert "decisions" not in check  # only a placement decides a program's modules


def test_a_placement_settles_its_decisions_at_the_programs_waiver_confidence(
    catalog: Session,
) -> None:
    enrollment = enroll(catalog, "team-lead-path")
    program = catalog.get(Program, enrollment.program_id)
    assert program is not None
    program.placement = {**(program.placement or {}), "waiver_confidence": 0.9}
    competencies = quiz_rules.program_competencies(catalog, program)
    config = quiz_rules.rules_for(
        catalog, enrollment.learner_id, "placement", competencies, program
    )
    assert config["decisions"]["confidence"] == 0.9  # the planner waives at the same (planinputs)


def test_the_waiver_confidence_is_checked_and_kept_when_the_studio_form_omits_it(
    catalog: Session,
) -> None:
    program = new_draft(catalog, "dl-data-types", "dl-averages-and-spread")
    with pytest.raises(Invalid, match="waiver_confidence"):
        composition.set_placement(catalog, program, "Ana", None, {"waiver_confidence": 0.999})
    composition.set_placement(catalog, program, "Ana", None, {"waiver_confidence": 0.9})
    composition.set_placement(catalog, program, "Ana", None, {"max_items": 12})
    assert program.placement is not None
    assert (program.placement["waiver_confidence"], program.placement["max_items"]) == (0.9, 12)
