"""A derived version's difference to its parent version, for its page in the studio."""

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from learnpath.models import Module, Program
from learnpath.services.catalog.derivation import derivation
from learnpath.services.catalog.diff import ModuleDiff, module_diff
from learnpath.services.catalog.overrides import TargetRow, target_rows

SETTINGS = {
    "format": "Format",
    "audience": "Audience",
    "instructors": "Instructors",
    "placement": "Placement test",
    "checkpoints": "Checkpoints",
}


@dataclass(frozen=True)
class ParentDiff:
    """Added, removed, swapped and moved modules, overridden targets and settings."""

    parent: Program
    modules: ModuleDiff
    named: dict[str, Module]
    targets: list[TargetRow] = field(default_factory=list)
    settings: list[tuple[str, str, str]] = field(default_factory=list)  # what, parent's, own

    @property
    def empty(self) -> bool:
        """Whether the version differs from its parent in nothing but its overlays."""
        return self.modules.empty and not self.targets and not self.settings


def setting_values(program: Program) -> dict[str, str]:
    """The settings a derivation may change, in words."""
    audience = program.audience_kind + (
        f": {program.audience_name}" if program.audience_name else ""
    )
    return {
        "format": program.format,
        "audience": audience,
        "instructors": ", ".join(program.instructors) or "none",
        "placement": _placement(program.placement),
        "checkpoints": program.checkpoints,
    }


def _placement(placement: dict[str, Any] | None) -> str:
    if not placement:
        return "none"
    measured = ", ".join(placement.get("competencies") or []) or "every competency built"
    return (
        f"{placement.get('min_items')}–{placement.get('max_items')} questions, "
        f"SE {placement.get('se_target')}, {measured}"
    )


def parent_diff(session: Session, program: Program) -> ParentDiff | None:
    """The difference to the parent version, or None when the version is not derived."""
    if program.parent_id is None:
        return None
    d = derivation(session, program)
    modules = module_diff(d.parent_ids, d.modules, d.swaps)
    slugs = {*d.parent_ids, *d.modules}
    named = {m.slug: m for m in session.exec(select(Module).where(col(Module.slug).in_(slugs)))}
    mine, theirs = setting_values(program), setting_values(d.parent)
    settings = [(SETTINGS[k], theirs[k], mine[k]) for k in SETTINGS if mine[k] != theirs[k]]
    targets = [t for t in target_rows(session, program, d.parent) if t.overridden]
    return ParentDiff(d.parent, modules, named, targets, settings)
