"""Writing a checked catalog into the database, touching only rows whose values changed."""

from collections import Counter
from typing import Any

from sqlmodel import Session, col, select

from learnpath.models import (
    Competency,
    CompetencyPrerequisite,
    Item,
    ItemParameter,
    ItemParameterSet,
    Module,
    ModulePrerequisite,
    ModuleTag,
    Program,
    ProgramModule,
)
from learnpath.services.catalog import derive
from learnpath.services.catalog.media import VideoRef
from learnpath.services.catalog.parsed import Catalog, Known
from learnpath.services.catalog.programs import write_programs
from learnpath.services.catalog.upsert import Writer


def write_catalog(session: Session, catalog: Catalog) -> Counter[str]:
    """Upsert everything in the catalog; the caller owns the transaction."""
    w = Writer(session)
    comp_ids = _write_competencies(w, catalog)
    _write_items(w, catalog, comp_ids)
    module_ids = _write_modules(w, catalog, comp_ids)
    write_programs(w, catalog, comp_ids, module_ids)
    return w.counts


def _id_map(session: Session, model: type[Any]) -> dict[str, int]:
    return {slug: id_ for id_, slug in session.exec(select(model.id, model.slug)).all()}


def _write_competencies(w: Writer, catalog: Catalog) -> dict[str, int]:
    for slug, at in catalog.competencies.items():
        c = at.model
        w.upsert(Competency, {"slug": slug}, {"name": c.name, "description": c.description})
    ids = _id_map(w.session, Competency)
    for slug, at in catalog.competencies.items():
        rows = [{"requires_id": ids[r]} for r in at.model.requires]
        w.replace(CompetencyPrerequisite, {"competency_id": ids[slug]}, rows)
    return ids


def _write_items(w: Writer, catalog: Catalog, comp_ids: dict[str, int]) -> None:
    for file in catalog.item_files:
        comp_id = comp_ids[file.model.competency]
        pset = w.session.exec(
            select(ItemParameterSet)
            .where(ItemParameterSet.competency_id == comp_id, ItemParameterSet.source == "expert")
            .order_by(col(ItemParameterSet.version))
        ).first()
        if pset is None:
            latest = w.session.exec(
                select(ItemParameterSet.version).where(ItemParameterSet.competency_id == comp_id)
            ).all()
            pset = w.upsert(
                ItemParameterSet,
                {"competency_id": comp_id, "version": max(latest, default=0) + 1},
                {"source": "expert", "note": file.model.parameters.note},
            )
        else:
            w.upsert(ItemParameterSet, {"id": pset.id}, {"note": file.model.parameters.note})
        for item in file.model.items:
            options = [
                {"key": chr(97 + k), "text": o.text, "correct": o.correct}
                for k, o in enumerate(item.options)
            ]
            values = {
                "competency_id": comp_id,
                "kind": item.type,
                "stem": item.stem,
                "options": options,
                "explanation": item.explanation,
                "status": item.status,
                "active": item.status == "active",
                "owner": item.owner or "",
            }
            row = w.upsert(Item, {"slug": item.id}, values)
            params = {"a": item.a, "b": item.b, "c": item.c, "d": item.d}
            w.upsert(ItemParameter, {"parameter_set_id": pset.id, "item_id": row.id}, params)


def _write_modules(w: Writer, catalog: Catalog, comp_ids: dict[str, int]) -> dict[str, int]:
    for slug, at in catalog.modules.items():
        m = at.model
        values = {
            "title": m.title,
            "summary": m.summary,
            "body": catalog.bodies[slug],
            "format": m.format,
            "minutes": m.minutes,
            "competency_id": comp_ids[m.competency],
            "level": m.level,
            "video_url": VideoRef(m.video or "", m.captions or "").stored(),
            "owner": m.owner or "",
        }
        w.upsert(Module, {"slug": slug}, values)
    ids = _id_map(w.session, Module)
    for slug, at in catalog.modules.items():
        m = at.model
        alt = ids[m.alternative_of] if m.alternative_of else None
        w.upsert(Module, {"slug": slug}, {"alternative_of_id": alt})
        w.replace(
            ModulePrerequisite,
            {"module_id": ids[slug]},
            [{"requires_id": ids[r]} for r in m.requires],
        )
        w.replace(ModuleTag, {"module_id": ids[slug]}, [{"tag": t} for t in sorted(set(m.tags))])
    return ids


def known_from_db(session: Session) -> Known:
    """Slugs and program lists already in the database, for references a folder leaves out.

    Six queries whatever the catalog's size: ids, slugs and competencies of the modules (not
    whole rows with their lesson bodies), every prerequisite, every program's list at once.
    """
    comp = {id_: slug for slug, id_ in _id_map(session, Competency).items()}
    known = Known(competencies=set(comp.values()))
    rows = session.exec(select(Module.id, Module.slug, Module.competency_id, Module.owner)).all()
    mods = {mid: slug for mid, slug, _, _ in rows}
    reqs: dict[int, list[str]] = {}
    for mid, rid in session.exec(
        select(ModulePrerequisite.module_id, ModulePrerequisite.requires_id)
    ).all():
        reqs.setdefault(mid, []).append(mods[rid])
    for row_id, slug, cid, owner in rows:
        known.modules[slug] = (comp[cid], reqs.get(_id(row_id), []))
        known.owners[slug] = owner
    lists: dict[int, list[tuple[str, bool]]] = {}
    for program_id, module_id, mandatory in session.exec(
        select(ProgramModule.program_id, ProgramModule.module_id, ProgramModule.mandatory).order_by(
            col(ProgramModule.program_id), col(ProgramModule.position)
        )
    ).all():
        lists.setdefault(program_id, []).append((mods[module_id], mandatory))
    programs = session.exec(select(Program.id, Program.slug, Program.version, Program.depth)).all()
    slugs = {row_id: slug for row_id, slug, _, _ in programs}
    parents = dict(session.exec(select(Program.id, Program.parent_id)).all())
    for row_id, slug, version, depth in programs:
        entries = lists.get(_id(row_id), [])
        line = _line(slugs, parents, _id(row_id))
        known.programs[(slug, version)] = derive.Resolved(depth, entries, line)
    return known


def _line(
    slugs: dict[int | None, str], parents: dict[int | None, int | None], row_id: int
) -> frozenset[str]:
    """A stored program's slug and its ancestors' (ownership.line_of without queries)."""
    line: set[str] = set()
    current: int | None = row_id
    while current is not None and slugs[current] not in line:
        line.add(slugs[current])
        current = parents[current]
    return frozenset(line)


def _id(row_id: int | None) -> int:
    """A selected primary key (never None once stored)."""
    assert row_id is not None
    return row_id
