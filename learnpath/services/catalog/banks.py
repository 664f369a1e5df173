"""Item banks from the database: the current parameters of competencies, snapshotted as plain data.

An attempt stores its BankSnapshot (JSON), so a quiz keeps the parameters it started with even
when a calibration publishes a new parameter set halfway through.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from sqlmodel import Session, col, select

from learnpath.irt import ItemBank
from learnpath.models import Competency, Item, ItemParameter, ItemParameterSet


class BankError(ValueError):
    """A competency has no usable item bank (unknown, no parameters, no active items)."""


@dataclass(frozen=True)
class BankSnapshot:
    """Item ids, competency slugs and 4PL parameters (logits) of a bank, row i = item i."""

    item_ids: list[int]
    competencies: list[str]
    a: list[float]
    b: list[float]
    c: list[float]
    d: list[float]
    parameter_sets: dict[str, dict[str, Any]]

    def bank(self) -> ItemBank:
        """The numpy bank the adaptive-testing core works on, shared by equal snapshots.

        One bank per distinct snapshot and worker, so what the engine memoizes on it (the
        exposure prices, ~0.1-0.5 s to solve) is computed once, not at every answer.
        """
        return _bank(
            tuple(self.competencies), *(tuple(v) for v in (self.a, self.b, self.c, self.d))
        )

    def index_of(self, item_id: int) -> int:
        """Row of an item in the bank."""
        return self.item_ids.index(item_id)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON for Attempt.parameters."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BankSnapshot:
        """The snapshot stored with an attempt."""
        return cls(**data)


@lru_cache(maxsize=64)
def _bank(
    labels: tuple[str, ...],
    a: tuple[float, ...],
    b: tuple[float, ...],
    c: tuple[float, ...],
    d: tuple[float, ...],
) -> ItemBank:
    """The numpy bank of one snapshot's parameters (cached: ItemBank is frozen)."""
    return ItemBank(
        a=np.array(a), b=np.array(b), c=np.array(c), d=np.array(d), competency=np.array(labels)
    )


def current_parameter_set(session: Session, competency: Competency) -> ItemParameterSet:
    """The newest active parameter set of a competency (a calibration waits for activation)."""
    found = session.exec(
        select(ItemParameterSet)
        .where(ItemParameterSet.competency_id == competency.id, col(ItemParameterSet.active))
        .order_by(col(ItemParameterSet.version).desc())
    ).first()
    if found is None:
        raise BankError(f"competency {competency.slug!r} has no item parameters")
    return found


def load_bank(
    session: Session, competencies: Sequence[Competency], line: Collection[str] = ()
) -> BankSnapshot:
    """Active items of the competencies with their current parameters, in a stable order.

    Shared items, and the department-only items of the program line `line` (ownership.py): a
    quiz outside a deep program's line never gets that program's own items.
    """
    ids, labels, params, sets = [], [], [], {}
    owners = ["", *sorted(line)]
    for competency in competencies:
        chosen = current_parameter_set(session, competency)
        rows = session.exec(
            select(Item.id, ItemParameter)
            .join(ItemParameter, col(ItemParameter.item_id) == Item.id)
            .where(ItemParameter.parameter_set_id == chosen.id, col(Item.active).is_(True))
            .where(col(Item.owner).in_(owners))
            .order_by(col(Item.id))
        ).all()
        if not rows:
            raise BankError(f"competency {competency.slug!r} has no active items")
        sets[competency.slug] = {
            "id": chosen.id,
            "version": chosen.version,
            "source": chosen.source,
        }
        for item_id, p in rows:
            ids.append(int(item_id or 0))
            labels.append(competency.slug)
            params.append((p.a, p.b, p.c, p.d))
    a, b, c, d = (list(map(float, column)) for column in zip(*params, strict=True))
    return BankSnapshot(ids, labels, a, b, c, d, sets)


def competency_by_slug(session: Session, slug: str) -> Competency:
    """A competency by its slug, or BankError naming it."""
    found = session.exec(select(Competency).where(Competency.slug == slug)).first()
    if found is None:
        raise BankError(f"unknown competency {slug!r}")
    return found
