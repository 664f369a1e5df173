"""Items in the studio: create and edit with expert 2PL parameters, checked as a file would be.

An item's competency is fixed once it exists (its parameters belong to that competency's
parameter sets); the author's a and b go into the competency's expert parameter set, the one
its item file holds. When a calibration has published a newer set, quizzes use that set, and a
new item joins them only with the next calibration.
"""

from typing import Any

from sqlmodel import Session, col, select

from learnpath.models import Competency, Item, ItemParameter, ItemParameterSet
from learnpath.services.catalog import ownership
from learnpath.services.catalog.authoring import Invalid, identify, signed, source, validate
from learnpath.services.catalog.parsed import At, Catalog
from learnpath.services.catalog.schema import ItemIn, ItemsFile, ParametersIn
from learnpath.services.catalog.upsert import Writer
from learnpath.services.catalog.writer import _write_items


def find(session: Session, slug: str) -> Item | None:
    """An item by its id."""
    return session.exec(select(Item).where(Item.slug == slug)).first()


def expert_set(session: Session, competency_id: int) -> ItemParameterSet | None:
    """The competency's expert parameter set (the author's estimates), if any."""
    return session.exec(
        select(ItemParameterSet)
        .where(ItemParameterSet.competency_id == competency_id, ItemParameterSet.source == "expert")
        .order_by(col(ItemParameterSet.version))
    ).first()


def expert_parameters(session: Session, item: Item) -> ItemParameter | None:
    """The author's a, b, c, d of an item."""
    pset = expert_set(session, item.competency_id)
    return session.get(ItemParameter, (pset.id, item.id)) if pset else None


def fields_of(session: Session, item: Item) -> dict[str, Any]:
    """The item as its file holds it (the editor's starting values)."""
    params = expert_parameters(session, item)
    return {
        "id": item.slug,
        "type": item.kind,
        "stem": item.stem,
        "options": [{"text": o["text"], "correct": o["correct"]} for o in item.options],
        "explanation": item.explanation,
        "status": item.status,
        "owner": item.owner or None,
        "a": params.a if params else 1.0,
        "b": params.b if params else 0.0,
        "c": params.c if params else 0.0,
        "d": params.d if params else 1.0,
    }


def save_item(
    session: Session,
    user: str,
    competency: str,
    data: dict[str, Any],
    item: Item | None = None,
    revision: int | None = None,
) -> Item:
    """Create (item None) or update an item; written through the import's item writer."""
    comp = session.exec(select(Competency).where(Competency.slug == competency)).first()
    if comp is None:
        raise Invalid.one("competency", f"unknown competency '{competency}'")
    if item is not None and item.competency_id != comp.id:
        raise Invalid.one("competency", "an item stays in its competency")
    data = identify(session, Item, item, data, revision)
    parsed = validate(ItemIn, {k: v for k, v in data.items() if v is not None}, whole="options")
    if parsed.owner and parsed.owner not in ownership.deep_lines(session):
        raise Invalid.one("owner", f"'{parsed.owner}' is not a deep program: only those own items")
    pset = expert_set(session, comp.id or 0)
    note = pset.note if pset else ParametersIn().note
    catalog = Catalog()
    items = ItemsFile(competency=comp.slug, parameters=ParametersIn(note=note), items=[parsed])
    catalog.item_files.append(At(items, source(data)))
    _write_items(Writer(session), catalog, {comp.slug: comp.id or 0})
    return signed(session, Item, parsed.id, user)
