"""Target levels of a specialized or deep draft: override the parent's, within its bounds.

A derived version holds every target it has (the parent's, copied when it was derived, and its
own overrides); its file lists only the overrides. The parent's bounds for a competency are the
levels its modules build there, lowest to highest: a client may aim anywhere in that span, not
at a level the parent's content does not reach, nor at a competency the parent does not build.
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from learnpath.models import Competency, Module, Program, ProgramModule, ProgramTarget
from learnpath.models.base import pk
from learnpath.services.catalog.authoring import Invalid
from learnpath.services.catalog.composition import write_target
from learnpath.services.catalog.derivation import changes_modules
from learnpath.services.catalog.drafts import editable
from learnpath.vocabulary import DEFAULT_TARGET_LEVEL, LEVELS

DEFAULT_TARGET = DEFAULT_TARGET_LEVEL


@dataclass(frozen=True)
class TargetRow:
    """A competency of the derived program: the parent's target, its own, and the bounds."""

    competency: Competency
    parent_level: str
    level: str
    low: str
    high: str

    @property
    def overridden(self) -> bool:
        """Whether the derived program aims at another level than its parent."""
        return self.level != self.parent_level

    @property
    def choices(self) -> list[str]:
        """The levels allowed here."""
        return list(LEVELS[LEVELS.index(self.low) : LEVELS.index(self.high) + 1])


def bounds(session: Session, parent: Program) -> dict[int, tuple[str, str]]:
    """Per competency the parent builds: the lowest and highest level its modules bring one to."""
    found: dict[int, list[int]] = {}
    for competency_id, level in session.exec(
        select(Module.competency_id, Module.level)
        .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
        .where(ProgramModule.program_id == parent.id)
    ).all():
        found.setdefault(competency_id, []).append(LEVELS.index(level))
    return {c: (LEVELS[min(v)], LEVELS[max(v)]) for c, v in found.items()}


def _levels(session: Session, program: Program) -> dict[int, str]:
    rows = session.exec(
        select(ProgramTarget).where(
            ProgramTarget.program_id == program.id, ProgramTarget.role == ""
        )
    ).all()
    return {t.competency_id: t.level for t in rows}


def target_rows(session: Session, program: Program, parent: Program) -> list[TargetRow]:
    """The competencies the parent builds, with both targets and the bounds, by name."""
    spans = bounds(session, parent)
    mine, theirs = _levels(session, program), _levels(session, parent)
    competencies = session.exec(
        select(Competency).where(col(Competency.id).in_(spans)).order_by(col(Competency.name))
    ).all()
    rows = []
    for c in competencies:
        inherited = theirs.get(pk(c), DEFAULT_TARGET)
        rows.append(TargetRow(c, inherited, mine.get(pk(c), inherited), *spans[pk(c)]))
    return rows


def override_target(
    session: Session,
    program: Program,
    parent: Program,
    user: str,
    revision: int | None,
    competency: str,
    level: str,
) -> None:
    """Aim the derived draft at another level of a competency, within the parent's bounds."""
    if not changes_modules(program.depth):
        raise Invalid.one("competency", "a facilitated program keeps its parent's target levels")
    found = session.exec(select(Competency).where(Competency.slug == competency)).first()
    if found is None:
        raise Invalid.one("competency", f"unknown competency '{competency}'")
    span = bounds(session, parent).get(pk(found))
    if span is None:
        raise Invalid.one("competency", f"the parent builds no “{found.name}”")
    low, high = span
    if level not in LEVELS or not LEVELS.index(low) <= LEVELS.index(level) <= LEVELS.index(high):
        raise Invalid.one("level", f"choose from {low} to {high}: what the parent's modules build")
    editable(program, revision, user)
    write_target(session, program, pk(found), level)


def reset_target(
    session: Session,
    program: Program,
    parent: Program,
    user: str,
    revision: int | None,
    competency_id: int,
) -> None:
    """Aim at the parent's level again (no override)."""
    inherited = session.get(ProgramTarget, (pk(parent), competency_id, ""))
    row = session.get(ProgramTarget, (pk(program), competency_id, ""))
    if row is None and inherited is None:
        raise Invalid.one("competency", "no such target")
    editable(program, revision, user)
    if inherited is not None:
        write_target(session, program, competency_id, inherited.level)
        return
    session.delete(row)
    session.add(program)
    session.flush()
