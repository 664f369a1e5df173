"""What a program draft is made of: its ordered module list (or pool), targets and placement."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from learnpath.models import (
    Competency,
    Module,
    ModulePrerequisite,
    Program,
    ProgramModule,
    ProgramTarget,
)
from learnpath.models.base import pk
from learnpath.services.catalog import ownership
from learnpath.services.catalog.authoring import Invalid, validate
from learnpath.services.catalog.checks import order_violations
from learnpath.services.catalog.derivation import sets_placement
from learnpath.services.catalog.drafts import editable
from learnpath.services.catalog.ordering import reordered, shift
from learnpath.services.catalog.schema import PlacementIn, ReviewIn
from learnpath.vocabulary import DEFAULT_TARGET_LEVEL, LEVELS

DEFAULT = DEFAULT_TARGET_LEVEL
"""The target a competency gets when only roles are named (what the planner assumes)."""


@dataclass(frozen=True)
class Entry:
    """A module of the program with its place, and the prerequisites it names."""

    module: Module
    mandatory: bool
    requires: list[Module]


def entries(session: Session, program: Program) -> list[Entry]:
    """The program's modules in order, each with its prerequisite modules."""
    rows = session.exec(
        select(Module, ProgramModule.mandatory)
        .options(defer(Module.body))  # type: ignore[arg-type]  # lists never show lessons
        .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
        .where(ProgramModule.program_id == program.id)
        .order_by(col(ProgramModule.position))
    ).all()
    requires = _requires(session, [pk(m) for m, _ in rows])
    return [Entry(m, bool(mandatory), requires.get(pk(m), [])) for m, mandatory in rows]


def _requires(session: Session, module_ids: list[int]) -> dict[int, list[Module]]:
    found: dict[int, list[Module]] = {}
    for module_id, required in session.exec(
        select(ModulePrerequisite.module_id, Module)
        .options(defer(Module.body))  # type: ignore[arg-type]
        .join(Module, col(Module.id) == ModulePrerequisite.requires_id)
        .where(col(ModulePrerequisite.module_id).in_(module_ids))
        .order_by(col(Module.title))
    ).all():
        found.setdefault(module_id, []).append(required)
    return found


def listed_ids(program: Program) -> SelectOfScalar[int]:
    """The ids of the program's modules, as a query (to leave them out of a picker)."""
    return select(ProgramModule.module_id).where(ProgramModule.program_id == program.id)


def estimated_minutes(items: list[Entry]) -> int:
    """Study time of the list: every module of a list, the mandatory ones of a pool."""
    return sum(e.module.minutes for e in items)


def _save_order(session: Session, program: Program, order: list[tuple[int, bool]]) -> None:
    """Rewrite the module list as `order` [(module id, mandatory)]."""
    for row in session.exec(
        select(ProgramModule).where(ProgramModule.program_id == program.id)
    ).all():
        session.delete(row)
    session.flush()
    for i, (module_id, mandatory) in enumerate(order):
        session.add(
            ProgramModule(
                program_id=pk(program), module_id=module_id, position=i, mandatory=mandatory
            )
        )
    session.add(program)
    session.flush()


def _refuse_bad_order(program: Program, items: list[Entry], order: list[Module]) -> None:
    """A list (not a pool) must keep every prerequisite before the module needing it."""
    if program.is_personal:
        return
    requires = {e.module.slug: [r.slug for r in e.requires] for e in items}
    titles = {m.slug: m.title for m in order}
    broken = order_violations([m.slug for m in order], requires)
    if broken:
        module, req = broken[0]
        raise Invalid.one(
            "modules", f"“{titles[module]}” requires “{titles[req]}”, which must come before it"
        )


def _own(program: Program, revision: int | None, user: str, field: str) -> None:
    """A list, pool or target of the draft's own: derived programs change their parent's."""
    if program.parent_id is not None:
        message = "a derived program changes its parent's modules and targets in its derivation"
        raise Invalid.one(field, message)
    editable(program, revision, user)


def add_module(
    session: Session, program: Program, user: str, revision: int | None, slug: str
) -> None:
    """Add a module: before the first module that requires it, else at the end."""
    module = session.exec(select(Module).where(Module.slug == slug)).first()
    if module is None:
        raise Invalid.one("module", f"unknown module '{slug}'")
    ownership.refuse_foreign(session, program, module)
    items = entries(session, program)
    if any(e.module.id == module.id for e in items):
        raise Invalid.one("module", f"“{module.title}” is already in the program")
    _own(program, revision, user, "modules")
    new = Entry(
        module, not program.is_personal, _requires(session, [pk(module)]).get(pk(module), [])
    )
    at = next((i for i, e in enumerate(items) if module in e.requires), len(items))
    items.insert(at, new)
    _refuse_bad_order(program, items, [e.module for e in items])
    _save_order(session, program, [(pk(e.module), e.mandatory) for e in items])


def _index(items: list[Entry], slug: str) -> int:
    for i, e in enumerate(items):
        if e.module.slug == slug:
            return i
    raise Invalid.one("module", f"'{slug}' is not in the program")


def move_module(
    session: Session, program: Program, user: str, revision: int | None, slug: str, step: int
) -> None:
    """Move a module one place up (-1) or down (+1); refused when it breaks a prerequisite."""
    items = entries(session, program)
    _reorder(session, program, user, revision, shift(items, _index(items, slug), step))


def reorder_modules(
    session: Session, program: Program, user: str, revision: int | None, slugs: list[str]
) -> None:
    """Put the list in the order `slugs` names every module (a drag); refused like a move."""
    items = reordered(entries(session, program), slugs, lambda e: e.module.slug, "modules")
    _reorder(session, program, user, revision, items)


def _reorder(
    session: Session, program: Program, user: str, revision: int | None, items: list[Entry]
) -> None:
    _own(program, revision, user, "modules")
    _refuse_bad_order(program, items, [e.module for e in items])
    _save_order(session, program, [(pk(e.module), e.mandatory) for e in items])


def remove_module(
    session: Session, program: Program, user: str, revision: int | None, slug: str
) -> None:
    """Take a module out of the list or pool."""
    items = entries(session, program)
    i = _index(items, slug)
    _own(program, revision, user, "modules")
    del items[i]
    _save_order(session, program, [(pk(e.module), e.mandatory) for e in items])


def set_mandatory(
    session: Session, program: Program, user: str, revision: int | None, slug: str, value: bool
) -> None:
    """Make a module mandatory or optional."""
    items = entries(session, program)
    i = _index(items, slug)
    _own(program, revision, user, "modules")
    order = [(pk(e.module), e.mandatory) for e in items]
    order[i] = (order[i][0], value)
    _save_order(session, program, order)


def targets(session: Session, program: Program) -> list[tuple[ProgramTarget, Competency]]:
    """The program's target levels by competency, default ('' role) first."""
    return list(
        session.exec(
            select(ProgramTarget, Competency)
            .join(Competency, col(Competency.id) == ProgramTarget.competency_id)
            .where(ProgramTarget.program_id == program.id)
            .order_by(col(Competency.name), col(ProgramTarget.role))
        ).all()
    )


def set_target(
    session: Session,
    program: Program,
    user: str,
    revision: int | None,
    competency: str,
    level: str,
    role: str = "",
) -> None:
    """Set (or replace) the target level of a competency, for one role at depth 5."""
    found = session.exec(select(Competency).where(Competency.slug == competency)).first()
    if found is None:
        raise Invalid.one("competency", f"unknown competency '{competency}'")
    if level not in LEVELS:
        raise Invalid.one("level", f"choose one of {', '.join(LEVELS)}")
    role = role.strip()
    if role and not program.is_personal:
        raise Invalid.one("role", "targets by role belong to personal (depth 5) programs")
    if len(role) > 80:
        raise Invalid.one("role", "at most 80 characters")
    _own(program, revision, user, "competency")
    if role and session.get(ProgramTarget, (pk(program), pk(found), "")) is None:
        # Role targets refine a default; without one the planner aims at proficient: say so.
        session.add(ProgramTarget(program_id=pk(program), competency_id=pk(found), level=DEFAULT))
    write_target(session, program, pk(found), level, role)


def write_target(
    session: Session, program: Program, competency_id: int, level: str, role: str = ""
) -> None:
    """Store a target level (new or replacing); the caller has checked it."""
    row = session.get(ProgramTarget, (pk(program), competency_id, role))
    row = row or ProgramTarget(
        program_id=pk(program), competency_id=competency_id, role=role, level=""
    )
    row.level = level
    session.add_all([row, program])
    session.flush()


def remove_target(
    session: Session,
    program: Program,
    user: str,
    revision: int | None,
    competency_id: int,
    role: str,
) -> None:
    """Drop one target."""
    row = session.get(ProgramTarget, (pk(program), competency_id, role))
    if row is None:
        raise Invalid.one("competency", "no such target")
    others = session.exec(
        select(ProgramTarget.role).where(
            ProgramTarget.program_id == program.id, ProgramTarget.competency_id == competency_id
        )
    ).all()
    if not role and len(others) > 1:
        raise Invalid.one("role", "role targets refine this default: remove them first")
    _own(program, revision, user, "competency")
    session.delete(row)
    session.add(program)
    session.flush()


def set_placement(
    session: Session, program: Program, user: str, revision: int | None, data: dict[str, Any] | None
) -> None:
    """Turn the placement test off (None) or configure it (competencies must be built here)."""
    placement = validate(PlacementIn, data, whole="min_items") if data is not None else None
    if placement is not None:
        built = {e.module.competency_id for e in entries(session, program)}
        slugs = dict(session.exec(select(Competency.slug, Competency.id)).all())
        for slug in placement.competencies:
            if slugs.get(slug) not in built:
                raise Invalid.one("competencies", f"no module of this program builds '{slug}'")
    if not sets_placement(program.depth):
        raise Invalid.one(
            "placement", "a derived program keeps its parent's placement; a deep one sets its own"
        )
    editable(program, revision, user)
    if placement is not None and placement.review is None and program.placement:
        kept = program.placement.get("review")  # the studio's form does not carry it
        placement.review = ReviewIn.model_validate(kept) if kept else None
    if placement is not None and placement.pretest_share is None and program.placement:
        placement.pretest_share = program.placement.get("pretest_share")  # nor this
    if placement is not None and placement.waiver_confidence is None and program.placement:
        placement.waiver_confidence = program.placement.get("waiver_confidence")  # nor this
    program.placement = placement.model_dump(exclude_none=True) if placement else None
    session.add(program)
    session.flush()
