"""Department-only content: modules and items that belong to one deep program line.

Decision: a module or item is owned by a deep (depth 4) program's *slug* (`owner`), not by a
department name. A department name is free text that several programs may share or spell
differently; the slug names one program line, stays the same across its versions (v2 keeps
v1's own content), and is what files already use to refer to a program. '' means shared.

A program may use content owned by its own line or by any program it derives from (its
*line*: its slug and its ancestors'), so a deep program's versions and anything derived from it
use the department's content, and no other program does. Quizzes follow the same rule: a
placement's bank is the shared active items plus those owned by the program's line; checks and
checkpoints measure a learner across programs and use the shared bank only.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from learnpath.models import (
    Competency,
    Enrollment,
    Item,
    Learner,
    Module,
    Program,
    ProgramModule,
)
from learnpath.services.catalog.authoring import Invalid
from learnpath.services.catalog.schema import DEEP_AUDIENCE
from learnpath.vocabulary import Depth

Line = frozenset[str]
"""The program slugs whose content a program may use: its own and its ancestors'."""


def line_of(session: Session, program: Program | None) -> Line:
    """The program's slug and the slugs of the versions it derives from, transitively."""
    slugs: set[str] = set()
    seen: set[int] = set()
    while program is not None and program.id not in seen:
        seen.add(program.id or 0)
        slugs.add(program.slug)
        program = session.get(Program, program.parent_id) if program.parent_id else None
    return frozenset(slugs)


def owners_for(session: Session, program: Program) -> list[str]:
    """The owners whose modules a program may use: '' (shared) and its line's."""
    return ["", *sorted(line_of(session, program))]


def usable(owner: str, line: Line) -> bool:
    """Whether content with this owner may be used by a program of this line."""
    return not owner or owner in line


def audience_lines(session: Session, learner: Learner | None, program: Program) -> Line:
    """The program lines whose department-only modules a learner may see in the catalog.

    Those of the lines the learner is enrolled in, and the program's own when the learner is in
    its department (its audience name); staff see everything and need no call.
    """
    if learner is None:
        return frozenset()
    lines: set[str] = set()
    if program.audience_kind == DEEP_AUDIENCE and learner.department == program.audience_name:
        lines |= line_of(session, program)
    for enrolled in session.exec(
        select(Program)
        .join(Enrollment, col(Enrollment.program_id) == Program.id)
        .where(Enrollment.learner_id == learner.id)
    ).all():
        lines |= line_of(session, enrolled)
    return frozenset(lines)


def refuse_foreign(
    session: Session, program: Program, module: Module, field: str = "module"
) -> None:
    """Invalid (at `field`) when the module is another deep program line's own."""
    if not usable(module.owner, line_of(session, program)):
        label = owner_label(module.owner, deep_lines(session))
        raise Invalid.one(field, f"“{module.title}” is {label}: not for this program")


def deep_lines(session: Session) -> dict[str, str]:
    """Every deep program line that may own content: slug → title of its newest version."""
    rows = session.exec(
        select(Program.slug, Program.title)
        .where(Program.depth == int(Depth.DEEP))
        .order_by(col(Program.slug), col(Program.version))
    ).all()
    return dict(rows)  # the newest version's title wins, as it comes last


def owner_label(owner: str, titles: dict[str, str]) -> str:
    """How lists and pages name owned content: 'department-only (Secure Finance Operations)'."""
    return f"department-only ({titles.get(owner, owner)})" if owner else ""


@dataclass(frozen=True)
class DepartmentContent:
    """A deep program line's own modules and items, and the competencies its version builds."""

    modules: list[Module]
    items: list[Item]
    competencies: list[Competency]
    listed: set[int]  # ids of the modules in this version's list


def department_content(session: Session, program: Program) -> DepartmentContent:
    """What the deep program's page shows of its own content, and where to add more."""
    listed = set(
        session.exec(
            select(ProgramModule.module_id).where(ProgramModule.program_id == program.id)
        ).all()
    )
    built = select(Module.competency_id).where(col(Module.id).in_(listed))
    competencies = session.exec(
        select(Competency).where(col(Competency.id).in_(built)).order_by(col(Competency.name))
    ).all()
    return DepartmentContent(
        owned_modules(session, program.slug),
        owned_items(session, program.slug),
        list(competencies),
        listed,
    )


def owned_modules(session: Session, owner: str) -> list[Module]:
    """The modules a deep program line owns, by title."""
    return list(
        session.exec(select(Module).where(Module.owner == owner).order_by(col(Module.title)))
    )


def owned_items(session: Session, owner: str) -> list[Item]:
    """The items a deep program line owns, by competency and id."""
    query = select(Item).where(Item.owner == owner)
    return list(session.exec(query.order_by(col(Item.competency_id), col(Item.slug))))


def active_counts(session: Session) -> Counter[tuple[int, str]]:
    """Active items per (competency id, owner); owner '' is the shared bank."""
    rows = session.exec(
        select(Item.competency_id, Item.owner, func.count())
        .where(col(Item.active).is_(True))
        .group_by(col(Item.competency_id), col(Item.owner))
    ).all()
    return Counter({(cid, owner): n for cid, owner, n in rows})


def available(counts: Counter[tuple[int, str]], competency_id: int, line: Iterable[str]) -> int:
    """Active items a program of this line may be given in a competency: shared plus its own."""
    return counts[(competency_id, "")] + sum(counts[(competency_id, o)] for o in set(line))
