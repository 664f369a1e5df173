"""The decisions a placement settles for one learner: the level cuts that matter in their program.

A module at level L is waived (Tested Out) when the learner is above L's lower bound, and a
target level is met when they are above its lower bound (planning.levels.Bands.threshold and
planning.targets). So per competency the cuts (logits) that matter are the thresholds of the
levels of the program's modules that build it and of the learner's target level for it (the
role's, else the program's default, else DEFAULT_TARGET_LEVEL). The placement stops a
competency once P(θ above or below every cut) ≥ DECISION_CONFIDENCE, or once the cuts not yet
settled can no longer be passed within its questions left (learnpath.irt.decisions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session, col, select

from learnpath.models import Competency, Learner, Module, Program, ProgramModule, ProgramTarget
from learnpath.models.base import pk
from learnpath.planning import Bands
from learnpath.planning.levels import level_index
from learnpath.vocabulary import DEFAULT_TARGET_LEVEL

DECISION_CONFIDENCE = 0.95
# A cut whose chance of being passed at DECISION_CONFIDENCE within the questions left is below
# this is settled as "not above" (stochastic curtailment, learnpath.irt.decisions).
DECISION_FUTILITY = 0.1
# Correlation between any two competencies in the placement prior, until a calibration stores
# a measured one with the parameter set (learnpath.services.catalog.correlations estimates it).
DEFAULT_CORRELATION = 0.5


def decision_settings(
    session: Session,
    learner_id: int,
    program: Program,
    competencies: Sequence[Competency],
    bands: Mapping[str, float],
) -> dict[str, Any]:
    """Confidence, prior correlation and per competency slug the cuts (logits) that matter."""
    scale = Bands.of(bands)
    levels = _module_levels(session, program)
    targets = _target_levels(session, learner_id, program)
    cuts = {}
    for competency in competencies:
        found = {scale.threshold(level_index(level)) for level in levels.get(pk(competency), ())}
        target = level_index(targets.get(pk(competency), DEFAULT_TARGET_LEVEL))
        if target > 0:  # a novice target is always met: nothing to decide
            found.add(scale.threshold(target))
        cuts[competency.slug] = sorted(found)
    return {
        "confidence": DECISION_CONFIDENCE,
        "futility": DECISION_FUTILITY,
        "correlation": DEFAULT_CORRELATION,
        "cuts": cuts,
    }


def _module_levels(session: Session, program: Program) -> dict[int, list[str]]:
    """Per competency id, the levels of the program's modules that build it."""
    rows = session.exec(
        select(Module.competency_id, Module.level)
        .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
        .where(ProgramModule.program_id == program.id)
    ).all()
    out: dict[int, list[str]] = {}
    for competency_id, level in rows:
        out.setdefault(int(competency_id), []).append(str(level))
    return out


def _target_levels(session: Session, learner_id: int, program: Program) -> dict[int, str]:
    """Per competency id, the learner's target level: their role's row, else the default row."""
    learner = session.get(Learner, learner_id)
    role = learner.role if learner is not None else ""
    rows = session.exec(select(ProgramTarget).where(ProgramTarget.program_id == program.id)).all()
    out = {r.competency_id: r.level for r in rows if r.role == ""}
    out.update({r.competency_id: r.level for r in rows if role and r.role == role})
    return out


def decision_summary(
    state: Mapping[str, Any], bands: Mapping[str, float], confidence: float
) -> list[dict[str, Any]]:
    """Per cut of a competency: the level it opens, P(θ ≥ cut), and whether it was settled."""
    names = {bound: level for level, bound in bands.items()}
    out = []
    for cut, p in zip(state.get("cuts", ()), state.get("above", ()), strict=True):
        out.append(
            {
                "cut": cut,
                "level": names.get(cut, ""),
                "above": p,
                "settled": max(p, 1 - p) >= confidence,
            }
        )
    return out
