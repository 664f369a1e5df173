"""Whom a segment rule's condition matches among active learners: a count and a page of them.

Nothing here writes. SQL decides what it can decide exactly (role and department in ASCII,
levels, decision speed, tempo, behaviour) and a superset of interests; the planner's own
`holds` checks what is left on the rows SQL kept, so the count and a plan cannot disagree.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, cast, false, func, or_
from sqlmodel import Session, col, select

from learnpath import planning
from learnpath.models import Competency, CompetencyLevel, Learner
from learnpath.planning.levels import level_index
from learnpath.planning.rules import holds
from learnpath.services.catalog.schema import RuleIn
from learnpath.services.learning import behaviour
from learnpath.services.learning.planinputs import condition


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


def _level_clauses(when: planning.Condition, bands: planning.Bands) -> list[ColumnElement[bool]]:
    """Level conditions as filters: the band of θ is the count of bounds at or below θ."""
    out: list[ColumnElement[bool]] = []
    for levels, below in ((when.below, True), (when.at_least, False)):
        for competency, level in levels.items():
            index = level_index(level)
            if index == 0:  # below novice never holds; at least novice always does
                out += [false()] if below else []
                continue
            reached = (
                select(CompetencyLevel.learner_id)
                .join(Competency, col(Competency.id) == CompetencyLevel.competency_id)
                .where(
                    Competency.slug == competency,
                    CompetencyLevel.theta >= bands.bounds[index - 1],
                )
            )
            member = col(Learner.id).in_(reached)
            out.append(~member if below else member)
    return out


def _split(when: planning.Condition) -> tuple[list[ColumnElement[bool]], planning.Condition]:
    """SQL filters for what SQL decides exactly, and the rest of the condition for the planner."""
    sql: list[ColumnElement[bool]] = []
    left: dict[str, tuple[str, ...]] = {"roles": (), "departments": ()}
    for name, values, column in (
        ("roles", when.roles, Learner.role),
        ("departments", when.departments, Learner.department),
    ):
        if values and _plain(values):
            sql.append(func.lower(column).in_([v.lower() for v in values]))
        else:
            left[name] = values
    sql += behaviour.clauses(when.decision_speed, when.tempo, when.behaviour)
    if when.interests and _plain(when.interests):
        sql.append(_may_be_interested(when.interests))
    rest = planning.Condition(left["roles"], left["departments"], when.interests)
    return sql, rest


def _may_be_interested(tags: Sequence[str]) -> ColumnElement[bool]:
    """A superset of the learners with one of the tags, for the planner to check exactly.

    The JSON text holds each interest in quotes, lowercased here; anything else is written
    escaped (\\uXXXX), and such a learner is kept for the planner to decide.
    """
    text = func.lower(cast(Learner.interests, String))
    found = [text.contains(f'"{tag.lower()}"', autoescape=True) for tag in tags]
    return or_(*found, text.contains("\\u", autoescape=True))


def matching(
    session: Session,
    when: planning.Condition,
    level_bands: Mapping[str, float] | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Matches:
    """Active learners for whom the condition holds (under the program's level bands).

    SQL filters what it decides exactly (ASCII roles and departments, levels, decision speed,
    tempo, behaviour); interests and other text are checked by the planner's `holds` on what
    is left. Learners are listed by name.
    """
    bands = planning.Bands.of(level_bands)
    sql, rest = _split(when)
    columns: list[Any] = [Learner.id, Learner.name, Learner.external_id, Learner.role]
    columns += [Learner.department, Learner.interests] if rest.interests else [Learner.department]
    query = select(*columns).where(
        col(Learner.active).is_(True), *sql, *_level_clauses(when, bands)
    )
    ordered = query.order_by(col(Learner.name), col(Learner.external_id))
    page, connection = max(1, page), session.connection()
    if rest == planning.Condition():
        total = connection.execute(select(func.count()).select_from(query.subquery())).scalar()
        rows = list(connection.execute(ordered.limit(per_page).offset((page - 1) * per_page)))
        return Matches(int(total or 0), [Person(*r[:5]) for r in rows], page, per_page)
    matched = [row for row in connection.execute(ordered) if _holds(rest, row, bands)]
    shown = matched[(page - 1) * per_page : page * per_page]
    return Matches(len(matched), [Person(*r[:5]) for r in shown], page, per_page)


def _holds(rest: planning.Condition, row: Any, bands: planning.Bands) -> bool:
    """The planner's verdict on the conditions SQL left (role, department, interests)."""
    interests = tuple(row[5]) if len(row) > 5 else ()
    learner = planning.Learner(role=row.role, department=row.department, interests=interests)
    return holds(rest, learner, bands)


def known_groups(session: Session) -> tuple[list[str], list[str]]:
    """The roles and the departments active learners have, to suggest while writing a rule."""
    out = []
    for column in (Learner.role, Learner.department):
        query = select(column).distinct().where(column != "", col(Learner.active).is_(True))
        out.append(list(session.exec(query.order_by(column)).all()))
    return out[0], out[1]


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
