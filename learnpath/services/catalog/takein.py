"""Taking in the parent's new version: a three-way merge into a new draft of the derived program.

base is the parent version the child derived from, theirs the parent's newest published
version, ours the child's changes. Modules merge as merge.py says. Settings merge field by
field: what the child left as it was follows the parent, what it changed stays. Target
overrides stay when the new parent's modules still reach them. Notes and sessions about a
module that left are kept for the whole program unless the author drops them. Every
disagreement is a Conflict listed for the author; the preview writes nothing, and `take_in`
writes the chosen result as a draft of the child derived from the new version.
"""

import copy
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from learnpath.models import (
    Competency,
    Module,
    Program,
    ProgramOverlay,
    ProgramSession,
    ProgramTarget,
)
from learnpath.models.base import pk
from learnpath.services.catalog import drafts
from learnpath.services.catalog.authoring import Invalid, check_revision, stamp
from learnpath.services.catalog.derivation import (
    Derivation,
    derivation,
    module_entries,
    newer_parent,
    requires_of,
)
from learnpath.services.catalog.derived_modules import write_derivation
from learnpath.services.catalog.diff import ModuleDiff, module_diff
from learnpath.services.catalog.merge import DROP, KEEP, MINE, THEIRS, Conflict, Merge, merge
from learnpath.services.catalog.overrides import bounds
from learnpath.vocabulary import LEVELS

NOTES: tuple[tuple[str, type[ProgramOverlay] | type[ProgramSession]], ...] = (
    ("note", ProgramOverlay),
    ("session", ProgramSession),
)
MERGED_SETTINGS = ("summary", "format", "instructors", "placement", "checkpoints", "level_bands")
CLAMP, PARENT = "clamp", "parent"


@dataclass
class TakeIn:
    """What taking in the parent's new version gives, and every conflict on the way."""

    program: Program
    base: Program
    theirs: Program
    merged: Merge
    parent_changes: ModuleDiff
    result: ModuleDiff
    named: dict[str, Module]
    settings: dict[str, Any] = field(default_factory=dict)
    targets: dict[int, str] = field(default_factory=dict)
    detach: set[tuple[str, int]] = field(default_factory=set)  # (kind, id) kept program-wide
    drop: set[tuple[str, int]] = field(default_factory=set)
    conflicts: list[Conflict] = field(default_factory=list)


def preview_take_in(
    session: Session, program: Program, resolutions: dict[str, str] | None = None
) -> TakeIn:
    """The merge with the parent's newest published version; writes nothing."""
    theirs = newer_parent(session, program)
    if theirs is None:
        raise Invalid.one("parent", "the parent has no newer published version to take in")
    newest = drafts.versions(session, program.slug)[0]
    if newest.id != program.id:
        raise Invalid.one("program", f"take it in from the newest version, v{newest.version}")
    resolutions = resolutions or {}
    d = derivation(session, program)
    their_entries = module_entries(session, theirs)
    their_ids = [m for m, _ in their_entries]
    slugs = {*d.parent_ids, *d.modules, *their_ids}
    named = {m.slug: m for m in session.exec(select(Module).where(col(Module.slug).in_(slugs)))}
    titles = {s: m.title for s, m in named.items()}
    merged = merge(
        d.parent_ids,
        their_ids,
        d.changes,
        requires_of(session, sorted(slugs)),
        resolutions,
        titles,
        theirs.version,
    )
    plan = TakeIn(
        program,
        d.parent,
        theirs,
        merged,
        parent_changes=module_diff(d.parent_ids, their_ids, {}),
        result=module_diff(their_ids, merged.modules, merged.swaps),
        named=named,
        conflicts=list(merged.conflicts),
    )
    _settings(plan, resolutions)
    _targets(session, plan, d, resolutions)
    _notes(session, plan, resolutions)
    return plan


def _conflict(plan: TakeIn, resolutions: dict[str, str], conflict: Conflict) -> str:
    """Record a conflict found here; the author's resolution if valid, else the first option."""
    values = [v for v, _ in conflict.options]
    choice = resolutions.get(conflict.key)
    chosen = choice if choice in values else values[0]
    plan.conflicts.append(Conflict(**{**conflict.__dict__, "choice": chosen}))
    return chosen


def _settings(plan: TakeIn, resolutions: dict[str, str]) -> None:
    """Per setting: the child's own change stays, one it left alone follows the parent."""
    version = plan.theirs.version
    for name in MERGED_SETTINGS:
        base, theirs, ours = (getattr(p, name) for p in (plan.base, plan.theirs, plan.program))
        value = theirs if ours == base else ours
        if ours not in (base, theirs) and theirs != base:
            options = ((MINE, "Keep yours"), (THEIRS, f"Take the parent's v{version}"))
            message = f"you and the parent's v{version} both changed the {name.replace('_', ' ')}"
            conflict = Conflict(f"setting:{name}", "setting", (), message, options, MINE)
            value = ours if _conflict(plan, resolutions, conflict) == MINE else theirs
        plan.settings[name] = copy.deepcopy(value)


def _levels(session: Session, program: Program) -> dict[int, str]:
    rows = session.exec(select(ProgramTarget).where(ProgramTarget.program_id == program.id))
    return {t.competency_id: t.level for t in rows.all() if not t.role}


def _targets(session: Session, plan: TakeIn, d: Derivation, resolutions: dict[str, str]) -> None:
    """The new parent's targets with the child's overrides, where the new parent reaches them."""
    base, ours = _levels(session, d.parent), _levels(session, plan.program)
    plan.targets = _levels(session, plan.theirs)
    spans = bounds(session, plan.theirs)
    names = dict(session.exec(select(Competency.id, Competency.name)).all())
    version = plan.theirs.version
    for cid, level in sorted(ours.items()):
        if base.get(cid) == level:
            continue  # not an override: the parent's level, which follows the parent
        low, high = spans.get(cid, (None, None))
        if low is None or high is None:
            message = f"the parent's v{version} no longer builds “{names[cid]}”, aimed at {level}"
            options: tuple[tuple[str, str], ...] = ((PARENT, "Drop your target"),)
            _conflict(
                plan, resolutions, Conflict(f"target:{cid}", "target", (), message, options, PARENT)
            )
        elif LEVELS.index(low) <= LEVELS.index(level) <= LEVELS.index(high):
            plan.targets[cid] = level
        else:
            bound = low if LEVELS.index(level) < LEVELS.index(low) else high
            message = (
                f"the parent's v{version} builds “{names[cid]}” from {low} to {high}; "
                f"you aim at {level}"
            )
            options = ((CLAMP, f"Aim at {bound}"), (PARENT, "Take the parent's target"))
            conflict = Conflict(f"target:{cid}", "target", (), message, options, CLAMP)
            if _conflict(plan, resolutions, conflict) == CLAMP:
                plan.targets[cid] = bound


def _notes(session: Session, plan: TakeIn, resolutions: dict[str, str]) -> None:
    """Notes and sessions about a module that left: kept for the whole program, or dropped."""
    kept = set(plan.merged.modules)
    for kind, model in NOTES:
        about = session.exec(
            select(model, Module.slug)
            .join(Module, col(Module.id) == model.module_id)
            .where(model.program_id == plan.program.id)
        ).all()
        for row, slug in about:
            if slug in kept:
                continue
            title = plan.named[slug].title if slug in plan.named else slug
            message = f"a {kind} is about “{title}”, which is no longer in the program"
            options = ((KEEP, "Keep it for the whole program"), (DROP, f"Delete the {kind}"))
            conflict = Conflict(f"{kind}:{pk(row)}", kind, (slug,), message, options, KEEP)
            target = plan.detach if _conflict(plan, resolutions, conflict) == KEEP else plan.drop
            target.add((kind, pk(row)))


def take_in(
    session: Session,
    program: Program,
    user: str,
    revision: int | None,
    resolutions: dict[str, str] | None = None,
    theirs_id: int | None = None,
) -> Program:
    """Write the merge as a draft of the child derived from the new parent version.

    `theirs_id` is the parent version the author previewed: another one is refused.
    """
    plan = preview_take_in(session, program, resolutions)
    if theirs_id is not None and theirs_id != plan.theirs.id:
        message = f"the parent published v{plan.theirs.version} meanwhile: review the merge again"
        raise Invalid.one("parent", message)
    check_revision(program, revision)
    draft = drafts.open_draft(session, program, user)
    draft.parent_id = pk(plan.theirs)
    for name, value in plan.settings.items():
        setattr(draft, name, value)
    stamp(draft, user)
    write_derivation(session, draft, module_entries(session, plan.theirs), plan.merged.changes)
    _write_targets(session, draft, plan.targets)
    _write_notes(session, program, draft, plan)
    session.flush()
    return draft


def _write_targets(session: Session, draft: Program, targets: dict[int, str]) -> None:
    for row in session.exec(select(ProgramTarget).where(ProgramTarget.program_id == draft.id)):
        session.delete(row)
    session.flush()
    for cid, level in sorted(targets.items()):
        session.add(ProgramTarget(program_id=pk(draft), competency_id=cid, role="", level=level))


def _write_notes(session: Session, program: Program, draft: Program, plan: TakeIn) -> None:
    """Apply the decisions, found on the child's rows, to the draft's rows (same positions)."""
    for kind, model in NOTES:
        mine: list[Any] = list(session.exec(select(model).where(model.program_id == program.id)))
        copies: list[Any] = list(session.exec(select(model).where(model.program_id == draft.id)))
        decided = {
            row.position: (kind, pk(row))
            for row in mine
            if (kind, pk(row)) in plan.detach | plan.drop
        }
        for row in copies:
            key = decided.get(row.position)
            if key in plan.drop:
                session.delete(row)
            elif key in plan.detach:
                row.module_id = None
                session.add(row)
