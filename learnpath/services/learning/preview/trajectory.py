"""The trajectory a learner would get under a program draft, possibly with an unsaved rule.

Nothing here writes: the plan is made by the real planner from the learner's levels, behaviour
and, if enrolled in a version of the program, their completions and own changes.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from learnpath import planning
from learnpath.models import (
    Enrollment,
    Learner,
    Module,
    ModulePrerequisite,
    ModuleTag,
    Program,
)
from learnpath.services.learning import plancatalog
from learnpath.services.learning.planinputs import (
    adjustments_input,
    learner_input,
    program_input,
)


@dataclass(frozen=True)
class Trajectory:
    """The plan a learner would get under the draft, with module titles to show it."""

    plan: planning.Plan
    titles: dict[str, str]
    enrollment: Enrollment | None


def _enrollment(session: Session, learner: Learner, program: Program) -> Enrollment | None:
    """The learner's enrollment in any version of this program (their progress carries over)."""
    return session.exec(
        select(Enrollment)
        .join(Program, col(Program.id) == Enrollment.program_id)
        .where(Enrollment.learner_id == learner.id, Program.slug == program.slug)
        .order_by(col(Program.version).desc())
    ).first()


def trajectory(
    session: Session,
    program: Program,
    learner: Learner,
    today: date,
    rule: tuple[int | None, planning.Rule] | None = None,
) -> Trajectory:
    """The learner's plan under the draft as stored, or with `rule` at a position (None: added).

    The learner's levels, behaviour and, if enrolled in a version of this program, their
    completions and own changes count, exactly as when the plan is made for real.
    """
    competencies = plancatalog.all_competency_slugs(session)
    catalog = _Catalog.read(session, competencies)
    program_in = program_input(session, program, catalog.slugs, competencies)
    if rule is not None:
        position, new = rule
        rules = list(program_in.rules)
        if position is None or not 0 <= position < len(rules):
            rules.append(new)
        else:
            rules[position] = new
        program_in = replace(program_in, rules=tuple(rules))
    enrollment = _enrollment(session, learner, program)
    learner_in = learner_input(session, learner, enrollment, catalog.slugs, competencies)
    adjustments = adjustments_input(session, enrollment, catalog.slugs) if enrollment else ()
    seeds = {e.module for e in program_in.modules} | {c.module for c in learner_in.completed}
    seeds |= {m for r in program_in.rules for m in r.modules}
    seeds |= {a.module for a in adjustments if a.module}
    infos = catalog.infos(seeds)
    inp = planning.PlanInput(
        program=program_in,
        modules=infos,
        learner=learner_in,
        start=today,
        due=enrollment.due_at.date() if enrollment and enrollment.due_at else None,
        adjustments=adjustments,
    )
    titles = {info.id: info.title for info in infos}
    return Trajectory(planning.plan(inp), titles, enrollment)


@dataclass
class _Catalog:
    """The module catalog as plain rows: what a plan needs of it, without Module objects.

    Reading 2,000 Module objects (lesson bodies included) costs ~250 ms; these rows ~15 ms.
    """

    slugs: dict[int, str]
    rows: dict[str, tuple[Any, str]]
    requires: dict[str, list[str]]
    tags: dict[str, list[str]]

    @classmethod
    def read(cls, session: Session, competencies: dict[int, str]) -> "_Catalog":
        """Every module's planning columns, prerequisites and tags."""
        connection = session.connection()
        columns: tuple[Any, ...] = (Module.id, Module.slug, Module.competency_id, Module.level)
        columns += (Module.minutes, Module.title, Module.format, Module.alternative_of_id)
        found = list(connection.execute(sql_select(*map(col, columns))))
        slugs = {row.id: row.slug for row in found}
        requires: dict[str, list[str]] = defaultdict(list)
        edges = sql_select(col(ModulePrerequisite.module_id), col(ModulePrerequisite.requires_id))
        for module_id, required in connection.execute(edges):
            requires[slugs[module_id]].append(slugs[required])
        tags: dict[str, list[str]] = defaultdict(list)
        for module_id, tag in connection.execute(
            sql_select(col(ModuleTag.module_id), col(ModuleTag.tag))
        ):
            tags[slugs[module_id]].append(tag)
        rows = {row.slug: (row, competencies[row.competency_id]) for row in found}
        return cls(slugs, rows, requires, tags)

    def infos(self, seeds: set[str]) -> tuple[planning.ModuleInfo, ...]:
        """ModuleInfo of the seeds, their direct prerequisites and every alternative_of chain.

        That is all the planner reads (planinputs gives it every module; more is fine): it asks
        only whether a prerequisite is in the pool, grouping formats by their chain's end.
        """
        wanted = {s for s in seeds if s in self.rows}
        wanted |= {r for s in list(wanted) for r in self.requires.get(s, ())}
        for slug in list(wanted):
            seen = {slug}
            while (parent := self.rows[slug][0].alternative_of_id) and parent in self.slugs:
                slug = self.slugs[parent]
                if slug in seen:
                    break  # a cycle: the planner reports it
                seen.add(slug)
            wanted |= seen
        return tuple(self._info(slug) for slug in sorted(wanted))

    def _info(self, slug: str) -> planning.ModuleInfo:
        row, competency = self.rows[slug]
        alternative = self.slugs.get(row.alternative_of_id) if row.alternative_of_id else None
        return planning.ModuleInfo(
            id=slug,
            competency=competency,
            level=row.level,
            minutes=row.minutes,
            title=row.title,
            format=row.format,
            prerequisites=tuple(sorted(self.requires.get(slug, ()))),
            tags=tuple(sorted(self.tags.get(slug, ()))),
            alternative_of=alternative,
        )
