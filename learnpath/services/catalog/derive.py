"""Applying a derived program's recorded changes to its parent's module list."""

from dataclasses import dataclass, field

from learnpath.services.catalog.schema import ChangeIn

Entry = tuple[str, bool]
"""A module of a program: (module id, mandatory)."""


@dataclass(frozen=True)
class Resolved:
    """A program version's depth, effective module list and line (its and its ancestors' ids)."""

    depth: int
    modules: list[Entry] = field(default_factory=list)
    line: frozenset[str] = frozenset()


class ChangeError(ValueError):
    """A change that does not fit the list it is applied to; `field` names the culprit."""

    def __init__(self, index: int, field_name: str, message: str) -> None:
        super().__init__(message)
        self.index, self.field = index, field_name


def apply_changes(parent: list[Entry], changes: list[ChangeIn]) -> list[Entry]:
    """The parent's list after each change in order; added modules are mandatory."""
    modules = list(parent)
    for i, change in enumerate(changes):
        modules = _apply(modules, change, i)
    return modules


def _apply(modules: list[Entry], change: ChangeIn, i: int) -> list[Entry]:
    ids = [m for m, _ in modules]

    def need(slug: str | None, name: str) -> int:
        if slug not in ids:
            raise ChangeError(i, name, f"'{slug}' is not in the program at this point")
        return ids.index(slug)

    def absent(slug: str | None, name: str) -> str:
        if slug in ids:
            raise ChangeError(i, name, f"'{slug}' is already in the program")
        assert slug is not None
        return slug

    if change.op == "select":
        for k, slug in enumerate(change.modules):
            if slug not in ids:
                raise ChangeError(
                    i, f"modules[{k}]", f"'{slug}' is not in the program at this point"
                )
        return [m for m in modules if m[0] in change.modules]
    if change.op == "swap":
        at = need(change.module, "module")
        return [*modules[:at], (absent(change.with_, "with"), modules[at][1]), *modules[at + 1 :]]
    if change.op == "remove":
        at = need(change.module, "module")
        return modules[:at] + modules[at + 1 :]
    if change.op == "add":
        return _insert(modules, (absent(change.module, "module"), True), change, i)
    moved = modules[need(change.module, "module")]
    return _insert([m for m in modules if m[0] != moved[0]], moved, change, i)


def _insert(modules: list[Entry], entry: Entry, change: ChangeIn, i: int) -> list[Entry]:
    """Insert after `change.after`: at the end when absent, first when null."""
    if "after" not in change.model_fields_set:
        return [*modules, entry]
    if change.after is None:
        return [entry, *modules]
    ids = [m for m, _ in modules]
    if change.after not in ids:
        raise ChangeError(i, "after", f"'{change.after}' is not in the program at this point")
    at = ids.index(change.after) + 1
    return [*modules[:at], entry, *modules[at:]]
