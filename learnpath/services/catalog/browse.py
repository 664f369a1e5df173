"""Reading the catalog for display: program lists and a program with its modules and derivation."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from learnpath.models import (
    Competency,
    Module,
    ModuleTag,
    Program,
    ProgramChange,
    ProgramModule,
    ProgramOverlay,
)
from learnpath.services.catalog import ownership


@dataclass(frozen=True)
class ProgramRow:
    """A program version in a list."""

    program: Program
    modules: int
    minutes: int
    parent: Program | None


@dataclass
class ProgramView:
    """A program version with its effective modules and what its derivation changed."""

    program: Program
    modules: list[tuple[Module, bool]]
    competencies: list[Competency]
    parent: Program | None
    overlays: list[tuple[ProgramOverlay, Module | None]] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    changed: list[set[int | None]] = field(default_factory=list)  # modules each change names


def list_programs(session: Session, include_drafts: bool = False) -> list[ProgramRow]:
    """Program versions by depth then title; learners see only published ones."""
    query = select(Program).order_by(col(Program.depth), col(Program.title), col(Program.version))
    if not include_drafts:
        query = query.where(Program.status == "published")
    programs = session.exec(query).all()
    parents = {p.id: p for p in session.exec(select(Program)).all()}
    totals: dict[int, tuple[int, int]] = {}
    for program_id, minutes in session.exec(
        select(ProgramModule.program_id, Module.minutes).join(
            Module, col(Module.id) == ProgramModule.module_id
        )
    ).all():
        n, m = totals.get(program_id, (0, 0))
        totals[program_id] = (n + 1, m + minutes)
    return [
        ProgramRow(p, *totals.get(p.id or 0, (0, 0)), parents.get(p.parent_id)) for p in programs
    ]


def module_tags(session: Session) -> list[str]:
    """Every tag a module carries, once each, alphabetically (the profile's interest choices)."""
    return list(session.exec(select(ModuleTag.tag).distinct().order_by(col(ModuleTag.tag))).all())


def program_view(session: Session, slug: str, version: int) -> ProgramView | None:
    """One program version, or None if there is no such version."""
    program = session.exec(
        select(Program).where(Program.slug == slug, Program.version == version)
    ).first()
    if program is None:
        return None
    rows = session.exec(
        select(Module, ProgramModule.mandatory)
        .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
        .where(ProgramModule.program_id == program.id)
        .order_by(col(ProgramModule.position))
    ).all()
    modules = [(m, bool(mandatory)) for m, mandatory in rows]
    comp_ids = sorted({m.competency_id for m, _ in modules})
    competencies = list(
        session.exec(select(Competency).where(col(Competency.id).in_(comp_ids))).all()
    )
    parent = session.get(Program, program.parent_id) if program.parent_id else None
    view = ProgramView(program, modules, competencies, parent)
    overlays = session.exec(
        select(ProgramOverlay)
        .where(ProgramOverlay.program_id == program.id)
        .order_by(col(ProgramOverlay.position))
    ).all()
    changes = session.exec(
        select(ProgramChange)
        .where(ProgramChange.program_id == program.id)
        .order_by(col(ProgramChange.position))
    ).all()
    by_id = _modules_named(session, overlays, changes)
    view.overlays = [(o, by_id.get(o.module_id)) for o in overlays]
    view.changes = [describe_change(c, by_id) for c in changes]
    view.changed = [{c.module_id, c.other_module_id, *c.module_ids} for c in changes]
    return view


def hide_others_modules(view: ProgramView, lines: frozenset[str]) -> int:
    """Leave out department-only modules of lines not in `lines`, and changes naming them.

    For a learner outside a deep program's audience (ownership.audience_lines); returns how
    many modules were left out.
    """
    gone = {m.id for m, _ in view.modules if not ownership.usable(m.owner, lines)}
    view.modules = [(m, mandatory) for m, mandatory in view.modules if m.id not in gone]
    kept = [(c, ids) for c, ids in zip(view.changes, view.changed, strict=True) if not ids & gone]
    view.changes, view.changed = [c for c, _ in kept], [ids for _, ids in kept]
    return len(gone)


def _modules_named(
    session: Session, overlays: Sequence[ProgramOverlay], changes: Sequence[ProgramChange]
) -> dict[int | None, Module]:
    """Only the modules that overlays and changes refer to, in one query."""
    ids = {o.module_id for o in overlays}
    for c in changes:
        ids |= {c.module_id, c.other_module_id, *c.module_ids}
    ids.discard(None)
    rows = session.exec(select(Module).where(col(Module.id).in_(ids))).all() if ids else []
    return {m.id: m for m in rows}


def describe_change(change: ProgramChange, modules: dict[int | None, Module]) -> str:
    """A derivation change in words, e.g. 'Swapped X for Y'."""

    def title(module_id: int | None) -> str:
        module = modules.get(module_id)
        return f"“{module.title}”" if module else "?"

    if change.op == "select":
        return "Selected " + ", ".join(title(m) for m in change.module_ids)
    if change.op == "swap":
        return f"Swapped {title(change.module_id)} for {title(change.other_module_id)}"
    if change.op == "remove":
        return f"Removed {title(change.module_id)}"
    where = {"end": "at the end", "first": "first"}.get(
        change.anchor, f"after {title(change.other_module_id)}"
    )
    verb = "Added" if change.op == "add" else "Moved"
    return f"{verb} {title(change.module_id)} {where}"
