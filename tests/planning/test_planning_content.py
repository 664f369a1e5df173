"""The planner on the shipped catalog: the Data Literacy depth 1→2→3 chain and Team Lead Path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from learnpath.planning import (
    Adjustment,
    Condition,
    Learner,
    LevelEstimate,
    ModuleInfo,
    PlanInput,
    PoolEntry,
    Program,
    Rule,
    Target,
    plan,
    validate_adjustment,
)
from learnpath.services.catalog.derive import apply_changes
from learnpath.services.catalog.schema import ModuleIn, ProgramIn

CONTENT = Path(__file__).resolve().parents[2] / "content"
START = date(2026, 2, 2)


def _modules() -> tuple[ModuleInfo, ...]:
    """Every shipped module's front matter, validated by the catalog's own data model."""
    out = []
    for path in sorted((CONTENT / "modules").glob("*/*.md")):
        m = ModuleIn.model_validate(yaml.safe_load(path.read_text().split("---")[1]))
        out.append(
            ModuleInfo(
                m.id,
                m.competency,
                m.level,
                m.minutes,
                m.title,
                m.format,
                tuple(m.requires),
                tuple(m.tags),
                m.alternative_of,
            )
        )
    return tuple(out)


MODULES = _modules()


def _program(name: str) -> Program:
    """A program file as the planner sees it, derivations resolved through its parents."""
    spec = ProgramIn.model_validate(
        yaml.safe_load((CONTENT / "programs" / f"{name}.yaml").read_text())
    )
    if spec.parent is not None:
        parent = _program(spec.parent.id)
        entries = apply_changes([(e.module, e.mandatory) for e in parent.modules], spec.changes)
    else:
        default = spec.depth != 5
        entries = [
            (r.module, default if r.mandatory is None else r.mandatory) for r in spec.module_refs()
        ]
    targets = tuple(Target(t.competency, t.default, dict(t.roles)) for t in spec.targets)
    rules = tuple(
        Rule(
            r.name,
            Condition(
                tuple(r.when.role),
                tuple(r.when.department),
                tuple(r.when.interests),
                dict(r.when.below),
            ),
            r.then,
            tuple(r.modules),
        )
        for r in spec.rules
    )
    return Program(
        spec.id,
        spec.version,
        spec.depth,
        tuple(PoolEntry(m, b) for m, b in entries),
        targets,
        rules,
    )


def _plan_for(name: str, learner: Learner) -> PlanInput:
    return PlanInput(_program(name), MODULES, learner, START, date(2026, 4, 30))


ESSENTIALS = [
    "dl-data-types",
    "dl-averages-and-spread",
    "dl-reading-charts",
    "dl-data-quality",
    "dl-correlation-causation",
    "dl-dashboards",
]


def test_boxed_and_facilitated_runs_give_the_same_path() -> None:
    boxed = plan(_plan_for("data-literacy-essentials", Learner()))
    cohort = plan(_plan_for("data-literacy-northwind-cohort", Learner(role="team-lead")))
    assert boxed.planned == cohort.planned == ESSENTIALS
    assert cohort.step("dl-dashboards").reason_text == "in the program (facilitated run)"


def test_specialized_northwind_path_follows_the_client_selection() -> None:
    result = plan(_plan_for("data-literacy-for-northwind", Learner()))
    assert result.planned == [
        "dl-data-types",
        "dl-data-quality",
        "dl-averages-and-spread",
        "dl-reading-charts-video",
        "dl-dashboards",
        "pm-tracking",
    ]
    assert result.step("pm-tracking").reason_text == "in the client's selection"
    # the video stands in for dl-reading-charts, which dashboards and tracking require
    assert result.notes == (
        "'pm-tracking' requires 'pm-planning-estimation', which is not in this program: "
        "assumed known",
    )


def test_placement_waives_what_a_learner_masters_in_the_boxed_course() -> None:
    learner = Learner(levels={"data-literacy": LevelEstimate(0.4, 0.25)})  # 0.4 − 0.41 ≥ −0.5
    result = plan(_plan_for("data-literacy-essentials", learner))
    assert result.planned == ["dl-correlation-causation", "dl-dashboards"]
    assert result.modules("waived") == ESSENTIALS[:4]


LEAD = Learner(
    role="team-lead",
    department="Finance",
    interests=("charts",),
    levels={
        "giving-feedback": LevelEstimate(-0.2, 0.3),
        "project-management": LevelEstimate(1.2, 0.3),
        "data-literacy": LevelEstimate(-1.0, 0.4),
    },
)


def test_team_lead_path_for_a_finance_team_lead() -> None:
    result = plan(_plan_for("team-lead-path", LEAD))
    reasons = {s.module: (s.status, s.reason_text) for s in result.steps}
    assert reasons["fb-one-on-ones"] == (
        "planned",
        "role rule: Team leads practise difficult conversations and one-on-ones",
    )
    assert reasons["sec-fin-invoice-fraud"] == (
        "planned",
        "department rule: Finance staff take the invoice-fraud case",
    )
    assert (
        reasons["dl-dashboards"][1]
        == "interest rule: Learners interested in charts build a dashboard"
    )
    assert reasons["dl-reading-charts"] == ("planned", "gap: level developing, target proficient")
    assert reasons["pm-scope"] == ("waived", "Tested Out")
    assert reasons["fb-sbi-video"][0] == "excluded"
    assert result.feasible


@pytest.mark.parametrize(
    ("adjustment", "code"),
    [
        (Adjustment("drop", "fb-one-on-ones"), "mandatory"),
        (Adjustment("move", "dl-dashboards", position=0), "prerequisite"),
        (Adjustment("add", "sec-passwords-mfa"), "not_in_pool"),
        (Adjustment("alternative", "fb-sbi-video"), None),
        (Adjustment("take_waived", "pm-scope"), None),
    ],
)
def test_team_lead_adjustments(adjustment: Adjustment, code: str | None) -> None:
    refusal = validate_adjustment(_plan_for("team-lead-path", LEAD), adjustment)
    assert (refusal.code if refusal else None) == code


def test_analysts_skip_the_iterative_delivery_case() -> None:
    analyst = Learner(role="analyst", levels={"project-management": LevelEstimate(-3, 0.3)})
    step = plan(_plan_for("team-lead-path", analyst)).step("pm-agile")
    assert (step.status, step.reason_code) == ("excluded", "rule_exclude")
