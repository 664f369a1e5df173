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
from learnpath.models.base import pk
from learnpath.services.catalog import derive
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
            "video_url": m.video or "",
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
    """Slugs and program lists already in the database, for references a folder leaves out."""
    known = Known(competencies=set(session.exec(select(Competency.slug)).all()))
    comp = {id_: slug for slug, id_ in _id_map(session, Competency).items()}
    mods = {id_: slug for slug, id_ in _id_map(session, Module).items()}
    reqs: dict[int, list[str]] = {}
    for mid, rid in session.exec(
        select(ModulePrerequisite.module_id, ModulePrerequisite.requires_id)
    ).all():
        reqs.setdefault(mid, []).append(mods[rid])
    for module in session.exec(select(Module)).all():
        mid, cid = pk(module), module.competency_id
        known.modules[mods[mid]] = (comp[cid], reqs.get(mid, []))
        known.owners[module.slug] = module.owner
    programs = {p.id: p for p in session.exec(select(Program)).all()}
    for program in programs.values():
        rows = session.exec(
            select(ProgramModule)
            .where(ProgramModule.program_id == program.id)
            .order_by(col(ProgramModule.position))
        ).all()
        entries = [(mods[r.module_id], r.mandatory) for r in rows]
        line = _line(programs, program)
        known.programs[(program.slug, program.version)] = derive.Resolved(
            program.depth, entries, line
        )
    return known


def _line(programs: dict[int | None, Program], program: Program) -> frozenset[str]:
    """A stored program's slug and its ancestors' (ownership.line_of without queries)."""
    slugs: set[str] = set()
    current: Program | None = program
    while current is not None and current.slug not in slugs:
        slugs.add(current.slug)
        current = programs.get(current.parent_id)
    return frozenset(slugs)
