"""Cross-file checks of a catalog: references, duplicates, cycles and derivations."""

from collections.abc import Iterable, Mapping
from typing import Any

from learnpath.services.catalog import derive, owner_checks
from learnpath.services.catalog.parsed import At, Catalog, Known
from learnpath.services.catalog.sources import Problem

Report = list[Problem]


def check_catalog(catalog: Catalog, known: Known, problems: Report) -> None:
    """Append a Problem for every reference, cycle or derivation error in the catalog."""
    competencies = set(catalog.competencies) | known.competencies
    _check_competencies(catalog, competencies, problems)
    _check_items(catalog, competencies, problems)
    modules = {m: (at.model.competency, at.model.requires) for m, at in catalog.modules.items()}
    modules = {**known.modules, **modules}
    _check_modules(catalog, competencies, modules, problems)
    owner_checks.check_owners(catalog, known, problems)
    if not problems:
        _resolve_programs(catalog, known, competencies, modules, problems)


def _ref(at: At, loc: tuple, value: str, pool: Iterable[str], what: str, problems: Report) -> None:
    if value not in pool:
        problems.append(at.problem(loc, f"unknown {what} '{value}'"))


def _check_competencies(catalog: Catalog, pool: set[str], problems: Report) -> None:
    graph: dict[str, list[str]] = {}
    for slug, at in catalog.competencies.items():
        requires = at.model.requires
        for k, req in enumerate(requires):
            _ref(at, ("requires", k), req, pool, "competency", problems)
        graph[slug] = requires
    _report_cycle(graph, catalog.competencies, "competency", problems)


def _check_items(catalog: Catalog, pool: set[str], problems: Report) -> None:
    seen: dict[str, At] = {}
    for at in catalog.item_files:
        slug = at.model.competency
        _ref(at, ("competency",), slug, pool, "competency", problems)
        if slug in seen:
            problems.append(
                at.problem(
                    ("competency",),
                    f"competency '{slug}' already has an item file: {seen[slug].source.path}",
                )
            )
        seen[slug] = at


def _check_modules(catalog: Catalog, competencies: set[str], pool: dict, problems: Report) -> None:
    for at in catalog.modules.values():
        module = at.model
        _ref(at, ("competency",), module.competency, competencies, "competency", problems)
        for k, req in enumerate(module.requires):
            _ref(at, ("requires", k), req, pool, "module", problems)
        if module.alternative_of is not None:
            _check_alternative(catalog, at, pool, problems)
    if catalog.modules:  # a cycle is reported at a module of these files: none, nothing to say
        graph = {m: reqs for m, (_, reqs) in pool.items()}
        _report_cycle(graph, catalog.modules, "module", problems)


def _check_alternative(catalog: Catalog, at: At, pool: dict, problems: Report) -> None:
    target = at.model.alternative_of
    if target not in pool:
        problems.append(at.problem(("alternative_of",), f"unknown module '{target}'"))
    elif target == at.model.id:
        problems.append(at.problem(("alternative_of",), "a module cannot be its own alternative"))
    elif pool[target][0] != at.model.competency:
        problems.append(at.problem(("alternative_of",), f"'{target}' builds another competency"))
    elif target in catalog.modules and catalog.modules[target].model.alternative_of:
        problems.append(
            at.problem(
                ("alternative_of",), f"'{target}' is itself an alternative; point to its original"
            )
        )


def _report_cycle(
    graph: dict[str, list[str]], defined: Mapping[str, At[Any]], what: str, problems: Report
) -> None:
    """Report one prerequisite cycle, at the first of its nodes defined in these files."""
    plural = what.removesuffix("y") + "ies" if what.endswith("y") else what + "s"
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            node = next((n for n in cycle if n in defined), None)
            if node is not None:
                at = defined[node]
                k = graph[node].index(cycle[cycle.index(node) + 1])
                problems.append(
                    at.problem(
                        ("requires", k), f"prerequisite cycle among {plural}: {' -> '.join(cycle)}"
                    )
                )
            return


def _resolve_programs(
    catalog: Catalog, known: Known, competencies: set[str], modules: dict, problems: Report
) -> None:
    owned = owner_checks.owners(catalog, known)
    for key in sorted(catalog.programs, key=lambda k: catalog.programs[k].model.depth):
        at = catalog.programs[key]
        program = at.model
        before = len(problems)
        entries = _entries(catalog, known, at, modules, problems)
        if len(problems) > before or entries is None:
            continue
        _check_order(at, entries, modules, problems)
        _check_program_refs(at, entries, competencies, modules, problems)
        line = _line(catalog, known, program)
        owner_checks.check_program_uses(at, entries, line, owned, problems)
        catalog.resolved[key] = derive.Resolved(program.depth, entries, line)


def _line(catalog: Catalog, known: Known, program: Any) -> frozenset[str]:
    """The program's id and its ancestors' (its parent is resolved before it)."""
    if program.parent is None:
        return frozenset({program.id})
    key = (program.parent.id, program.parent.version)
    parent = catalog.resolved.get(key) or known.programs.get(key)
    return frozenset({program.id}) | (parent.line if parent else frozenset())


def _entries(
    catalog: Catalog, known: Known, at: At, modules: dict, problems: Report
) -> list[derive.Entry] | None:
    program = at.model
    if program.parent is None:
        default = not program.depth_kind.is_personal
        refs = program.module_refs()
        for k, ref in enumerate(refs):
            _ref(at, ("modules", k), ref.module, modules, "module", problems)
        if len({r.module for r in refs}) != len(refs):
            problems.append(at.problem(("modules",), "a module is listed twice"))
        return [(r.module, default if r.mandatory is None else r.mandatory) for r in refs]
    key = (program.parent.id, program.parent.version)
    parent = catalog.resolved.get(key) or known.programs.get(key)
    if parent is None and key in catalog.programs:
        return None  # the parent has problems of its own, reported there
    if parent is None:
        problems.append(
            at.problem(("parent",), f"parent program '{key[0]}' version {key[1]} is missing")
        )
        return None
    if parent.depth >= program.depth:
        problems.append(
            at.problem(
                ("parent",),
                f"a depth-{program.depth} program cannot derive from a depth-{parent.depth} one",
            )
        )
        return None
    for k, change in enumerate(program.changes):
        for name in ("module", "with_", "after"):
            value = getattr(change, name)
            if value is not None:
                _ref(at, ("changes", k, name.rstrip("_")), value, modules, "module", problems)
    try:
        return derive.apply_changes(parent.modules, program.changes)
    except derive.ChangeError as exc:
        problems.append(at.problem(("changes", exc.index, exc.field), str(exc)))
        return None


def _check_order(at: At, entries: list[derive.Entry], modules: dict, problems: Report) -> None:
    if at.model.depth_kind.is_personal:
        return  # a pool: the planner orders it
    requires = {m: reqs for m, (_, reqs) in modules.items()}
    for module, req in order_violations([m for m, _ in entries], requires):
        problems.append(
            at.problem(("modules",), f"'{module}' comes before its prerequisite '{req}'")
        )


def order_violations(order: list[str], requires: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    """(module, prerequisite) pairs where a listed prerequisite comes after its module."""
    position = {m: i for i, m in enumerate(order)}
    return [
        (module, req)
        for i, module in enumerate(order)
        for req in requires.get(module, [])
        if position.get(req, -1) > i
    ]


def _check_program_refs(
    at: At, entries: list[derive.Entry], competencies: set[str], modules: dict, problems: Report
) -> None:
    program = at.model
    ids = {m for m, _ in entries}
    built = {modules[m][0] for m in ids}
    for k, comp in enumerate(program.placement.competencies if program.placement else []):
        if comp not in built:
            message = f"no module of this program builds '{comp}'"
            problems.append(at.problem(("placement", "competencies", k), message))
    for name, notes in (("overlays", program.overlays), ("sessions", program.sessions)):
        for k, note in enumerate(notes):
            if note.module is not None and note.module not in ids:
                message = f"'{note.module}' is not in this program"
                problems.append(at.problem((name, k, "module"), message))
    for k, target in enumerate(program.targets):
        _ref(
            at,
            ("targets", k, "competency"),
            target.competency,
            competencies,
            "competency",
            problems,
        )
    for k, rule in enumerate(program.rules):
        for j, module in enumerate(rule.modules):
            _ref(at, ("rules", k, "modules", j), module, modules, "module", problems)
        for key, levels in (("below", rule.when.below), ("at_least", rule.when.at_least)):
            for comp in levels:
                loc = ("rules", k, "when", key, comp)
                _ref(at, loc, comp, competencies, "competency", problems)
