"""Read models for the studio: the programs list with learners, drafts, and what needs attention."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from learnpath.models import Competency, Enrollment, Module, Program, ProgramModule
from learnpath.models.base import pk
from learnpath.services.catalog import ownership
from learnpath.services.catalog.paging import (
    PAGE_SIZE,
    Order,
    Page,
    having_words,
    ordered,
    page_of,
)

THIN_BANK = 20
"""Fewer active items than this in a competency a placement measures: warn the author."""


@dataclass(frozen=True)
class StudioRow:
    """A program version in the studio's list."""

    program: Program
    learners: int
    minutes: int


@dataclass(frozen=True)
class Attention:
    """A program version that needs an author's look, and why."""

    program: Program
    reason: str


def list_programs(
    session: Session, depth: int | None = None, status: str | None = None
) -> list[StudioRow]:
    """Every program version by id and newest version first, optionally filtered."""
    page, _ = programs_page(session, ProgramFilter(depth, status), Order("id"), 1, size=10**9)
    return page.rows


@dataclass(frozen=True)
class ProgramFilter:
    """What the programs list is narrowed to: a depth, a status, words of the title or id."""

    depth: int | None = None
    status: str | None = None
    text: str | None = None


def programs_page(
    session: Session, filters: ProgramFilter, order: Order, number: int, size: int = PAGE_SIZE
) -> tuple[Page[StudioRow], Order]:
    """A page of program versions with learners (not withdrawn) and study time, sorted."""
    learners = (
        select(Enrollment.program_id, func.count().label("n"))
        .where(Enrollment.status != "withdrawn")
        .group_by(col(Enrollment.program_id))
        .subquery("learners")
    )
    minutes = (
        select(ProgramModule.program_id, func.sum(Module.minutes).label("n"))
        .join(Module, col(Module.id) == ProgramModule.module_id)
        .group_by(col(ProgramModule.program_id))
        .subquery("minutes")
    )
    n_learners, n_minutes = func.coalesce(learners.c.n, 0), func.coalesce(minutes.c.n, 0)
    query = (
        select(Program, n_learners, n_minutes)
        .outerjoin(learners, learners.c.program_id == Program.id)
        .outerjoin(minutes, minutes.c.program_id == Program.id)
    )
    if filters.depth is not None:
        query = query.where(Program.depth == filters.depth)
    if filters.status:
        query = query.where(Program.status == filters.status)
    query = having_words(query, filters.text, Program.title, Program.slug)
    version = col(Program.version)
    keys: dict[str, list[Any]] = {
        "id": [col(Program.slug), -version],
        "title": [col(Program.title), version],
        "depth": [col(Program.depth), col(Program.slug), version],
        "status": [col(Program.status), col(Program.slug), version],
        "version": [version, col(Program.slug)],
        "learners": [n_learners],
        "minutes": [n_minutes],
    }
    query, order = ordered(query, order, keys, "id", col(Program.id))
    page = page_of(session, query, number, size)
    rows = [StudioRow(p, int(n), int(m)) for p, n, m in page.rows]
    return Page(rows, page.number, page.size, page.total), order


def drafts(session: Session) -> list[Program]:
    """Draft program versions, most recently changed first."""
    return list(
        session.exec(
            select(Program)
            .where(Program.status == "draft")
            .order_by(col(Program.updated_at).desc(), col(Program.id).desc())
        ).all()
    )


def needing_attention(session: Session) -> list[Attention]:
    """Live versions whose placement uses a thin bank, or whose parent has a newer version."""
    counts = ownership.active_counts(session)
    found = []
    programs = session.exec(
        select(Program).where(Program.status != "retired").order_by(col(Program.title))
    ).all()
    # What each placement measures: the competencies it names, else all its modules build.
    placed = {p.id: set(p.placement.get("competencies") or []) for p in programs if p.placement}
    slugs = dict(session.exec(select(Competency.id, Competency.slug)).all())
    comps: dict[int, set[int]] = {}
    for program_id, competency_id in session.exec(
        select(ProgramModule.program_id, Module.competency_id).join(
            Module, col(Module.id) == ProgramModule.module_id
        )
    ).all():
        chosen = placed.get(program_id)
        if chosen is not None and (not chosen or slugs[competency_id] in chosen):
            comps.setdefault(program_id, set()).add(competency_id)
    newest = dict(
        session.exec(
            select(Program.slug, func.max(Program.version))
            .where(Program.status == "published")
            .group_by(col(Program.slug))
        ).all()
    )
    by_id = {p.id: p for p in session.exec(select(Program)).all()}
    for p in programs:
        line = ownership.line_of(session, p)  # parents are in the identity map: no query
        thin = sorted(
            c for c in comps.get(pk(p), ()) if ownership.available(counts, c, line) < THIN_BANK
        )
        if thin:
            found.append(Attention(p, f"its placement uses {len(thin)} thin item bank(s)"))
        parent = by_id.get(p.parent_id)
        if parent is not None and newest.get(parent.slug, 0) > parent.version:
            found.append(Attention(p, f"its parent “{parent.title}” has a newer version"))
    return found
