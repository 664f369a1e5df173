"""Read models for the studio: the programs list with learners, drafts, and what needs attention."""

from collections import Counter
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from learnpath.models import Competency, Enrollment, Module, Program, ProgramModule
from learnpath.models.base import pk
from learnpath.services.catalog import ownership

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
    """Every program version, newest changes first, optionally filtered by depth and status."""
    query = select(Program).order_by(col(Program.slug), col(Program.version).desc())
    if depth is not None:
        query = query.where(Program.depth == depth)
    if status:
        query = query.where(Program.status == status)
    programs = session.exec(query).all()
    learners = Counter(
        dict(
            session.exec(
                select(Enrollment.program_id, func.count())
                .where(Enrollment.status != "withdrawn")
                .group_by(col(Enrollment.program_id))
            ).all()
        )
    )
    minutes = dict(
        session.exec(
            select(ProgramModule.program_id, func.sum(Module.minutes))
            .join(Module, col(Module.id) == ProgramModule.module_id)
            .group_by(col(ProgramModule.program_id))
        ).all()
    )
    return [StudioRow(p, learners[pk(p)], int(minutes.get(pk(p)) or 0)) for p in programs]


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
