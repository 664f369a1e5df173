"""Derived programs (depths 2–4) in the studio: derive from a published version, read the state.

A derived draft starts as the parent version's module list and target levels, with the parent's
format, instructors and placement; its own rows then record what the derivation changes. The
module list (ProgramModule) is always the parent's list with the changes applied, and the
changes (ProgramChange) are kept in canonical form (diff.canonical_changes), as a file would
spell them: an import of the exported file gives the same rows back.
"""

from collections.abc import Collection
from dataclasses import dataclass

from sqlmodel import Session, col, select

from learnpath.models import Module, ModulePrerequisite, Program, ProgramModule, ProgramTarget
from learnpath.models.base import pk
from learnpath.services.catalog.authoring import Invalid, slugify, unused_slug, validate
from learnpath.services.catalog.diff import swap_pairs
from learnpath.services.catalog.drafts import SettingsIn
from learnpath.services.catalog.exporter import program_data
from learnpath.services.catalog.schema import DEEP_AUDIENCE, ChangeIn
from learnpath.vocabulary import AudienceKind, Depth

DERIVED = tuple(d for d in Depth if d.is_derived)
AUDIENCE: dict[Depth, AudienceKind] = {
    Depth.FACILITATED: "client",
    Depth.SPECIALIZED: "client",
    Depth.DEEP: DEEP_AUDIENCE,
}
"""Who a derived program is for: a client's cohort or organisation, or a department."""


def changes_modules(depth: int) -> bool:
    """Specialized and deep programs change their parent's modules; facilitated ones do not."""
    kind = Depth(depth)
    return kind.is_derived and not kind.keeps_parent_modules


def sets_placement(depth: int) -> bool:
    """A deep program sets its own placement test; facilitated and specialized keep the parent's."""
    kind = Depth(depth)
    return not kind.is_derived or kind is Depth.DEEP


@dataclass(frozen=True)
class Derivation:
    """A derived version with its parent: both module lists (slugs), the changes, the swaps."""

    program: Program
    parent: Program
    parent_modules: list[tuple[str, bool]]
    modules: list[str]
    changes: list[ChangeIn]
    swaps: dict[str, str]

    @property
    def parent_ids(self) -> list[str]:
        """The parent's module slugs in order."""
        return [m for m, _ in self.parent_modules]


def derive_program(
    session: Session, parent: Program, user: str, depth: int, title: str, audience: str, slug: str
) -> Program:
    """A new draft (version 1) deriving from a published version, for a client or department."""
    if parent.status != "published":
        message = f"version {parent.version} is {parent.status}: derive from a published version"
        raise Invalid.one("parent", message)
    if depth not in DERIVED:
        raise Invalid.one("depth", "choose facilitated (2), specialized (3) or deep (4)")
    kind = Depth(depth)
    if kind <= parent.depth_kind:
        message = f"a {kind.label} program cannot derive from a {parent.depth_kind.label} one"
        raise Invalid.one("depth", message)
    wanted = {"kind": AUDIENCE[kind], "name": audience.strip() or None}
    settings = validate(SettingsIn, {"title": title, "audience": wanted})
    slug = unused_slug(session, Program, slug.strip() or slugify(settings.title))
    program = Program(
        slug=slug,
        title=settings.title,
        summary=parent.summary,
        depth=kind,
        audience_kind=AUDIENCE[kind],
        audience_name=settings.audience.name,
        format=parent.format,
        instructors=list(parent.instructors),
        parent_id=pk(parent),
        placement=dict(parent.placement) if parent.placement else None,
        level_bands=dict(parent.level_bands) if parent.level_bands else None,
        checkpoints=parent.checkpoints,
        updated_by=user,
    )
    session.add(program)
    session.flush()
    for model in (ProgramModule, ProgramTarget):
        for row in session.exec(select(model).where(model.program_id == parent.id)).all():
            session.add(model(**{**row.model_dump(), "program_id": pk(program)}))
    session.flush()
    return program


def modules_by_slug(session: Session, slugs: Collection[str]) -> dict[str, Module]:
    """The named modules by id, in title order."""
    rows = session.exec(
        select(Module).where(col(Module.slug).in_(list(slugs))).order_by(col(Module.title))
    ).all()
    return {m.slug: m for m in rows}


def parent_of(session: Session, program: Program) -> Program:
    """The version a derived version derives from (Invalid for one that does not derive)."""
    parent = session.get(Program, program.parent_id) if program.parent_id else None
    if parent is None:
        raise Invalid.one("program", "this program is not derived")
    return parent


def module_entries(session: Session, program: Program) -> list[tuple[str, bool]]:
    """A version's module list as (slug, mandatory), in order."""
    rows = session.exec(
        select(Module.slug, ProgramModule.mandatory)
        .join(ProgramModule, col(ProgramModule.module_id) == Module.id)
        .where(ProgramModule.program_id == program.id)
        .order_by(col(ProgramModule.position))
    ).all()
    return [(slug, bool(mandatory)) for slug, mandatory in rows]


def changes_of(session: Session, program: Program) -> list[ChangeIn]:
    """The version's recorded changes, as its file spells them."""
    return [ChangeIn.model_validate(c) for c in program_data(session, program).get("changes", [])]


def derivation(session: Session, program: Program) -> Derivation:
    """The derivation state of a derived version (ValueError for a version with no parent)."""
    parent = session.get(Program, program.parent_id) if program.parent_id else None
    if parent is None:
        raise ValueError(f"{program.slug} v{program.version} is not derived")
    parent_modules = module_entries(session, parent)
    changes = changes_of(session, program)
    return Derivation(
        program=program,
        parent=parent,
        parent_modules=parent_modules,
        modules=[m for m, _ in module_entries(session, program)],
        changes=changes,
        swaps=swap_pairs([m for m, _ in parent_modules], changes),
    )


def requires_of(session: Session, slugs: list[str]) -> dict[str, list[str]]:
    """The prerequisite modules (slugs) of each of the given modules."""
    ids = dict(session.exec(select(Module.id, Module.slug)).all())
    wanted = {i for i, s in ids.items() if s in set(slugs)}
    found: dict[str, list[str]] = {}
    for module_id, required in session.exec(
        select(ModulePrerequisite.module_id, ModulePrerequisite.requires_id).where(
            col(ModulePrerequisite.module_id).in_(wanted)
        )
    ).all():
        found.setdefault(ids[module_id], []).append(ids[required])
    return found


def newer_parent(session: Session, program: Program) -> Program | None:
    """The newest published version of the parent program after the one this derives from."""
    parent = session.get(Program, program.parent_id) if program.parent_id else None
    if parent is None:
        return None
    return session.exec(
        select(Program)
        .where(Program.slug == parent.slug, Program.version > parent.version)
        .where(Program.status == "published")
        .order_by(col(Program.version).desc())
    ).first()
