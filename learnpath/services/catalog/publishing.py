"""Publishing a program draft: every reason it cannot be published yet, then the freeze.

The draft is checked as an import of its files would be (schema.py, checks.py: references,
prerequisite cycles, order, derivation), plus what only publishing requires: enough active items
for the placement, reachable role targets, a published parent.
"""

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from learnpath.models import Competency, Module, ModulePrerequisite, Program, ProgramModule
from learnpath.models.base import pk
from learnpath.services.catalog import composition, ownership, personal
from learnpath.services.catalog.authoring import STUDIO, import_problems, source
from learnpath.services.catalog.drafts import editable
from learnpath.services.catalog.exporter import draft_data
from learnpath.services.catalog.parsed import At, Catalog
from learnpath.services.catalog.schema import ModuleIn, ProgramIn
from learnpath.services.catalog.sources import Problem
from learnpath.services.catalog.writer import known_from_db
from learnpath.vocabulary import LEVELS, utcnow

MIN_PLACEMENT_ITEMS = 10
"""A placement needs at least this many active items in each competency it measures."""


class Unpublishable(ValueError):
    """The draft cannot be published: `reasons` lists every one."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons))


def _say(problem: Problem) -> str:
    return f"{problem.field}: {problem.message}" if problem.field else problem.message


def _checked(session: Session, program: Program) -> list[str]:
    """Problems an import would find in the draft and in the modules it reaches.

    Modules and program are checked apart: checks.py stops before the programs when modules
    have problems, and an author wants every reason at once. A fixed number of queries whatever
    the number of modules: what the database knows is read once for both checks.
    """
    problems: list[Problem] = []
    modules, programs = Catalog(), Catalog()
    reached = reached_modules(session, program)
    data, metas = draft_data(session, program, reached)
    parsed = source({**data, "status": "published"}).validate(ProgramIn, problems)
    if parsed is not None:
        programs.programs[(program.slug, program.version)] = At(parsed, source({}))
    for module, data in zip(reached, metas, strict=True):
        model = source(data).validate(ModuleIn, problems)
        if model is not None:
            modules.modules[module.slug] = At(model, source({}))
    known = known_from_db(session)
    for catalog in (modules, programs):
        problems += [p for p in import_problems(session, catalog, known) if p.file == STUDIO]
    return [_say(p) for p in problems]


def reached_modules(session: Session, program: Program) -> list[Module]:
    """The program's modules in order, then the modules they require, transitively (one query)."""
    listed = select(ProgramModule.module_id).where(ProgramModule.program_id == program.id)
    reached = listed.cte("reached", recursive=True)
    reached = reached.union(
        select(ModulePrerequisite.requires_id).join(
            reached, col(ModulePrerequisite.module_id) == reached.c.module_id
        )
    )
    place = (
        select(ProgramModule.position)
        .where(ProgramModule.program_id == program.id, ProgramModule.module_id == Module.id)
        .scalar_subquery()
    )
    return list(
        session.exec(
            select(Module)
            .options(defer(Module.body))  # type: ignore[arg-type]  # the checks never read it
            .where(col(Module.id).in_(select(reached.c.module_id)))
            .order_by(place.is_(None), place, col(Module.id))
        ).all()
    )


def publish_problems(
    session: Session, program: Program, entries: list[composition.Entry] | None = None
) -> list[str]:
    """Every reason the version cannot be published; [] when it can.

    `entries` are the program's modules (composition.entries) if the caller has read them.
    """
    reasons: list[str] = []
    if program.status != "draft":
        return [f"version {program.version} is already {program.status}"]
    listed = composition.entries(session, program) if entries is None else entries
    reasons += _checked(session, program)
    reasons += _placement_problems(session, program, listed)
    reasons += _target_problems(session, program, listed)
    reasons += personal.blocked_targets(session, program, listed)
    parent = session.get(Program, program.parent_id) if program.parent_id else None
    if parent is not None and parent.status != "published":
        reasons.append(
            f"parent: “{parent.title}” version {parent.version} is {parent.status}, not published"
        )
    return list(dict.fromkeys(reasons))


def _placement_problems(
    session: Session, program: Program, entries: list[composition.Entry]
) -> list[str]:
    if not program.placement:
        return []
    built = {e.module.competency_id for e in entries}
    chosen = set(program.placement.get("competencies") or [])
    counts, line = ownership.active_counts(session), ownership.line_of(session, program)
    out = []
    for comp in session.exec(select(Competency).order_by(Competency.name)).all():
        measured = pk(comp) in built and (not chosen or comp.slug in chosen)
        # The bank this program's placement is given: shared items plus its line's own.
        active = ownership.available(counts, pk(comp), line)
        if measured and active < MIN_PLACEMENT_ITEMS:
            out.append(
                f"placement: “{comp.name}” has {active} active items; "
                f"a placement needs at least {MIN_PLACEMENT_ITEMS}"
            )
    return out


def _target_problems(
    session: Session, program: Program, entries: list[composition.Entry]
) -> list[str]:
    """A personal program's target must be reachable: a pool module builds it that high."""
    if not program.is_personal:
        return []
    best: dict[int, int] = {}
    for e in entries:
        level = LEVELS.index(e.module.level) if e.module.level in LEVELS else 0
        best[e.module.competency_id] = max(best.get(e.module.competency_id, -1), level)
    out = []
    for target, comp in composition.targets(session, program):
        highest = best.get(pk(comp), -1)
        if highest < LEVELS.index(target.level):
            who = f"role '{target.role}'" if target.role else "the default"
            built = f"the highest is {LEVELS[highest]}" if highest >= 0 else "it has none"
            out.append(
                f"targets: {who} aims at {target.level} in “{comp.name}”, which is unreachable: "
                f"no module of the pool builds it that far ({built})"
            )
    return out


def publish(session: Session, program: Program, user: str, revision: int | None) -> None:
    """Publish the draft and freeze it, or raise Unpublishable with every reason."""
    reasons = publish_problems(session, program)
    if reasons:
        raise Unpublishable(reasons)
    editable(program, revision, user)
    program.status, program.frozen_at = "published", utcnow()
    session.add(program)
    session.flush()


def retire(session: Session, program: Program, user: str) -> None:
    """Take a published version out of the catalog; enrolled learners keep it."""
    if program.status != "published":
        raise Unpublishable([f"version {program.version} is {program.status}, not published"])
    program.status = "retired"
    program.updated_by, program.updated_at = user, utcnow()
    session.add(program)
    session.flush()
