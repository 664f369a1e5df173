"""Previewing a personal program draft: whom a rule matches, and a learner's trajectory under it.

Nothing here writes. Matching reads the learner facts a condition needs in a few queries (role
and department are filtered in SQL; interests, levels and behaviour are loaded once for all
candidates) and then asks the planner's own `holds`, so the count and the plan cannot disagree.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from learnpath import planning
from learnpath.models import Competency, CompetencyLevel, Enrollment, Learner, Program
from learnpath.planning.rules import holds
from learnpath.services.catalog.schema import RuleIn
from learnpath.services.learning import behaviour
from learnpath.services.learning.planinputs import (
    adjustments_input,
    catalog_modules,
    competency_slugs,
    condition,
    learner_input,
    program_input,
)


@dataclass(frozen=True)
class Person:
    """A matching learner as the preview lists them."""

    id: int
    name: str
    external_id: str
    role: str
    department: str


@dataclass(frozen=True)
class Matches:
    """How many active learners a condition matches, and one page of them by name."""

    total: int
    people: list[Person]
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.per_page))


def as_planning(rule: RuleIn) -> planning.Rule:
    """A validated rule (file or studio form) as the planner's Rule."""
    return planning.Rule(
        name=rule.name,
        when=condition(rule.when.model_dump(exclude_defaults=True)),
        then=rule.then,
        modules=tuple(sorted(rule.modules)),
        format=rule.format,
        pace_minutes_per_week=rule.minutes_per_week,
    )


def _plain(values: Sequence[str]) -> bool:
    """SQL lower() folds ASCII only; other text is compared by the planner alone."""
    return all(v.isascii() for v in values)


def _candidates(session: Session, when: planning.Condition) -> list[Any]:
    """Active learners, narrowed in SQL by role and department where that is exact."""
    columns: list[Any] = [
        Learner.id,
        Learner.name,
        Learner.external_id,
        Learner.role,
        Learner.department,
    ]
    if when.interests:
        columns.append(Learner.interests)
    query = select(*columns).where(col(Learner.active).is_(True))
    for values, column in ((when.roles, Learner.role), (when.departments, Learner.department)):
        if values and _plain(values):
            query = query.where(func.lower(column).in_([v.lower() for v in values]))
    return list(session.execute(query).all())


def _levels(
    session: Session, competencies: set[str], ids: set[int]
) -> dict[int, dict[str, planning.LevelEstimate]]:
    """Level estimates in the named competencies, by learner."""
    if not competencies:
        return {}
    query = (
        select(
            CompetencyLevel.learner_id, Competency.slug, CompetencyLevel.theta, CompetencyLevel.se
        )
        .join(Competency, col(Competency.id) == CompetencyLevel.competency_id)
        .where(col(Competency.slug).in_(competencies))
    )
    if len(ids) <= behaviour.IN_LIMIT:
        query = query.where(col(CompetencyLevel.learner_id).in_(ids))
    out: dict[int, dict[str, planning.LevelEstimate]] = {}
    for learner, slug, theta, se in session.execute(query).all():
        out.setdefault(learner, {})[slug] = planning.LevelEstimate(theta, se)
    return out


def matching(
    session: Session,
    when: planning.Condition,
    level_bands: Mapping[str, float] | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Matches:
    """Active learners for whom the condition holds (under the program's level bands)."""
    rows = _candidates(session, when)
    ids = {row.id for row in rows}
    levels = _levels(session, {*when.below, *when.at_least}, ids)
    speeds = behaviour.speed_bands(session, ids) if when.decision_speed else {}
    tempos = behaviour.tempo_bands(session, ids) if when.tempo else {}
    segments = behaviour.segments(session, ids) if when.behaviour else {}
    bands = planning.Bands.of(level_bands)
    empty: Mapping[str, planning.LevelEstimate] = MappingProxyType({})
    matched = [
        row
        for row in rows
        if holds(
            when,
            planning.Learner(
                role=row.role,
                department=row.department,
                interests=tuple(row.interests) if when.interests else (),
                levels=levels.get(row.id, empty),
                speed_band=speeds.get(row.id, ""),
                tempo_band=tempos.get(row.id, ""),
                behaviour=segments.get(row.id, ()),
            ),
            bands,
        )
    ]
    matched.sort(key=lambda r: (r.name.casefold(), r.external_id))
    page = max(1, page)
    shown = matched[(page - 1) * per_page : page * per_page]
    people = [Person(r.id, r.name, r.external_id, r.role, r.department) for r in shown]
    return Matches(len(matched), people, page, per_page)


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
    competencies = competency_slugs(session)
    modules, infos = catalog_modules(session, competencies)
    slugs = {i: m.slug for i, m in modules.items()}
    program_in = program_input(session, program, slugs, competencies)
    if rule is not None:
        position, new = rule
        rules = list(program_in.rules)
        if position is None or not 0 <= position < len(rules):
            rules.append(new)
        else:
            rules[position] = new
        program_in = replace(program_in, rules=tuple(rules))
    enrollment = _enrollment(session, learner, program)
    inp = planning.PlanInput(
        program=program_in,
        modules=infos,
        learner=learner_input(session, learner, enrollment, slugs, competencies),
        start=today,
        due=enrollment.due_at.date() if enrollment and enrollment.due_at else None,
        adjustments=adjustments_input(session, enrollment, slugs) if enrollment else (),
    )
    titles = {m.slug: m.title for m in modules.values()}
    return Trajectory(planning.plan(inp), titles, enrollment)


def find_learner(session: Session, who: str) -> Learner | None:
    """An active learner by employee (external) id or email."""
    return session.exec(
        select(Learner).where(
            or_(col(Learner.external_id) == who, func.lower(Learner.email) == who.lower()),
            col(Learner.active).is_(True),
        )
    ).first()


def learner_by_id(session: Session, learner_id: int) -> Learner | None:
    """An active learner, for the trajectory preview."""
    learner = session.get(Learner, learner_id)
    return learner if learner is not None and learner.active else None
