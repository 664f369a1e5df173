"""What authors set in the studio reaches learners: placement scope, exposure, checkpoints."""

from sqlmodel import Session, select

from learnpath.models import Program
from learnpath.services.catalog import composition, drafts, publishing
from learnpath.services.learning import quiz_rules, study, trajectory
from learnpath.vocabulary import utcnow
from tests.test_quiz_service import enroll
from tests.test_trajectory_service import module


def team_lead(db: Session) -> Program:
    return db.exec(select(Program).where(Program.slug == "team-lead-path")).one()


def test_a_placement_measures_the_competencies_its_authors_chose(catalog: Session) -> None:
    program = team_lead(catalog)
    assert len(quiz_rules.placement_competencies(catalog, program)) == 4
    program.placement = {**(program.placement or {}), "competencies": ["giving-feedback"]}
    catalog.add(program)
    enrollment = enroll(catalog, "team-lead-path")
    [offer] = [
        o for o in quiz_rules.offers(catalog, enrollment.learner_id) if o.kind == "placement"
    ]
    assert [c.slug for c in offer.competencies] == ["giving-feedback"]


def test_the_exposure_mode_reaches_the_adaptive_test_rules(catalog: Session) -> None:
    program = team_lead(catalog)
    comps = quiz_rules.placement_competencies(catalog, program)
    enrollment = enroll(catalog, "team-lead-path")
    rules = quiz_rules.rules_for(catalog, enrollment.learner_id, "placement", comps, program)
    assert all(r["exposure_pricing"] for r in rules["rules"].values())  # priced by default
    assert {r["exposure_ceiling"] for r in rules["rules"].values()} == {0.25}
    program.placement = {**(program.placement or {}), "exposure": "randomesque"}
    rules = quiz_rules.rules_for(catalog, enrollment.learner_id, "placement", comps, program)
    assert {r["selection"] for r in rules["rules"].values()} == {"randomesque"}
    assert not any(r.get("exposure_pricing") for r in rules["rules"].values())


def test_checkpoint_policy_none_offers_no_checkpoints(catalog: Session) -> None:
    """The shipped programs offer a checkpoint after this module (test_trajectory_service)."""
    draft = drafts.create_program(catalog, "Ana", "No Checkpoints", 1)
    composition.add_module(catalog, draft, "Ana", None, "dl-data-types")
    settings = {"title": "No Checkpoints", "checkpoints": "none"}
    drafts.update_settings(catalog, draft, "Ana", None, settings)
    publishing.publish(catalog, draft, "Ana", None)
    enrollment = enroll(catalog, draft.slug)
    t = trajectory.replan(catalog, enrollment)
    t = study.complete(catalog, t, module(catalog, "dl-data-types"), 20, utcnow())
    assert [s.status for s in t.steps] == ["completed"]
    assert trajectory.checkpoints_due(catalog, t) == []
