"""The catalog rows a plan reads, and only those: its modules as planner data, competency slugs.

A plan reads its program's modules, the modules its rules name, the enrollment's own (stored
steps, adjustments), their direct prerequisites and alternative-format chains: never the whole
catalog, so a plan's queries and rows follow the program, however large the catalog grows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, true, union
from sqlmodel import Session, col, select

from learnpath import planning
from learnpath.models import (
    Adjustment,
    Competency,
    CompetencyLevel,
    Module,
    ModulePrerequisite,
    ModuleTag,
    ProgramModule,
    ProgramTarget,
    SegmentRule,
    SegmentRuleModule,
    TrajectoryStep,
)
from learnpath.models.base import pk


def needed_modules(program_id: int, enrollment_id: int) -> Select[tuple[int]]:
    """Ids of the modules a plan reads: the program's, what its rules name, the enrollment's.

    The enrollment's are its stored steps (completions kept off the path) and the modules its
    adjustments name. To those: their direct prerequisites, and every `alternative_of` chain
    from any of them (the planner groups formats by the chain's end). Deeper prerequisites are
    not read: the planner only asks whether a module's prerequisites are in the pool (the
    others are assumed known). Both steps follow keys, so the cost follows the program.
    """
    rule, prerequisite = SegmentRuleModule, ModulePrerequisite
    seed = union(
        select(ProgramModule.module_id).where(ProgramModule.program_id == program_id),
        select(rule.module_id)
        .join(SegmentRule, col(SegmentRule.id) == rule.rule_id)
        .where(SegmentRule.program_id == program_id),
        select(TrajectoryStep.module_id).where(TrajectoryStep.enrollment_id == enrollment_id),
        select(col(Adjustment.module_id)).where(
            Adjustment.enrollment_id == enrollment_id, col(Adjustment.module_id).is_not(None)
        ),
    ).cte("seed")
    listed = union(
        select(seed.c.module_id),
        select(prerequisite.requires_id).join(
            seed, col(prerequisite.module_id) == seed.c.module_id
        ),
    ).subquery("listed")
    formats = select(listed.c.module_id).cte("formats", recursive=True)
    formats = formats.union(
        select(col(Module.alternative_of_id))
        .join(formats, col(Module.id) == formats.c.module_id)
        .where(col(Module.alternative_of_id).is_not(None))
    )
    return select(formats.c.module_id)


def needed_ids(session: Session, program_id: int, enrollment_id: int) -> list[int]:
    """The ids `needed_modules` finds, in one query."""
    return list(session.execute(needed_modules(program_id, enrollment_id)).scalars())


def competency_slugs(
    session: Session, needed: Sequence[int], program_id: int, learner_id: int
) -> dict[int, str]:
    """Slugs by id of the competencies a plan names: its modules', targets' and levels'."""
    wanted = union(
        select(Module.competency_id).where(col(Module.id).in_(needed)),
        select(ProgramTarget.competency_id).where(ProgramTarget.program_id == program_id),
        select(CompetencyLevel.competency_id).where(CompetencyLevel.learner_id == learner_id),
    )
    rows = session.exec(select(Competency).where(col(Competency.id).in_(wanted))).all()
    return {pk(c): c.slug for c in rows}


def all_competency_slugs(session: Session) -> dict[int, str]:
    """Every competency's slug by id (for a batch that plans many enrollments at once)."""
    return {pk(c): c.slug for c in session.exec(select(Competency)).all()}


def plan_modules(
    session: Session, needed: Sequence[int] | None, competencies: dict[int, str]
) -> tuple[dict[int, Module], tuple[planning.ModuleInfo, ...]]:
    """The needed modules, by id and as the planner's ModuleInfo (prerequisites, tags, formats).

    `needed` None reads the whole catalog: for a batch that plans many enrollments of several
    programs (a version move's preview), one read serves them all.
    """
    modules = {pk(m): m for m in session.exec(select(Module).where(_among(Module.id, needed)))}
    slugs = {i: m.slug for i, m in modules.items()}
    requires: dict[int, list[str]] = defaultdict(list)
    edges = (  # by slug: a prerequisite of a prerequisite need not be loaded
        select(ModulePrerequisite.module_id, Module.slug)
        .join(Module, col(Module.id) == ModulePrerequisite.requires_id)
        .where(_among(ModulePrerequisite.module_id, needed))
    )
    for module_id, required in session.exec(edges).all():
        requires[module_id].append(required)
    tags: dict[int, list[str]] = defaultdict(list)
    for tag in session.exec(select(ModuleTag).where(_among(ModuleTag.module_id, needed))).all():
        tags[tag.module_id].append(tag.tag)
    infos = tuple(
        planning.ModuleInfo(
            id=m.slug,
            competency=competencies[m.competency_id],
            level=m.level,
            minutes=m.minutes,
            title=m.title,
            format=m.format,
            prerequisites=tuple(sorted(requires[i])),
            tags=tuple(sorted(tags[i])),
            alternative_of=slugs.get(m.alternative_of_id) if m.alternative_of_id else None,
        )
        for i, m in sorted(modules.items())
    )
    return modules, infos


def _among(column: Any, ids: Sequence[int] | None) -> Any:
    """SQL for `column IN ids`; always true when ids is None (the whole catalog)."""
    return true() if ids is None else col(column).in_(ids)
