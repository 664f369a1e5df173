"""Competencies in the studio: list, create and edit (checked as a file would be), bank health."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from learnpath.models import (
    Competency,
    CompetencyPrerequisite,
    Item,
    ItemParameter,
    Module,
    Program,
    ProgramModule,
)
from learnpath.models.base import pk
from learnpath.services.catalog import ownership
from learnpath.services.catalog.authoring import (
    Invalid,
    identify,
    import_problems,
    signed,
    source,
    validate,
)
from learnpath.services.catalog.banks import BankError, current_parameter_set
from learnpath.services.catalog.listing import THIN_BANK
from learnpath.services.catalog.parsed import At, Catalog
from learnpath.services.catalog.schema import CompetencyIn
from learnpath.services.catalog.upsert import Writer
from learnpath.services.catalog.writer import _write_competencies
from learnpath.vocabulary import DEFAULT_LEVEL_BANDS, LEVELS


@dataclass
class Bank:
    """Active items of one bank of a competency: shared (owner '') or a deep program line's own."""

    owner: str
    active: int
    bands: list[tuple[str, int]]


@dataclass
class BankHealth:
    """A competency's item bank at a glance, the shared bank apart from department-only ones."""

    active: int
    by_status: Counter[str]
    bands: list[tuple[str, int]]
    placements: list[Program] = field(default_factory=list)
    owned: list[Bank] = field(default_factory=list)
    thin_placements: list[tuple[Program, int]] = field(default_factory=list)

    @property
    def thin(self) -> bool:
        """Whether a placement uses this bank with fewer active items than it should."""
        return bool(self.thin_placements)


def find(session: Session, slug: str) -> Competency | None:
    """A competency by its id."""
    return session.exec(select(Competency).where(Competency.slug == slug)).first()


def list_competencies(session: Session) -> list[tuple[Competency, int, int]]:
    """Every competency with its active items and modules."""
    items = Counter(
        cid for cid in session.exec(select(Item.competency_id).where(col(Item.active).is_(True)))
    )
    modules = Counter(session.exec(select(Module.competency_id)).all())
    comps = session.exec(select(Competency).order_by(col(Competency.name))).all()
    return [(c, items[pk(c)], modules[pk(c)]) for c in comps]


def requires_of(session: Session, competency: Competency) -> list[str]:
    """Ids of the competencies this one requires."""
    return list(
        session.exec(
            select(Competency.slug)
            .join(CompetencyPrerequisite, col(CompetencyPrerequisite.requires_id) == Competency.id)
            .where(CompetencyPrerequisite.competency_id == competency.id)
            .order_by(col(Competency.slug))
        ).all()
    )


def bank_health(session: Session, competency: Competency) -> BankHealth:
    """Active items (shared, and each department's own) per level band of b, placements using it.

    A placement is thin when the items it is given, shared plus its program line's own
    (ownership.py), are fewer than THIN_BANK.
    """
    items = session.exec(select(Item).where(Item.competency_id == competency.id)).all()
    b = _difficulties(session, competency)
    bounds = [DEFAULT_LEVEL_BANDS[level] for level in LEVELS[1:]]
    active = Counter(i.owner for i in items if i.active)
    banks: dict[str, Counter[int]] = {owner: Counter() for owner in ["", *sorted(active)]}
    for i in items:
        if i.active and i.id in b:
            banks[i.owner][sum(b[i.id] >= x for x in bounds)] += 1
    rows = [
        Bank(o, active[o], [(lv, n[k]) for k, lv in enumerate(LEVELS)]) for o, n in banks.items()
    ]
    placements = _placements(session, competency)
    given = [(p, sum(active[o] for o in {"", *ownership.line_of(session, p)})) for p in placements]
    return BankHealth(
        active[""],
        Counter(i.status for i in items),
        rows[0].bands,
        placements,
        [bank for bank in rows[1:] if bank.owner],
        [(p, n) for p, n in given if n < THIN_BANK],
    )


def _difficulties(session: Session, competency: Competency) -> dict[int, float]:
    """b of each item in the competency's current parameter set ({} without one)."""
    try:
        pset = current_parameter_set(session, competency)
    except BankError:
        return {}
    rows = session.exec(
        select(ItemParameter.item_id, ItemParameter.b).where(
            ItemParameter.parameter_set_id == pset.id
        )
    )
    return dict(rows.all())


def _placements(session: Session, competency: Competency) -> list[Program]:
    """Live program versions whose placement measures the competency."""
    using = (
        select(ProgramModule.program_id)
        .join(Module, col(Module.id) == ProgramModule.module_id)
        .where(Module.competency_id == competency.id)
    )
    programs = session.exec(
        select(Program)
        .where(col(Program.id).in_(using), Program.status != "retired")
        .order_by(col(Program.title), col(Program.version))
    ).all()
    return [
        p
        for p in programs
        if p.placement
        and (competency.slug in (p.placement.get("competencies") or [competency.slug]))
    ]


def save_competency(
    session: Session,
    user: str,
    data: dict[str, Any],
    competency: Competency | None = None,
    revision: int | None = None,
) -> Competency:
    """Create (None) or update a competency: name, description, prerequisites (no cycles)."""
    data = identify(session, Competency, competency, data, revision)
    parsed = validate(CompetencyIn, data)
    catalog = Catalog()
    # The whole graph, so a cycle through stored prerequisites is found (as in a full file).
    for slug, requires in _graph(session).items():
        model = CompetencyIn(id=slug, name=slug, requires=requires)
        catalog.competencies[slug] = At(model, source({}))
    catalog.competencies[parsed.id] = At(parsed, source(data))
    problems = import_problems(session, catalog)
    if problems:
        raise Invalid.of(problems)
    _write_competencies(Writer(session), _only(catalog, parsed.id))
    return signed(session, Competency, parsed.id, user)


def _graph(session: Session) -> dict[str, list[str]]:
    """Every competency's prerequisites, by id."""
    slugs = dict(session.exec(select(Competency.id, Competency.slug)).all())
    graph: dict[str, list[str]] = {slug: [] for slug in slugs.values()}
    for cid, rid in session.exec(
        select(CompetencyPrerequisite.competency_id, CompetencyPrerequisite.requires_id)
    ).all():
        graph[slugs[cid]].append(slugs[rid])
    return graph


def _only(catalog: Catalog, slug: str) -> Catalog:
    """The catalog reduced to one competency (the one to write)."""
    one = Catalog()
    one.competencies[slug] = catalog.competencies[slug]
    return one


def all_competencies(session: Session) -> list[Competency]:
    """Every competency, by name."""
    return list(session.exec(select(Competency).order_by(col(Competency.name))).all())


def items_of(session: Session, competency: Competency) -> list[Item]:
    """A competency's items, by id."""
    return list(
        session.exec(
            select(Item).where(Item.competency_id == competency.id).order_by(col(Item.slug))
        ).all()
    )
