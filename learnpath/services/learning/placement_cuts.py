"""The decisions a placement settles for one learner: the level cuts that matter in their program.

A module at level L is waived (Tested Out) when the learner is above L's lower bound, and a
target level is met when they are above its lower bound (planning.levels.Bands.threshold and
planning.targets). So per competency the cuts (logits) that matter are the thresholds of the
levels of the modules the learner's plan wants (planned or waived: a personal program leaves
out those above the learner's target) and of the learner's target level for it. Without an
enrollment to plan, all the program's modules and the role's (else default) target count.
The placement stops a competency once P(θ above or below every cut) ≥ DECISION_CONFIDENCE,
or once the cuts not yet settled can no longer be passed within its questions left
(learnpath.irt.decisions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session, col, select

from learnpath import planning
from learnpath.models import (
    Competency,
    Enrollment,
    Learner,
    Module,
    Program,
    ProgramModule,
    ProgramTarget,
)
from learnpath.models.base import pk
from learnpath.planning import Bands
from learnpath.planning.levels import level_index
from learnpath.planning.targets import target_levels
from learnpath.services.catalog.correlations import measured_correlations
from learnpath.services.learning.planinputs import plan_input
from learnpath.vocabulary import DEFAULT_TARGET_LEVEL, utcnow

DECISION_CONFIDENCE = 0.95
# A cut whose chance of being passed at DECISION_CONFIDENCE within the questions left is below
# this is settled as "not above" (stochastic curtailment, learnpath.irt.decisions).
DECISION_FUTILITY = 0.1
# Correlation of two competencies in the placement prior when neither one's active parameter set
# has a measured one (a calibration's report, learnpath.services.catalog.correlations).
DEFAULT_CORRELATION = 0.5


def decision_settings(
    session: Session,
    learner_id: int,
    program: Program,
    competencies: Sequence[Competency],
    bands: Mapping[str, float],
) -> dict[str, Any]:
    """Confidence, prior correlations (default and per pair) and per slug the cuts that matter.

    Every pair's r is stored, so the attempt replays with the same prior after a recalibration.
    """
    scale = Bands.of(bands)
    enrollment = session.exec(
        select(Enrollment)
        .where(Enrollment.learner_id == learner_id, Enrollment.program_id == program.id)
        .order_by(col(Enrollment.id).desc())
    ).first()
    if enrollment is not None:
        cuts = _plan_cuts(session, enrollment, scale, competencies)
    else:
        cuts = _catalog_cuts(session, learner_id, program, scale, competencies)
    return {
        "confidence": DECISION_CONFIDENCE,
        "futility": DECISION_FUTILITY,
        "correlation": DEFAULT_CORRELATION,
        "correlations": measured_correlations(session, competencies, DEFAULT_CORRELATION),
        "cuts": cuts,
    }


def _plan_cuts(
    session: Session, enrollment: Enrollment, scale: Bands, competencies: Sequence[Competency]
) -> dict[str, list[float]]:
    """Cuts of the modules the learner's plan wants (planned or waived), and of their targets.

    A personal program leaves out modules above the learner's target (unless a rule or the
    program mandates them): whether those are mastered changes nothing, so they are no cut.
    """
    inp, _ = plan_input(session, enrollment, utcnow().date())
    info = {m.id: m for m in inp.modules}
    found: dict[str, set[float]] = {c.slug: set() for c in competencies}
    for step in planning.plan(inp).steps:
        module = info.get(step.module)
        if step.status in ("planned", "waived") and module and module.competency in found:
            found[module.competency].add(scale.threshold(level_index(module.level)))
    for slug, level in target_levels(inp).items():
        if slug in found and level_index(level) > 0:  # a novice target is always met
            found[slug].add(scale.threshold(level_index(level)))
    return {slug: sorted(values) for slug, values in found.items()}


def _catalog_cuts(
    session: Session,
    learner_id: int,
    program: Program,
    scale: Bands,
    competencies: Sequence[Competency],
) -> dict[str, list[float]]:
    """Without an enrollment to plan: the levels of all the program's modules, and targets."""
    levels = _module_levels(session, program)
    targets = _target_levels(session, learner_id, program)
    cuts = {}
    for competency in competencies:
        found = {scale.threshold(level_index(level)) for level in levels.get(pk(competency), ())}
        target = level_index(targets.get(pk(competency), DEFAULT_TARGET_LEVEL))
        if target > 0:  # a novice target is always met: nothing to decide
            found.add(scale.threshold(target))
        cuts[competency.slug] = sorted(found)
    return cuts


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
