"""Parameter-set versions for calibration: responses in, calibrated sets out, activation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, col, func, select

from learnpath.models import Attempt, Competency, Item, ItemParameter, ItemParameterSet, Response
from learnpath.services.catalog.banks import BankError, current_parameter_set


def current_parameters(
    session: Session, competency: Competency
) -> tuple[ItemParameterSet, dict[str, tuple[float, float]]]:
    """The active set and its (a, b) by item slug."""
    chosen = current_parameter_set(session, competency)
    rows = session.exec(
        select(Item.slug, ItemParameter.a, ItemParameter.b)
        .join(ItemParameter, col(ItemParameter.item_id) == Item.id)
        .where(ItemParameter.parameter_set_id == chosen.id)
    ).all()
    return chosen, {slug: (a, b) for slug, a, b in rows}


def pretest_slugs(session: Session, competency: Competency) -> set[str]:
    """Slugs of the competency's pretest items (calibrate(pretest=...) places them on the scale)."""
    return set(
        session.exec(
            select(Item.slug).where(Item.competency_id == competency.id, Item.status == "pretest")
        ).all()
    )


def response_rows(
    session: Session, competency: Competency
) -> tuple[list[str], list[list[float | None]]]:
    """Person × item matrix of a competency's scored responses (a learner's latest answer)."""
    rows = session.exec(
        select(Attempt.learner_id, Item.slug, Response.correct)
        .join(Attempt, col(Attempt.id) == Response.attempt_id)
        .join(Item, col(Item.id) == Response.item_id)
        .where(Response.competency_id == competency.id)
        .order_by(col(Response.id))
    ).all()
    items = sorted({slug for _, slug, _ in rows})
    column = {slug: k for k, slug in enumerate(items)}
    people: dict[int, list[float | None]] = {}
    for learner, slug, correct in rows:
        people.setdefault(learner, [None] * len(items))[column[slug]] = float(correct)
    return items, list(people.values())


def save_calibrated(
    session: Session,
    competency: Competency,
    based_on: ItemParameterSet,
    parameters: Mapping[str, tuple[float, float]],
    report: dict[str, Any],
) -> ItemParameterSet:
    """A new inactive version: calibrated (a, b) where given, the base set's elsewhere."""
    version = session.exec(
        select(func.max(ItemParameterSet.version)).where(
            ItemParameterSet.competency_id == competency.id
        )
    ).one()
    created = ItemParameterSet(
        competency_id=competency.id or 0,
        version=(version or 0) + 1,
        source="calibrated",
        active=False,
        linked_to_id=based_on.id,
        report=report,
        note=f"calibrated from version {based_on.version}",
    )
    session.add(created)
    session.flush()
    slugs = dict(session.exec(select(Item.id, Item.slug)).all())
    for old in session.exec(
        select(ItemParameter).where(ItemParameter.parameter_set_id == based_on.id)
    ).all():
        a, b = parameters.get(slugs[old.item_id], (old.a, old.b))
        session.add(
            ItemParameter(
                parameter_set_id=created.id or 0, item_id=old.item_id, a=a, b=b, c=old.c, d=old.d
            )
        )
    session.flush()
    return created


def activate(session: Session, competency: Competency, version: int) -> ItemParameterSet:
    """Make one version the active set (activation or rollback); the others go inactive."""
    sets = session.exec(
        select(ItemParameterSet).where(ItemParameterSet.competency_id == competency.id)
    ).all()
    chosen = [s for s in sets if s.version == version]
    if not chosen:
        raise BankError(f"competency {competency.slug!r} has no parameter set version {version}")
    for each in sets:
        each.active = each.version == version
        session.add(each)
    session.flush()
    return chosen[0]


def list_sets(session: Session, competency: Competency) -> list[ItemParameterSet]:
    """A competency's parameter sets, oldest version first."""
    return list(
        session.exec(
            select(ItemParameterSet)
            .where(ItemParameterSet.competency_id == competency.id)
            .order_by(col(ItemParameterSet.version))
        ).all()
    )
