"""Cross-file checks of department-only content (ownership.py): who owns it, who may use it."""

from learnpath.services.catalog import derive
from learnpath.services.catalog.parsed import At, Catalog, Known
from learnpath.services.catalog.sources import Problem
from learnpath.vocabulary import Depth


def deep_ids(catalog: Catalog, known: Known) -> set[str]:
    """Ids of the programs that may own content: deep ones, in the files or the database."""
    found = {slug for (slug, _), r in known.programs.items() if Depth(r.depth).owns_content}
    found |= {
        slug for (slug, _), at in catalog.programs.items() if at.model.depth_kind.owns_content
    }
    return found


def owners(catalog: Catalog, known: Known) -> dict[str, str]:
    """Every module's owner ('' for shared), the files' word over the database's."""
    return {**known.owners, **{m: at.model.owner or "" for m, at in catalog.modules.items()}}


def check_owners(catalog: Catalog, known: Known, problems: list[Problem]) -> None:
    """Owners name deep programs; stored programs of another line do not use an owned module."""
    deep = deep_ids(catalog, known)
    for file in catalog.item_files:
        for i, item in enumerate(file.model.items):
            _owner_is_deep(At(item, file.source, ("items", i)), item.owner, deep, problems)
    for slug, at in catalog.modules.items():
        owner = at.model.owner
        _owner_is_deep(at, owner, deep, problems)
        if not owner:
            continue
        for (program, version), resolved in sorted(known.programs.items()):
            stays = (program, version) not in catalog.programs
            if stays and slug in {m for m, _ in resolved.modules} and owner not in resolved.line:
                message = f"'{program}' version {version} uses it, and is not of the '{owner}' line"
                problems.append(at.problem(("owner",), message))


def _owner_is_deep(at: At, owner: str | None, deep: set[str], problems: list[Problem]) -> None:
    if owner and owner not in deep:
        message = f"'{owner}' is not a deep (depth {Depth.DEEP}) program: only those own content"
        problems.append(at.problem(("owner",), message))


def check_program_uses(
    at: At,
    entries: list[derive.Entry],
    line: frozenset[str],
    owned: dict[str, str],
    problems: list[Problem],
) -> None:
    """A program uses department-only modules of its own line only (list, pool and rules)."""
    program = at.model
    listed = "changes" if program.parent is not None else "modules"
    used: list[tuple[tuple[str | int, ...], str]] = [((listed,), m) for m, _ in entries]
    for k, rule in enumerate(program.rules):
        used += [(("rules", k, "modules", j), m) for j, m in enumerate(rule.modules)]
    for loc, module in used:
        owner = owned.get(module, "")
        if owner and owner not in line:
            message = f"'{module}' is department-only ({owner}): only that program line uses it"
            problems.append(at.problem(loc, message))
