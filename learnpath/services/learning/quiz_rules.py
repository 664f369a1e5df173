"""Quiz rules: which adaptive-test rules and level bands an attempt runs under, and the offers.

A placement takes its program's `placement` limits, shared out over the program's competencies;
a check and a checkpoint have fixed rules. A checkpoint starts from the learner's current level
widened by the drift expected from learning since. Level bands merge a program's own bands with
the defaults, as the planner does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from learnpath.irt import DEFAULT_EXPOSURE_CEILING
from learnpath.models import (
    Competency,
    CompetencyLevel,
    Enrollment,
    Module,
    Program,
    ProgramModule,
)
from learnpath.models.base import pk
from learnpath.services.learning import results
from learnpath.services.learning.placement_cuts import decision_settings
from learnpath.services.learning.review import review_setting

RANDOMESQUE_K = 5
# How each exposure setting selects items (CatConfig fields). "priced", the default, keeps every
# item under a 0.25 share of the sessions of its competency (counted across all learners and
# workers: quiz/exposure.py) and saves the sharpest items for the sessions that use them best.
EXPOSURE_MODES: dict[str, dict[str, Any]] = {
    "priced": {
        "selection": "maxinfo",
        "exposure_ceiling": DEFAULT_EXPOSURE_CEILING,
        "exposure_pricing": True,
    },
    "randomesque": {"selection": "randomesque", "randomesque_k": RANDOMESQUE_K},
    "maxinfo": {"selection": "maxinfo"},
}
DEFAULT_EXPOSURE = "priced"
CHECK_RULES = {"se_target": 0.3, "max_items": 20, "min_items": 5}
CHECKPOINT_RULES = {"se_target": 0.35, "max_items": 8, "min_items": 3}
# Learning is expected between two tests, so a checkpoint's prior is the last estimate widened
# by this drift (logits): sd = √(SE² + drift²).
CHECKPOINT_DRIFT = 0.5


def rules_for(
    session: Session,
    learner_id: int,
    kind: str,
    competencies: Sequence[Competency],
    program: Program | None,
) -> dict[str, Any]:
    """Per-competency CAT rules (prior, stopping, selection) and the level bands, as JSON."""
    n = len(competencies)
    exposure = DEFAULT_EXPOSURE
    if kind == "placement" and program is not None and program.placement:
        rules = _split(dict(program.placement), n)
        exposure = str(program.placement.get("exposure") or exposure)  # the author's choice
    else:
        rules = dict(CHECKPOINT_RULES if kind == "checkpoint" else CHECK_RULES)
    per: dict[str, dict[str, Any]] = {}
    for competency in competencies:
        prior = {"prior_mean": 0.0, "prior_sd": 1.0}
        level = session.get(CompetencyLevel, (learner_id, pk(competency)))
        if kind == "checkpoint" and level is not None:
            prior = {
                "prior_mean": level.theta,
                "prior_sd": math.hypot(level.se, CHECKPOINT_DRIFT),
            }
        per[competency.slug] = {**rules, **prior, **EXPOSURE_MODES[exposure]}
    owner = program_for(session, learner_id, competencies, program)
    bands = results.full_bands(owner.level_bands if owner else None)
    extra = {}
    if kind == "placement" and program is not None:
        extra["decisions"] = decision_settings(session, learner_id, program, competencies, bands)
        chosen = (program.placement or {}).get("waiver_confidence")
        if chosen is not None:  # the planner waives at the same confidence (planinputs)
            extra["decisions"]["confidence"] = float(chosen)
    return {
        **extra,
        "rules": per,
        "bands": bands,
        "review": review_setting(owner.placement if owner else None, kind),
        "program_id": program.id if program else None,
        "names": {c.slug: c.name for c in competencies},
        "ids": {c.slug: pk(c) for c in competencies},
    }


def bands_for(
    session: Session,
    learner_id: int,
    competencies: Sequence[Competency],
    program: Program | None,
) -> dict[str, float]:
    """The level bands an attempt names levels by, merged with the defaults as the planner does.

    A placement uses its program's bands. A check or checkpoint uses those of the program of the
    learner's most recently assigned enrollment (not withdrawn) whose modules build one of its
    competencies, so the quiz and that program's plan name θ alike; the defaults if none does.
    """
    owner = program_for(session, learner_id, competencies, program)
    return results.full_bands(owner.level_bands if owner else None)


def program_for(
    session: Session,
    learner_id: int,
    competencies: Sequence[Competency],
    program: Program | None,
) -> Program | None:
    """The program whose settings (bands, review) a quiz runs under: see `bands_for`."""
    if program is None:
        program = session.exec(
            select(Program)
            .join(Enrollment, col(Enrollment.program_id) == Program.id)
            .join(ProgramModule, col(ProgramModule.program_id) == Program.id)
            .join(Module, col(Module.id) == ProgramModule.module_id)
            .where(Enrollment.learner_id == learner_id, Enrollment.status != "withdrawn")
            .where(col(Module.competency_id).in_([pk(c) for c in competencies]))
            .order_by(col(Enrollment.assigned_at).desc(), col(Enrollment.id).desc())
        ).first()
    return program


def _split(placement: dict[str, Any], n: int) -> dict[str, Any]:
    """A program's placement limits are for the whole session: each competency gets a share."""
    most = max(1, round(int(placement.get("max_items", 30)) / n))
    least = min(most, math.ceil(int(placement.get("min_items", 3)) / n))
    return {
        "se_target": float(placement.get("se_target", 0.3)),
        "max_items": most,
        "min_items": least,
    }


@dataclass(frozen=True)
class Offer:
    """A quiz the learner may start: kind, what it covers, and for which enrollment."""

    kind: str
    title: str
    competencies: list[Competency]
    enrollment: Enrollment | None = None
    level: CompetencyLevel | None = None


def offers(session: Session, learner_id: int) -> list[Offer]:
    """Placements of the learner's programs, then a check or checkpoint per competency."""
    found = []
    enrolled = session.exec(
        select(Enrollment, Program)
        .join(Program, col(Program.id) == Enrollment.program_id)
        .where(Enrollment.learner_id == learner_id, Enrollment.status != "withdrawn")
        .order_by(col(Program.title))
    ).all()
    for enrollment, program in enrolled:
        covered = placement_competencies(session, program)
        if covered:
            found.append(Offer("placement", program.title, covered, enrollment))
    levels = {
        level.competency_id: level
        for level in session.exec(
            select(CompetencyLevel).where(CompetencyLevel.learner_id == learner_id)
        ).all()
    }
    for competency in session.exec(select(Competency).order_by(col(Competency.name))).all():
        level = levels.get(pk(competency))
        kind = "checkpoint" if level else "check"
        found.append(Offer(kind, competency.name, [competency], None, level))
    return found


def program_competencies(session: Session, program: Program) -> list[Competency]:
    """The competencies a program's modules build, by id."""
    return list(
        session.exec(
            select(Competency)
            .where(
                col(Competency.id).in_(
                    select(Module.competency_id)
                    .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
                    .where(ProgramModule.program_id == program.id)
                )
            )
            .order_by(col(Competency.id))
        ).all()
    )


def placement_competencies(session: Session, program: Program) -> list[Competency]:
    """What a program's placement measures: the competencies it names, else all it builds."""
    chosen = set((program.placement or {}).get("competencies") or [])
    built = program_competencies(session, program)
    return [c for c in built if c.slug in chosen] if chosen else built


def placement_size(program: Program, n: int) -> tuple[int, int]:
    """The fewest and most questions a placement over `n` competencies asks, all told."""
    if n == 0:
        return 0, 0
    rules = _split(dict(program.placement), n) if program.placement else dict(CHECK_RULES)
    return int(rules["min_items"]) * n, int(rules["max_items"]) * n
