"""The studio's module lists, a page at a time: the modules list and the pickers of editors."""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from learnpath.models import Competency, Module, ProgramModule
from learnpath.services.catalog.module_edits import ModuleRow
from learnpath.services.catalog.paging import (
    PAGE_SIZE,
    Order,
    Page,
    having_words,
    ordered,
    page_of,
)

PICKER_SIZE = 50
"""Modules a picker offers at a time (its search narrows them down)."""


@dataclass(frozen=True)
class ModuleFilter:
    """What a module list is narrowed to: a competency (id), level, format, words in the title."""

    competency: str | None = None
    level: str | None = None
    format: str | None = None
    text: str | None = None

    def apply(self, query: Any) -> Any:
        """The query keeping only matching modules (it must join Competency)."""
        if self.competency:
            query = query.where(col(Competency.slug) == self.competency)
        if self.level:
            query = query.where(col(Module.level) == self.level)
        if self.format:
            query = query.where(col(Module.format) == self.format)
        return having_words(query, self.text, Module.title, Module.slug)


def _uses() -> Any:
    """Program versions per module, as a subquery (module_id, n)."""
    return (
        select(ProgramModule.module_id, func.count().label("n"))
        .group_by(col(ProgramModule.module_id))
        .subquery("uses")
    )


def modules_page(
    session: Session, filters: ModuleFilter, order: Order, number: int, size: int = PAGE_SIZE
) -> tuple[Page[ModuleRow], Order]:
    """A page of modules with competency name and use count, sorted (by competency by default)."""
    uses = _uses()
    used = func.coalesce(uses.c.n, 0)
    query = filters.apply(
        select(Module, Competency.name, used)
        .join(Competency, col(Competency.id) == Module.competency_id)
        .outerjoin(uses, uses.c.module_id == Module.id)
    )
    keys: dict[str, list[Any]] = {
        "title": [col(Module.title)],
        "competency": [col(Competency.name), col(Module.title)],
        "level": [col(Module.level), col(Module.title)],
        "format": [col(Module.format), col(Module.title)],
        "minutes": [col(Module.minutes)],
        "used": [used],
    }
    query, order = ordered(query, order, keys, "competency", col(Module.id))
    page = page_of(session, query, number, size)
    rows = [ModuleRow(m, name, int(n)) for m, name, n in page.rows]
    return Page(rows, page.number, page.size, page.total), order


def picker_page(
    session: Session,
    filters: ModuleFilter,
    number: int,
    leave_out: Collection[int] | SelectOfScalar[int] = (),
    owners: Collection[str] | None = None,
) -> Page[tuple[Module, str]]:
    """Modules an editor may add (not those `leave_out` holds: ids, or a query of ids), by
    competency and title, with their competency's name: PICKER_SIZE at a time.

    `owners`: only modules of these owners ('' shared, deep program slugs: ownership.py), for a
    program's pickers; None offers every module.
    """
    query = filters.apply(
        select(Module, Competency.name)
        .join(Competency, col(Competency.id) == Module.competency_id)
        .order_by(col(Competency.name), col(Module.title), col(Module.id))
    )
    if owners is not None:
        query = query.where(col(Module.owner).in_(list(owners)))
    if isinstance(leave_out, SelectOfScalar) or leave_out:
        query = query.where(col(Module.id).not_in(leave_out))
    page = page_of(session, query, number, PICKER_SIZE)
    return Page([(m, name) for m, name in page.rows], page.number, page.size, page.total)
