"""Modules in the studio: list with use, create and edit, checked and written as a file would be.

A save goes through the same data model (ModuleIn), cross-checks (checks.py: unknown competency
or prerequisite, prerequisite cycles, alternatives) and writer as `import-content`, so the
studio and the files cannot disagree about what a valid module is.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from learnpath.models import Competency, Module, Program, ProgramModule
from learnpath.models.base import pk
from learnpath.services.catalog import media
from learnpath.services.catalog.authoring import (
    Invalid,
    identify,
    import_problems,
    signed,
    source,
    validate,
)
from learnpath.services.catalog.exporter import module_data
from learnpath.services.catalog.parsed import At, Catalog
from learnpath.services.catalog.schema import ModuleIn
from learnpath.services.catalog.upsert import Writer
from learnpath.services.catalog.writer import _id_map, _write_modules


@dataclass(frozen=True)
class ModuleRow:
    """A module in the studio's list: its competency and how many program versions use it."""

    module: Module
    competency: str
    used_by: int


def list_modules(session: Session, competency: str | None = None) -> list[ModuleRow]:
    """Every module (or one competency's) with competency name and use count."""
    uses = dict(
        session.exec(
            select(ProgramModule.module_id, func.count()).group_by(col(ProgramModule.module_id))
        ).all()
    )
    query = (
        select(Module, Competency.name)
        .join(Competency, col(Competency.id) == Module.competency_id)
        .order_by(col(Competency.name), col(Module.title))
    )
    if competency:
        query = query.where(Competency.slug == competency)
    return [ModuleRow(m, name, uses.get(pk(m), 0)) for m, name in session.exec(query).all()]


def find(session: Session, slug: str) -> Module | None:
    """A module by its id."""
    return session.exec(select(Module).where(Module.slug == slug)).first()


def used_by(session: Session, module: Module) -> list[Program]:
    """The program versions whose list or pool holds the module."""
    return list(
        session.exec(
            select(Program)
            .join(ProgramModule, col(ProgramModule.program_id) == Program.id)
            .where(ProgramModule.module_id == module.id)
            .order_by(col(Program.title), col(Program.version))
        ).all()
    )


def fields_of(session: Session, module: Module) -> dict[str, Any]:
    """The module's front matter, as the editor's form shows it."""
    return module_data(session, module)


def save_module(
    session: Session,
    user: str,
    data: dict[str, Any],
    body: str,
    module: Module | None = None,
    revision: int | None = None,
    media_dir: Path | None = None,
) -> Module:
    """Create (module None) or update a module from front-matter fields and a Markdown body.

    With `media_dir` (the app's MEDIA_DIR), a video or captions file must be there already.
    """
    data = identify(session, Module, module, data, revision)
    parsed = validate(ModuleIn, data, whole="format")
    absent = media.missing(parsed, media_dir) if media_dir else []
    if absent:
        field, path = absent[0]
        raise Invalid.one(field, f"file {path} is not in the media folder: import its catalog")
    body = body.replace("\r\n", "\n")  # browsers send textarea lines with CRLF
    if not body.strip():
        raise Invalid.one("body", "the lesson body is empty")
    catalog = Catalog()
    catalog.modules[parsed.id] = At(parsed, source(data))
    catalog.bodies[parsed.id] = body.strip("\n") + "\n"
    problems = import_problems(session, catalog)
    if problems:
        raise Invalid.of(problems)
    _write_modules(Writer(session), catalog, _id_map(session, Competency))
    return signed(session, Module, parsed.id, user)


def titles_of(session: Session, slugs: list[str]) -> list[tuple[str, str]]:
    """(id, title) of the named modules, by title (unknown ids left out)."""
    if not slugs:
        return []
    rows = session.exec(
        select(Module.slug, Module.title)
        .where(col(Module.slug).in_(slugs))
        .order_by(col(Module.title))
    ).all()
    return [(slug, title) for slug, title in rows]
