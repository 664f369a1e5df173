"""What a catalog folder reads into: models with where they were written, and what is known."""

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel

from learnpath.services.catalog import derive
from learnpath.services.catalog.schema import CompetencyIn, ItemIn, ItemsFile, ModuleIn, ProgramIn
from learnpath.services.catalog.sources import Loc, Problem, Source

M = TypeVar("M", bound=BaseModel)


@dataclass
class At(Generic[M]):
    """A validated model and where it was written (file and field path)."""

    model: M
    source: Source
    loc: Loc = ()

    def problem(self, sub: Loc, message: str) -> Problem:
        """A Problem at a field of this model."""
        return self.source.problem((*self.loc, *sub), message)


@dataclass
class Known:
    """What the database already holds, for references a folder does not define itself."""

    competencies: set[str] = field(default_factory=set)
    modules: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    programs: dict[tuple[str, int], derive.Resolved] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # module id → owning program ('' shared)


@dataclass
class Catalog:
    """Everything a folder defines, validated and resolved."""

    competencies: dict[str, At[CompetencyIn]] = field(default_factory=dict)
    item_files: list[At[ItemsFile]] = field(default_factory=list)
    items: dict[str, At[ItemIn]] = field(default_factory=dict)
    modules: dict[str, At[ModuleIn]] = field(default_factory=dict)
    bodies: dict[str, str] = field(default_factory=dict)
    programs: dict[tuple[str, int], At[ProgramIn]] = field(default_factory=dict)
    resolved: dict[tuple[str, int], derive.Resolved] = field(default_factory=dict)
