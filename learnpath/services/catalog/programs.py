"""Writing programs: version row, module list, overlays, sessions, changes, targets, rules."""

from datetime import time
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from learnpath.models import (
    Enrollment,
    Program,
    ProgramChange,
    ProgramModule,
    ProgramOverlay,
    ProgramSession,
    ProgramTarget,
    SegmentRule,
    SegmentRuleModule,
)
from learnpath.models.base import pk
from learnpath.services.catalog.parsed import At, Catalog
from learnpath.services.catalog.schema import ChangeIn, ProgramIn, RuleIn
from learnpath.services.catalog.sources import CatalogError, Problem
from learnpath.services.catalog.upsert import Writer


def write_programs(
    w: Writer, catalog: Catalog, comp_ids: dict[str, int], module_ids: dict[str, int]
) -> None:
    """Upsert every program version, parents first; refuse changes to frozen versions."""
    problems: list[Problem] = []
    for key in sorted(catalog.programs, key=lambda k: catalog.programs[k].model.depth):
        at = catalog.programs[key]
        before = sum(w.counts.values())
        program = _write_program(w, at, module_ids)
        modules = [
            {"module_id": module_ids[m], "position": i, "mandatory": mandatory}
            for i, (m, mandatory) in enumerate(catalog.resolved[key].modules)
        ]
        w.replace(ProgramModule, {"program_id": program.id}, modules)
        w.replace(ProgramOverlay, {"program_id": program.id}, _overlays(at.model, module_ids))
        w.replace(
            ProgramChange,
            {"program_id": program.id},
            [change_row(i, c, module_ids) for i, c in enumerate(at.model.changes)],
        )
        w.replace(ProgramSession, {"program_id": program.id}, _sessions(at.model, module_ids))
        inherited = _inherited_targets(w, program.parent_id)
        w.replace(
            ProgramTarget, {"program_id": program.id}, _targets(at.model, comp_ids, inherited)
        )
        _write_rules(w, program, at.model, module_ids)
        changed = sum(w.counts.values()) != before
        if changed and (problem := _frozen_problem(w.session, program, at.source.path)):
            problems.append(problem)
    if problems:
        raise CatalogError(problems)


def _write_program(w: Writer, at: At[ProgramIn], module_ids: dict[str, int]) -> Program:
    p = at.model
    parent_id = None
    if p.parent is not None:
        parent = w.session.exec(
            select(Program).where(Program.slug == p.parent.id, Program.version == p.parent.version)
        ).one()
        parent_id = parent.id
    values: dict[str, Any] = {
        "title": p.title,
        "summary": p.summary,
        "depth": p.depth,
        "status": p.status,
        "audience_kind": p.audience.kind,
        "audience_name": p.audience.name,
        "format": p.format,
        "instructors": list(p.instructors),
        "parent_id": parent_id,
        "placement": p.placement.model_dump(exclude_none=True) if p.placement else None,
        "checkpoints": p.checkpoints,
        "level_bands": dict(p.level_bands) if p.level_bands is not None else None,
    }
    return w.upsert(Program, {"slug": p.id, "version": p.version}, values)


def _overlays(p: ProgramIn, module_ids: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "position": i,
            "kind": o.kind,
            "module_id": module_ids[o.module] if o.module else None,
            "text": o.text,
        }
        for i, o in enumerate(p.overlays)
    ]


def change_row(i: int, c: ChangeIn, module_ids: dict[str, int]) -> dict[str, Any]:
    """A change as its ProgramChange row values (module ids, anchor)."""
    other = c.with_ if c.op == "swap" else c.after
    anchor = ""
    if c.op in {"add", "move"}:
        anchor = (
            "end"
            if "after" not in c.model_fields_set
            else ("first" if c.after is None else "after")
        )
    return {
        "position": i,
        "op": c.op,
        "module_id": module_ids[c.module] if c.module else None,
        "other_module_id": module_ids[other] if other else None,
        "anchor": anchor,
        "module_ids": [module_ids[m] for m in c.modules],
    }


def _inherited_targets(w: Writer, parent_id: int | None) -> dict[tuple[int, str], str]:
    """The parent's target levels (already written: parents come first), by (competency, role)."""
    if parent_id is None:
        return {}
    rows = w.session.exec(select(ProgramTarget).where(ProgramTarget.program_id == parent_id))
    return {(t.competency_id, t.role): t.level for t in rows.all()}


def _targets(
    p: ProgramIn, comp_ids: dict[str, int], inherited: dict[tuple[int, str], str]
) -> list[dict[str, Any]]:
    """A derived program's file lists only its overrides; its rows hold every target it has."""
    levels = dict(inherited)
    for t in p.targets:
        cid = comp_ids[t.competency]
        levels[(cid, "")] = t.default
        levels.update({(cid, role): lvl for role, lvl in t.roles.items()})
    return [
        {"competency_id": cid, "role": role, "level": level}
        for (cid, role), level in sorted(levels.items())
    ]


def _sessions(p: ProgramIn, module_ids: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "position": i,
            "title": s.title,
            "day": s.date,
            "start": time.fromisoformat(s.time),
            "minutes": s.minutes,
            "place": s.place,
            "url": s.url or "",
            "module_id": module_ids[s.module] if s.module else None,
        }
        for i, s in enumerate(p.sessions)
    ]


def _rule_row(rule: SegmentRule, modules: list[int]) -> tuple[Any, ...]:
    """A rule as compared between the database and a file: every field that gives it meaning."""
    return (
        rule.name,
        rule.conditions,
        rule.action,
        rule.format,
        rule.minutes_per_week,
        sorted(modules),
    )


def rule_rows(r: RuleIn, module_ids: dict[str, int]) -> tuple[SegmentRule, list[int]]:
    """A rule of a file (or of the studio) as its unsaved row and the ids of its modules."""
    row = SegmentRule(
        program_id=0,
        position=0,
        name=r.name,
        conditions=r.when.model_dump(exclude_defaults=True),
        action=r.then,
        format=r.format or "",
        minutes_per_week=r.minutes_per_week,
    )
    return row, sorted(module_ids[m] for m in r.modules)


def _write_rules(w: Writer, program: Program, p: ProgramIn, module_ids: dict[str, int]) -> None:
    """Rules are compared as a whole list and rewritten only when any of them differs."""
    current = w.session.exec(
        select(SegmentRule)
        .where(SegmentRule.program_id == program.id)
        .order_by(col(SegmentRule.position))
    ).all()
    have = []
    for rule in current:
        mods = w.session.exec(
            select(SegmentRuleModule.module_id).where(SegmentRuleModule.rule_id == rule.id)
        ).all()
        have.append(_rule_row(rule, list(mods)))
    want = [rule_rows(r, module_ids) for r in p.rules]
    if have == [_rule_row(*pair) for pair in want]:
        return
    replace_rules(w.session, program, want)
    w.counts["SegmentRule sets replaced"] += 1


def replace_rules(
    session: Session, program: Program, rules: list[tuple[SegmentRule, list[int]]]
) -> None:
    """Delete the program's rules and write `rules` (unsaved rows, module ids) in their order."""
    ids = select(SegmentRule.id).where(SegmentRule.program_id == program.id)
    session.execute(delete(SegmentRuleModule).where(col(SegmentRuleModule.rule_id).in_(ids)))
    session.execute(delete(SegmentRule).where(col(SegmentRule.program_id) == program.id))
    for i, (rule, mods) in enumerate(rules):
        rule.program_id, rule.position = pk(program), i
        session.add(rule)
        session.flush()
        for mid in mods:
            session.add(SegmentRuleModule(rule_id=pk(rule), module_id=mid))
    session.flush()


def _frozen_problem(session: Session, program: Program, path: str) -> Problem | None:
    """A Problem if learners' records refer to this program version, which freezes it."""
    enrolled = session.exec(
        select(Enrollment.id).where(Enrollment.program_id == program.id)
    ).first()
    if program.frozen_at is None and enrolled is None:
        return None
    message = (
        f"program '{program.slug}' version {program.version} is frozen (learners' records "
        "refer to it): give the change a new version"
    )
    return Problem(path, 1, "version", message)
