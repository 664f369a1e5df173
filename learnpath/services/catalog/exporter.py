"""Writing the catalog tables back to files; re-importing them gives the same state."""

from pathlib import Path
from typing import Any

import yaml
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
    ProgramChange,
    ProgramModule,
    ProgramOverlay,
    ProgramSession,
    ProgramTarget,
    SegmentRule,
    SegmentRuleModule,
)
from learnpath.services.catalog import media
from learnpath.services.catalog.media import VideoRef


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line strings, so Markdown and stems stay readable."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def export_catalog(session: Session, root: Path, media_dir: Path | None = None) -> list[Path]:
    """Write competencies, item banks (expert parameters), modules and programs under root.

    With `media_dir` (the app's MEDIA_DIR), the video files the modules name are copied into
    root/media too (those it does not hold are left out: `media.referenced` lists them all).
    """
    ex = _Exporter(session)
    written = [ex.competencies(root)]
    written += ex.items(root)
    written += ex.modules(root)
    written += ex.programs(root)
    if media_dir is not None:
        written += media.export_files(media_dir, root, media.referenced(session))
    return written


_FEW = 500
"""Up to this many ids go into an IN list; more read the whole table."""


class _Exporter:
    def __init__(self, session: Session) -> None:
        self.s = session
        # Ids to slugs only: whole Module rows (lesson bodies) would cost ~100 ms per 2,000.
        self.comp = {i: slug for i, slug in session.exec(select(Competency.id, Competency.slug))}
        self.mod = {i: slug for i, slug in session.exec(select(Module.id, Module.slug))}

    def _write(self, path: Path, text: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def competencies(self, root: Path) -> Path:
        rows = []
        for c in self.s.exec(select(Competency).order_by(col(Competency.id))).all():
            reqs = self.s.exec(
                select(CompetencyPrerequisite.requires_id).where(
                    CompetencyPrerequisite.competency_id == c.id
                )
            ).all()
            rows.append(
                {
                    "id": c.slug,
                    "name": c.name,
                    "description": c.description,
                    "requires": sorted(self.comp[r] for r in reqs),
                }
            )
        return self._write(root / "competencies.yaml", _dump({"competencies": rows}))

    def items(self, root: Path) -> list[Path]:
        out = []
        for pset in self.s.exec(
            select(ItemParameterSet)
            .where(ItemParameterSet.source == "expert")
            .order_by(col(ItemParameterSet.competency_id))
        ).all():
            params = {
                p.item_id: p
                for p in self.s.exec(
                    select(ItemParameter).where(ItemParameter.parameter_set_id == pset.id)
                ).all()
            }
            items = self.s.exec(
                select(Item).where(Item.competency_id == pset.competency_id).order_by(col(Item.id))
            ).all()
            data = {
                "competency": self.comp[pset.competency_id],
                "parameters": {"source": "expert", "note": pset.note},
                "items": [_item(i, params[i.id]) for i in items if i.id in params],
            }
            out.append(self._write(root / "items" / f"{data['competency']}.yaml", _dump(data)))
        return out

    def modules(self, root: Path) -> list[Path]:
        out = []
        modules = list(self.s.exec(select(Module).order_by(col(Module.id))).all())
        for m, meta in zip(modules, self.module_metas(modules), strict=True):
            text = f"---\n{_dump(meta)}---\n{m.body}"
            out.append(
                self._write(root / "modules" / self.comp[m.competency_id] / f"{m.slug}.md", text)
            )
        return out

    def module_metas(self, modules: list[Module]) -> list[dict[str, Any]]:
        """The modules' front matter; prerequisites and tags read in one query each.

        A long list reads the whole tables instead of naming every id (SQL variables are few).
        """
        ids = [m.id for m in modules]
        prereqs = select(ModulePrerequisite.module_id, ModulePrerequisite.requires_id)
        tagged = select(ModuleTag.module_id, ModuleTag.tag).order_by(
            col(ModuleTag.module_id), col(ModuleTag.tag)
        )
        if len(ids) <= _FEW:
            prereqs = prereqs.where(col(ModulePrerequisite.module_id).in_(ids))
            tagged = tagged.where(col(ModuleTag.module_id).in_(ids))
        reqs: dict[int | None, list[str]] = {}
        for mid, rid in self.s.exec(prereqs).all():
            reqs.setdefault(mid, []).append(self.mod[rid])
        tags: dict[int | None, list[str]] = {}
        for mid, tag in self.s.exec(tagged).all():
            tags.setdefault(mid, []).append(tag)
        return [_module_meta(m, self, reqs.get(m.id, []), tags.get(m.id, [])) for m in modules]

    def programs(self, root: Path) -> list[Path]:
        programs = self.s.exec(
            select(Program).order_by(col(Program.slug), col(Program.version))
        ).all()
        by_id = {p.id: p for p in programs}
        multi = {p.slug for p in programs if sum(q.slug == p.slug for q in programs) > 1}
        out = []
        for p in programs:
            name = f"{p.slug}-v{p.version}.yaml" if p.slug in multi else f"{p.slug}.yaml"
            out.append(self._write(root / "programs" / name, _dump(self._program(p, by_id))))
        return out

    def _program(self, p: Program, by_id: dict[int | None, Program]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": p.slug,
            "version": p.version,
            "title": p.title,
            "summary": p.summary,
            "depth": p.depth,
            "status": p.status,
            "audience": {
                "kind": p.audience_kind,
                **({"name": p.audience_name} if p.audience_name else {}),
            },
            "format": p.format,
            "instructors": p.instructors,
        }
        if p.placement:
            data["placement"] = p.placement
        if p.checkpoints != "offered":
            data["checkpoints"] = p.checkpoints
        if p.level_bands:
            data["level_bands"] = p.level_bands
        if p.parent_id is not None:
            parent = by_id[p.parent_id]
            data["parent"] = {"id": parent.slug, "version": parent.version}
            data["overlays"] = self._overlays(p)
            data["changes"] = self._changes(p)
            if sessions := self._sessions(p):
                data["sessions"] = sessions
        else:
            rows = self.s.exec(
                select(ProgramModule)
                .where(ProgramModule.program_id == p.id)
                .order_by(col(ProgramModule.position))
            ).all()
            data["modules"] = [
                {"module": self.mod[r.module_id], "mandatory": r.mandatory} for r in rows
            ]
        if targets := self._targets(p, by_id.get(p.parent_id)):
            data["targets"] = targets
        if p.is_personal:
            data["rules"] = self._rules(p)
        return data

    def _overlays(self, p: Program) -> list[dict[str, Any]]:
        rows = self.s.exec(
            select(ProgramOverlay)
            .where(ProgramOverlay.program_id == p.id)
            .order_by(col(ProgramOverlay.position))
        ).all()
        return [
            {
                "kind": o.kind,
                **({"module": self.mod[o.module_id]} if o.module_id else {}),
                "text": o.text,
            }
            for o in rows
        ]

    def _changes(self, p: Program) -> list[dict[str, Any]]:
        out = []
        for c in self.s.exec(
            select(ProgramChange)
            .where(ProgramChange.program_id == p.id)
            .order_by(col(ProgramChange.position))
        ).all():
            change: dict[str, Any] = {"op": c.op}
            if c.op == "select":
                change["modules"] = [self.mod[m] for m in c.module_ids]
            else:
                change["module"] = self.mod[c.module_id] if c.module_id else None
            if c.op == "swap":
                change["with"] = self.mod[c.other_module_id] if c.other_module_id else None
            if c.anchor == "first":
                change["after"] = None
            elif c.anchor == "after":
                change["after"] = self.mod[c.other_module_id] if c.other_module_id else None
            out.append(change)
        return out

    def _sessions(self, p: Program) -> list[dict[str, Any]]:
        rows = self.s.exec(
            select(ProgramSession)
            .where(ProgramSession.program_id == p.id)
            .order_by(col(ProgramSession.position))
        ).all()
        return [
            {
                "title": r.title,
                "date": r.day,
                "time": r.start.strftime("%H:%M"),
                "minutes": r.minutes,
                **({"place": r.place} if r.place else {}),
                **({"url": r.url} if r.url else {}),
                **({"module": self.mod[r.module_id]} if r.module_id else {}),
            }
            for r in rows
        ]

    def _levels(self, program: Program | None) -> dict[tuple[int, str], str]:
        if program is None:
            return {}
        rows = self.s.exec(select(ProgramTarget).where(ProgramTarget.program_id == program.id))
        return {(t.competency_id, t.role): t.level for t in rows.all()}

    def _targets(self, p: Program, parent: Program | None) -> list[dict[str, Any]]:
        """Target levels; a derived program's file holds only those that differ from its parent."""
        targets: dict[str, dict[str, Any]] = {}
        inherited = self._levels(parent)
        for (cid, role), level in sorted(self._levels(p).items()):
            if inherited.get((cid, role)) == level:
                continue
            slug = self.comp[cid]
            entry = targets.setdefault(slug, {"competency": slug, "default": None, "roles": {}})
            if role:
                entry["roles"][role] = level
            else:
                entry["default"] = level
        return list(targets.values())

    def _rules(self, p: Program) -> list[dict[str, Any]]:
        out = []
        for r in self.s.exec(
            select(SegmentRule)
            .where(SegmentRule.program_id == p.id)
            .order_by(col(SegmentRule.position))
        ).all():
            mods = self.s.exec(
                select(SegmentRuleModule.module_id).where(SegmentRuleModule.rule_id == r.id)
            ).all()
            out.append(rule_data(r, sorted(self.mod[m] for m in mods)))
        return out


def _module_meta(m: Module, ex: _Exporter, reqs: list[str], tags: list[str]) -> dict[str, Any]:
    """A module's front matter from its row, its prerequisites' ids and its tags."""
    meta = {
        "id": m.slug,
        "title": m.title,
        "summary": m.summary,
        "competency": ex.comp[m.competency_id],
        "level": m.level,
        "format": m.format,
        "minutes": m.minutes,
        "requires": sorted(reqs),
        "tags": tags,
        "alternative_of": ex.mod[m.alternative_of_id] if m.alternative_of_id else None,
    }
    video = VideoRef.parse(m.video_url)
    if video.video:
        meta["video"] = video.video
    if video.captions:
        meta["captions"] = video.captions
    return {**meta, "owner": m.owner} if m.owner else meta


def rule_data(rule: SegmentRule, modules: list[str]) -> dict[str, Any]:
    """A rule as its program file spells it (only the setting its action takes)."""
    data: dict[str, Any] = {"name": rule.name, "when": rule.conditions, "then": rule.action}
    if modules:
        data["modules"] = modules
    if rule.format:
        data["format"] = rule.format
    if rule.minutes_per_week is not None:
        data["minutes_per_week"] = rule.minutes_per_week
    return data


def _item(item: Item, p: ItemParameter) -> dict[str, Any]:
    options = [
        {"text": o["text"], **({"correct": True} if o["correct"] else {})} for o in item.options
    ]
    data: dict[str, Any] = {
        "id": item.slug,
        "type": item.kind,
        "stem": item.stem,
        "options": options,
        "explanation": item.explanation,
        **({"status": item.status} if item.status != "active" else {}),
        **({"owner": item.owner} if item.owner else {}),
        "a": p.a,
        "b": p.b,
    }
    if p.c != 0.0:
        data["c"] = p.c
    if p.d != 1.0:
        data["d"] = p.d
    return data


def program_data(session: Session, program: Program) -> dict[str, Any]:
    """A program version as its file holds it (to check it as an import would)."""
    parent = session.get(Program, program.parent_id) if program.parent_id else None
    return _Exporter(session)._program(program, {program.parent_id: parent} if parent else {})


def module_data(session: Session, module: Module) -> dict[str, Any]:
    """A module's front matter as its file holds it."""
    return _Exporter(session).module_metas([module])[0]


def draft_data(
    session: Session, program: Program, modules: list[Module]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A program version's file and its modules' front matter (the id maps read once)."""
    parent = session.get(Program, program.parent_id) if program.parent_id else None
    exporter = _Exporter(session)
    by_id = {program.parent_id: parent} if parent else {}
    return exporter._program(program, by_id), exporter.module_metas(modules)


def modules_data(session: Session, modules: list[Module]) -> list[dict[str, Any]]:
    """Several modules' front matter as their files hold it (a fixed number of queries)."""
    return _Exporter(session).module_metas(modules)
