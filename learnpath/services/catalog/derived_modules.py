"""Changing a specialized or deep draft's modules: drop, restore, swap, move, add.

Each edit works on the child's list and the swaps, then writes the canonical changes and the
list they give (one place: `_save`). An edit that would put a module before its prerequisite,
or leave a facilitator note or a session pointing at a module that is gone, is refused with the
reason and changes nothing.
"""

from sqlmodel import Session, col, select

from learnpath.models import Module, Program, ProgramChange, ProgramModule, ProgramOverlay
from learnpath.models.base import pk
from learnpath.models.program import ProgramSession
from learnpath.services.catalog import derive, ownership
from learnpath.services.catalog.authoring import Invalid
from learnpath.services.catalog.derivation import (
    Derivation,
    changes_modules,
    derivation,
    requires_of,
)
from learnpath.services.catalog.diff import canonical_changes, clean_swaps, order_violations
from learnpath.services.catalog.drafts import editable
from learnpath.services.catalog.ordering import reordered, shift
from learnpath.services.catalog.programs import change_row
from learnpath.services.catalog.schema import ChangeIn
from learnpath.services.catalog.writer import _id_map


def _state(session: Session, program: Program) -> Derivation:
    if not changes_modules(program.depth):
        raise Invalid.one("modules", "a facilitated program keeps its parent's modules as they are")
    return derivation(session, program)


def _module(session: Session, slug: str, field: str = "module") -> Module:
    module = session.exec(select(Module).where(Module.slug == slug)).first()
    if module is None:
        raise Invalid.one(field, f"unknown module '{slug}'")
    return module


def _titles(session: Session, slugs: list[str]) -> dict[str, str]:
    rows = session.exec(select(Module.slug, Module.title).where(col(Module.slug).in_(slugs)))
    return dict(rows.all())


def _refuse_bad_order(session: Session, order: list[str]) -> None:
    broken = order_violations(order, requires_of(session, order))
    if broken:
        module, req = broken[0]
        t = _titles(session, [module, req])
        message = f"“{t[module]}” requires “{t[req]}”, which must come before it"
        raise Invalid.one("modules", message)


def _refuse_orphans(session: Session, program: Program, order: list[str]) -> None:
    """Notes, examples and sessions about a module that leaves must go first."""
    keep = set(order)
    for what, model in (("a facilitator note", ProgramOverlay), ("a session", ProgramSession)):
        about = session.exec(
            select(Module.slug, Module.title)
            .join(model, col(model.module_id) == Module.id)
            .where(model.program_id == program.id)
        ).all()
        for slug, title in about:
            if slug not in keep:
                raise Invalid.one("modules", f"{what} is about “{title}”: remove it first")


def _save(
    session: Session,
    d: Derivation,
    order: list[str],
    swaps: dict[str, str],
    user: str,
    revision: int | None,
) -> None:
    """Write the child's list as canonical changes and the list they give; one transaction."""
    _refuse_bad_order(session, order)
    _refuse_orphans(session, d.program, order)
    editable(d.program, revision, user)
    changes = canonical_changes(d.parent_ids, order, clean_swaps(d.parent_ids, order, swaps))
    write_derivation(session, d.program, d.parent_modules, changes)


def write_derivation(
    session: Session, program: Program, parent: list[tuple[str, bool]], changes: list[ChangeIn]
) -> None:
    """Replace the version's changes, and its module list with the parent's list changed."""
    entries = derive.apply_changes(parent, changes)
    ids = _id_map(session, Module)
    for model in (ProgramChange, ProgramModule):
        for row in session.exec(select(model).where(model.program_id == program.id)).all():
            session.delete(row)
    session.flush()
    program_id = pk(program)
    for i, change in enumerate(changes):
        session.add(ProgramChange(program_id=program_id, **change_row(i, change, ids)))
    for i, (slug, mandatory) in enumerate(entries):
        session.add(
            ProgramModule(
                program_id=program_id, module_id=ids[slug], position=i, mandatory=mandatory
            )
        )
    session.add(program)
    session.flush()


def _index(d: Derivation, slug: str) -> int:
    if slug not in d.modules:
        raise Invalid.one("module", f"'{slug}' is not in the program")
    return d.modules.index(slug)


def drop_module(
    session: Session, program: Program, user: str, revision: int | None, slug: str
) -> None:
    """Take a module out: a parent's module is dropped, an added or swapped-in one removed."""
    d = _state(session, program)
    at = _index(d, slug)
    _save(session, d, d.modules[:at] + d.modules[at + 1 :], d.swaps, user, revision)


def restore_module(
    session: Session, program: Program, user: str, revision: int | None, slug: str
) -> None:
    """Bring back a parent's module the child dropped or swapped out, in the parent's place."""
    d = _state(session, program)
    if slug not in d.parent_ids or slug in d.modules:
        raise Invalid.one("module", f"'{slug}' is not a module of the parent that was taken out")
    order, swaps = list(d.modules), dict(d.swaps)
    if slug in swaps:
        order[order.index(swaps.pop(slug))] = slug
    else:
        earlier = d.parent_ids[: d.parent_ids.index(slug)]
        before = next((m for m in reversed(earlier) if m in order), None)
        order.insert(order.index(before) + 1 if before else 0, slug)
    _save(session, d, order, swaps, user, revision)


def swap_module(
    session: Session, program: Program, user: str, revision: int | None, slug: str, new: str
) -> None:
    """Put another module in a module's place (e.g. the video version of a reading)."""
    d = _state(session, program)
    at = _index(d, slug)
    replacement = _module(session, new, "with")
    ownership.refuse_foreign(session, program, replacement, "with")
    if replacement.slug in d.modules:
        raise Invalid.one("with", f"“{replacement.title}” is already in the program")
    order, swaps = list(d.modules), dict(d.swaps)
    order[at] = replacement.slug
    origin = next((x for x, y in swaps.items() if y == slug), slug)
    if origin in d.parent_ids:
        swaps[origin] = replacement.slug
    _save(session, d, order, swaps, user, revision)


def move_module(
    session: Session, program: Program, user: str, revision: int | None, slug: str, step: int
) -> None:
    """Move a module one place up (-1) or down (+1), within its prerequisites."""
    d = _state(session, program)
    _save(session, d, shift(d.modules, _index(d, slug), step), d.swaps, user, revision)


def reorder_modules(
    session: Session, program: Program, user: str, revision: int | None, slugs: list[str]
) -> None:
    """Put the modules in the order `slugs` names them all (a drag), within prerequisites."""
    d = _state(session, program)
    order = reordered(d.modules, slugs, lambda slug: slug, "modules")
    _save(session, d, order, d.swaps, user, revision)


def add_module(
    session: Session, program: Program, user: str, revision: int | None, slug: str, after: str
) -> None:
    """Add a module (a client's case study) after another one, or first when `after` is ''."""
    d = _state(session, program)
    module = _module(session, slug)
    ownership.refuse_foreign(session, program, module)
    if module.slug in d.modules:
        raise Invalid.one("module", f"“{module.title}” is already in the program")
    at = _index(d, after) + 1 if after else 0
    order = [*d.modules[:at], module.slug, *d.modules[at:]]
    _save(session, d, order, d.swaps, user, revision)
