"""A personal program made in the studio comes out of export-content and re-imports identically."""

from pathlib import Path
from typing import Any

import yaml
from flask.testing import FlaskCliRunner
from sqlmodel import Session, col, select

from learnpath.models import (
    Competency,
    Module,
    Program,
    ProgramModule,
    ProgramTarget,
)
from learnpath.services.catalog import composition, drafts, personal, publishing
from tests.factories import snapshot, wipe
from tests.studio.test_personal_rules import stored

RULES: list[dict[str, Any]] = [
    {
        "name": "Sales leads coach their team",
        "when": {"role": ["sales-lead"], "department": ["Sales", "Field Sales"]},
        "then": "mandatory",
        "modules": ["fb-one-on-ones"],
    },
    {
        "name": "Chart lovers build a dashboard",
        "when": {"interests": ["charts"], "at_least": {"data-literacy": "developing"}},
        "then": "include",
        "modules": ["dl-dashboards"],
    },
    {
        "name": "Confident planners skip the basics",
        "when": {"at_least": {"project-management": "advanced"}},
        "then": "exclude",
        "modules": ["pm-project-basics"],
    },
    {
        "name": "Quick deciders may skip the why",
        "when": {"decision_speed": ["fast"], "below": {"giving-feedback": "advanced"}},
        "then": "optional",
        "modules": ["fb-why-feedback"],
    },
    {
        "name": "Slow deciders watch the SBI model",
        "when": {"decision_speed": ["slow"], "tempo": ["slow", "typical"]},
        "then": "prefer_format",
        "format": "video",
    },
    {
        "name": "Starters ease in",
        "when": {"behaviour": ["starter", "quiz-leaver"]},
        "then": "pace",
        "minutes_per_week": 60,
    },
    {
        "name": "Everyone practises commitments",
        "when": {},
        "then": "include",
        "modules": ["fb-commitments"],
    },
]
POOL = (
    "pm-project-basics",
    "pm-scope",
    "pm-risk",
    "fb-why-feedback",
    "fb-sbi-model",
    "fb-sbi-video",
)
POOL += ("fb-one-on-ones", "dl-averages-and-spread", "dl-reading-charts")


def build_in_the_studio(db: Session) -> Program:
    """Field Sales Path: a published v1 and a draft v2 with one more rule, all made as an author."""
    program = drafts.create_program(db, "Ana", "Field Sales Path", 5)
    drafts.update_settings(
        db, program, "Ana", None, {"title": "Field Sales Path", "summary": "For *field* sales."}
    )
    for slug in POOL:
        composition.add_module(db, program, "Ana", None, slug)
    composition.set_mandatory(db, program, "Ana", None, "pm-scope", True)
    composition.set_target(db, program, "Ana", None, "project-management", "proficient")
    composition.set_target(db, program, "Ana", None, "giving-feedback", "developing")
    composition.set_target(db, program, "Ana", None, "giving-feedback", "proficient", "sales-lead")
    composition.set_target(db, program, "Ana", None, "data-literacy", "developing")
    composition.set_placement(db, program, "Ana", None, {"max_items": 20, "min_items": 6})
    for rule in RULES[:-1]:
        personal.add_rule(db, program, "Ana", None, rule)
    assert publishing.publish_problems(db, program) == []
    publishing.publish(db, program, "Ana", None)
    draft = drafts.open_draft(db, program, "Bo")
    personal.add_rule(db, draft, "Bo", None, RULES[-1])
    personal.move_rule(db, draft, "Bo", None, 6, -1)
    db.commit()
    return program


def _exported(runner: FlaskCliRunner, folder: Path) -> dict[str, str]:
    """The exported files' text (a video file by its size: it is not text)."""
    result = runner.invoke(args=["export-content", str(folder)])
    assert result.exit_code == 0, result.output
    return {
        str(p.relative_to(folder)): p.read_text() if p.suffix != ".webm" else str(p.stat().st_size)
        for p in folder.rglob("*")
        if p.is_file()
    }


def _program_state(db: Session) -> list[Any]:
    """Everything of the Field Sales Path versions, by slug rather than id."""
    db.expire_all()
    state: list[Any] = []
    for p in db.exec(
        select(Program).where(Program.slug == "field-sales-path").order_by(col(Program.version))
    ):
        state.append((p.version, p.status, p.title, p.summary, p.depth, p.placement))
        state.append(
            db.exec(
                select(Module.slug, ProgramModule.position, ProgramModule.mandatory)
                .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
                .where(ProgramModule.program_id == p.id)
                .order_by(col(ProgramModule.position))
            ).all()
        )
        state.append(
            db.exec(
                select(Competency.slug, ProgramTarget.role, ProgramTarget.level)
                .join(ProgramTarget, col(ProgramTarget.competency_id) == Competency.id)
                .where(ProgramTarget.program_id == p.id)
                .order_by(col(Competency.slug), col(ProgramTarget.role))
            ).all()
        )
        state += stored(db, p)
    return state


def test_a_studio_personal_program_round_trips_through_its_files(
    catalog: Session, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    build_in_the_studio(catalog)
    made = _program_state(catalog)
    first = _exported(runner, tmp_path / "first")
    published = yaml.safe_load(first["programs/field-sales-path-v1.yaml"])
    assert published["status"] == "published" and published["rules"] == RULES[:-1]
    draft = yaml.safe_load(first["programs/field-sales-path-v2.yaml"])
    assert draft["status"] == "draft" and draft["rules"] == [*RULES[:5], RULES[-1], RULES[5]]
    assert sorted(draft["targets"], key=lambda t: t["competency"]) == [
        {"competency": "data-literacy", "default": "developing", "roles": {}},
        {
            "competency": "giving-feedback",
            "default": "developing",
            "roles": {"sales-lead": "proficient"},
        },
        {"competency": "project-management", "default": "proficient", "roles": {}},
    ]

    before = snapshot(catalog)
    reimport = runner.invoke(args=["import-content", str(tmp_path / "first")])
    assert reimport.exit_code == 0, reimport.output
    assert snapshot(catalog) == before  # the files say exactly what the database holds

    wipe(catalog)
    into_empty = runner.invoke(args=["import-content", str(tmp_path / "first")])
    assert into_empty.exit_code == 0, into_empty.output
    assert _program_state(catalog) == made
    assert _exported(runner, tmp_path / "second") == first
