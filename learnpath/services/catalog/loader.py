"""Reading a catalog folder into validated, cross-checked data; nothing touches the database."""

from pathlib import Path

from learnpath.services.catalog.checks import check_catalog
from learnpath.services.catalog.media import check_files
from learnpath.services.catalog.parsed import At, Catalog, Known
from learnpath.services.catalog.schema import CompetenciesFile, ItemsFile, ModuleIn, ProgramIn
from learnpath.services.catalog.sources import CatalogError, Problem, read_markdown, read_yaml


def load_folder(root: Path, known: Known | None = None) -> Catalog:
    """Read and check a catalog folder; raise CatalogError listing every problem found."""
    known = known or Known()
    problems: list[Problem] = []
    catalog = Catalog()
    _read_all(root, catalog, problems)
    check_files(root, catalog.modules.values(), problems)
    if not problems:
        check_catalog(catalog, known, problems)
    if problems:
        raise CatalogError(problems)
    return catalog


def _rel(root: Path, path: Path) -> str:
    return str(root.name / path.relative_to(root))


def _read_all(root: Path, catalog: Catalog, problems: list[Problem]) -> None:
    if not root.is_dir():
        raise CatalogError([Problem(str(root), 1, "", "not a folder")])
    tasks = (
        [(root / "competencies.yaml", _read_competencies)]
        if (root / "competencies.yaml").exists()
        else []
    )
    tasks += [(p, _read_items) for p in sorted((root / "items").glob("*.yaml"))]
    tasks += [(p, _read_module) for p in sorted((root / "modules").rglob("*.md"))]
    tasks += [(p, _read_program) for p in sorted((root / "programs").glob("*.yaml"))]
    for path, read in tasks:
        try:
            read(path, _rel(root, path), catalog, problems)
        except CatalogError as exc:
            problems.extend(exc.problems)


def _duplicate(seen: dict, key: object, at: At, what: str, problems: list[Problem]) -> bool:
    if key in seen:
        first = seen[key]
        where = f"{first.source.path}:{first.source.line(first.loc)}"
        problems.append(
            at.problem(("id",), f"duplicate {what} id '{key}' (first defined at {where})")
        )
        return True
    return False


def _read_competencies(path: Path, name: str, catalog: Catalog, problems: list[Problem]) -> None:
    source = read_yaml(path, name)
    parsed = source.validate(CompetenciesFile, problems)
    for i, comp in enumerate(parsed.competencies if parsed else []):
        at = At(comp, source, ("competencies", i))
        if not _duplicate(catalog.competencies, comp.id, at, "competency", problems):
            catalog.competencies[comp.id] = at


def _read_items(path: Path, name: str, catalog: Catalog, problems: list[Problem]) -> None:
    source = read_yaml(path, name)
    parsed = source.validate(ItemsFile, problems)
    if parsed is None:
        return
    catalog.item_files.append(At(parsed, source))
    for i, item in enumerate(parsed.items):
        at = At(item, source, ("items", i))
        if not _duplicate(catalog.items, item.id, at, "item", problems):
            catalog.items[item.id] = at


def _read_module(path: Path, name: str, catalog: Catalog, problems: list[Problem]) -> None:
    source, body = read_markdown(path, name)
    parsed = source.validate(ModuleIn, problems)
    if parsed is None:
        return
    at = At(parsed, source)
    if parsed.id != path.stem:
        problems.append(
            at.problem(("id",), f"id '{parsed.id}' must match the file name '{path.stem}'")
        )
    if not body.strip():
        problems.append(Problem(name, source.line(()), "body", "the lesson body is empty"))
    if not _duplicate(catalog.modules, parsed.id, at, "module", problems):
        catalog.modules[parsed.id] = at
        catalog.bodies[parsed.id] = body


def _read_program(path: Path, name: str, catalog: Catalog, problems: list[Problem]) -> None:
    source = read_yaml(path, name)
    parsed = source.validate(ProgramIn, problems)
    if parsed is None:
        return
    at = At(parsed, source)
    key = (parsed.id, parsed.version)
    if key in catalog.programs:
        first = catalog.programs[key].source.path
        problems.append(
            at.problem(
                ("version",),
                f"program '{parsed.id}' version {parsed.version} is also defined in {first}",
            )
        )
        return
    catalog.programs[key] = at
