"""Reading what a plan depends on from the database into `learnpath.planning` inputs.

Modules, competencies and programs are named by slug in the planner; the learner's levels,
completions, quiz times and active adjustments come from their rows. A plan loads only the
catalog rows it reads (`plancatalog`), so its cost follows the program, not the catalog.
Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from learnpath import planning
from learnpath.models import (
    Adjustment,
    Attempt,
    CompetencyLevel,
    Enrollment,
    Learner,
    Module,
    Program,
    ProgramModule,
    ProgramTarget,
    SegmentRule,
    SegmentRuleModule,
    TrajectoryStep,
)
from learnpath.models import Response as Answer
from learnpath.models.base import pk
from learnpath.services.learning import behaviour, plancatalog, results
from learnpath.vocabulary import DEFAULT_TARGET_LEVEL

# The planner's tempo reads a learner's recent quiz answers, not their whole history.
RECENT_ANSWERS = 200


def program_input(
    session: Session, program: Program, slugs: dict[int, str], competencies: dict[int, str]
) -> planning.Program:
    """A program version as the planner sees it: list or pool, targets and rules by slug."""
    entries = session.exec(
        select(ProgramModule)
        .where(ProgramModule.program_id == program.id)
        .order_by(col(ProgramModule.position))
    ).all()
    return planning.Program(
        id=program.slug,
        version=program.version,
        depth=program.depth,
        modules=tuple(planning.PoolEntry(slugs[e.module_id], e.mandatory) for e in entries),
        targets=_targets(session, program, competencies),
        rules=_rules(session, program, slugs),
        level_bands=program.level_bands,
        waiver_confidence=(program.placement or {}).get("waiver_confidence"),
    )


def _targets(
    session: Session, program: Program, competencies: dict[int, str]
) -> tuple[planning.Target, ...]:
    """Role targets per competency: role '' is the default."""
    by_competency: dict[str, dict[str, str]] = defaultdict(dict)
    for target in session.exec(
        select(ProgramTarget).where(ProgramTarget.program_id == program.id)
    ).all():
        by_competency[competencies[target.competency_id]][target.role] = target.level
    return tuple(
        planning.Target(slug, levels.pop("", DEFAULT_TARGET_LEVEL), levels)
        for slug, levels in sorted(by_competency.items())
    )


def _rules(session: Session, program: Program, slugs: dict[int, str]) -> tuple[planning.Rule, ...]:
    """Segment rules in their order, conditions as data."""
    rules = session.exec(
        select(SegmentRule)
        .where(SegmentRule.program_id == program.id)
        .order_by(col(SegmentRule.position))
    ).all()
    acted: dict[int, list[str]] = defaultdict(list)
    ids = [pk(r) for r in rules]
    for link in session.exec(
        select(SegmentRuleModule).where(col(SegmentRuleModule.rule_id).in_(ids))
    ).all():
        acted[link.rule_id].append(slugs[link.module_id])
    return tuple(
        planning.Rule(
            name=r.name,
            when=condition(r.conditions),
            then=r.action,  # type: ignore[arg-type]
            modules=tuple(sorted(acted[pk(r)])),
            format=r.format or None,
            pace_minutes_per_week=r.minutes_per_week,
        )
        for r in rules
    )


def condition(stored: dict[str, Any]) -> planning.Condition:
    """A rule's stored conditions (its file's `when`) as the planner's Condition."""
    return planning.Condition(
        roles=tuple(stored.get("role", ())),
        departments=tuple(stored.get("department", ())),
        interests=tuple(stored.get("interests", ())),
        below=dict(stored.get("below", {})),
        at_least=dict(stored.get("at_least", {})),
        decision_speed=tuple(stored.get("decision_speed", ())),
        tempo=tuple(stored.get("tempo", ())),
        behaviour=tuple(stored.get("behaviour", ())),
    )


def learner_input(
    session: Session,
    learner: Learner,
    enrollment: Enrollment | None,
    slugs: dict[int, str],
    competencies: dict[int, str],
) -> planning.Learner:
    """Profile, levels, behaviour, modules completed in this enrollment (if any), quiz times."""
    stored = session.exec(
        select(CompetencyLevel).where(CompetencyLevel.learner_id == learner.id)
    ).all()
    levels = {
        competencies[level.competency_id]: planning.LevelEstimate(level.theta, level.se)
        for level in stored
    }
    done = (
        session.exec(
            select(TrajectoryStep).where(
                TrajectoryStep.enrollment_id == enrollment.id,
                TrajectoryStep.status == "completed",
            )
        ).all()
        if enrollment is not None
        else []
    )
    completed = tuple(
        planning.Completion(
            slugs[s.module_id],
            (s.completed_at or s.updated_at).date(),
            s.time_spent_s / 60 if s.time_spent_s else None,
        )
        for s in done
    )
    facts = behaviour.behaviour(session, [pk(learner)])[pk(learner)]
    return planning.Learner(
        role=learner.role,
        department=learner.department,
        interests=tuple(learner.interests),
        preferred_formats=tuple(learner.preferred_formats),
        pace_minutes_per_week=learner.pace_minutes_per_week,
        pace_chosen=behaviour.pace_chosen(session, pk(learner)),
        speed_band=facts.speed_band,
        tempo_band=facts.tempo_band,
        behaviour=facts.segments,
        levels=levels,
        level_names={competencies[level.competency_id]: level.level for level in stored},
        completed=completed,
        response_times=quiz_times(session, pk(learner)),
    )


def quiz_times(session: Session, learner_id: int) -> tuple[planning.ResponseTime, ...]:
    """The learner's recent answer times against each item's typical time (seconds)."""
    rows = session.exec(
        select(Answer.item_id, Answer.response_ms, Answer.attempt_id)
        .join(Attempt, col(Attempt.id) == Answer.attempt_id)
        .where(Attempt.learner_id == learner_id)
        .where(Answer.response_ms > 0, Answer.response_ms <= results.MAX_DECISION_MS)
        .order_by(col(Answer.id).desc())
        .limit(RECENT_ANSWERS)
    ).all()
    if not rows:
        return ()
    typical = results.typical_times(session, [r[0] for r in rows], -1)
    return tuple(planning.ResponseTime(ms / 1000, typical[item] / 1000) for item, ms, _ in rows)


def adjustments_input(
    session: Session, enrollment: Enrollment, slugs: dict[int, str]
) -> tuple[planning.Adjustment, ...]:
    """The learner's active adjustments, oldest first, as planner data."""
    rows = session.exec(
        select(Adjustment)
        .where(Adjustment.enrollment_id == enrollment.id, col(Adjustment.active).is_(True))
        .order_by(col(Adjustment.created_at), col(Adjustment.id))
    ).all()
    return tuple(to_planning(row, slugs) for row in rows)


def to_planning(row: Adjustment, slugs: dict[int, str]) -> planning.Adjustment:
    """A stored adjustment as planner data (payload keys mirror planning.Adjustment)."""
    payload = row.payload
    due = payload.get("due_date")
    return planning.Adjustment(
        kind=row.kind,  # type: ignore[arg-type]
        module=slugs.get(row.module_id) if row.module_id else None,
        before=payload.get("before"),
        after=payload.get("after"),
        position=payload.get("position"),
        pace_minutes_per_week=payload.get("pace_minutes_per_week"),
        due_date=date.fromisoformat(due) if due else None,
    )


def plan_input(
    session: Session, enrollment: Enrollment, today: date, extra: Sequence[planning.Adjustment] = ()
) -> tuple[planning.PlanInput, dict[int, Module]]:
    """Everything the plan of an enrollment depends on, plus the modules by id.

    Only the catalog rows the plan reads are loaded (`plancatalog`), however large the
    catalog: the query count is fixed and the rows follow the program.
    """
    program = session.get(Program, enrollment.program_id)
    learner = session.get(Learner, enrollment.learner_id)
    assert program is not None and learner is not None
    needed = plancatalog.needed_ids(session, pk(program), pk(enrollment))
    competencies = plancatalog.competency_slugs(session, needed, pk(program), pk(learner))
    modules, infos = plancatalog.plan_modules(session, needed, competencies)
    slugs = {i: m.slug for i, m in modules.items()}
    inp = planning.PlanInput(
        program=program_input(session, program, slugs, competencies),
        modules=infos,
        learner=learner_input(session, learner, enrollment, slugs, competencies),
        start=today,
        due=enrollment.due_at.date() if enrollment.due_at else None,
        adjustments=(*adjustments_input(session, enrollment, slugs), *extra),
    )
    return inp, modules
