"""The program's target levels for a learner, and whether measured levels meet them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from learnpath.vocabulary import DEFAULT_TARGET_LEVEL, LEVELS

from .inputs import PlanInput
from .levels import level_index

Verdict = Literal["passed", "failed"]


def target_levels(inp: PlanInput) -> dict[str, str]:
    """Target per competency the program builds or targets: the role's, the default, proficient."""
    catalog = {m.id: m for m in inp.modules}
    targets = {t.competency: t.level_for(inp.learner.role) for t in inp.program.targets}
    built = {catalog[e.module].competency for e in inp.program.modules if e.module in catalog}
    return {c: targets.get(c, DEFAULT_TARGET_LEVEL) for c in sorted(built | set(targets))}


def verdict(inp: PlanInput, measured: Mapping[str, str]) -> Verdict | None:
    """Passed when every target is met, failed when all are measured and one is not, else None.

    `measured` holds the level names of the learner's measured competencies (an unknown name
    counts as not measured).
    """
    known = {c: level_index(level) for c, level in measured.items() if level in LEVELS}
    targets = target_levels(inp)
    if any(c not in known for c in targets):
        return None
    met = all(known[c] >= level_index(level) for c, level in targets.items())
    return "passed" if met else "failed"
