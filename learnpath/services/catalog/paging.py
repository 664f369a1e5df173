"""Long studio lists read a page at a time on the server: sorted, filtered, counted in SQL."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import ceil
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlmodel import Session, col, or_

T = TypeVar("T")
PAGE_SIZE = 50
"""Rows on a page of a studio list."""


@dataclass(frozen=True)
class Order:
    """How a list is sorted: a key among those it offers, ascending or not."""

    key: str
    descending: bool = False


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its rows, its number (from 1), and how many rows the list has."""

    rows: list[T]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one, empty or not)."""
        return max(1, ceil(self.total / self.size))

    @property
    def first(self) -> int:
        """The position in the list of the page's first row (from 1; 0 when empty)."""
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        """The position in the list of the page's last row."""
        return (self.number - 1) * self.size + len(self.rows)


def ordered(
    query: Any, order: Order, keys: Mapping[str, Sequence[Any]], default: str, tiebreak: Any
) -> tuple[Any, Order]:
    """The query sorted by `order` (an unknown key sorts by `default`), then by `tiebreak`."""
    if order.key not in keys:
        order = Order(default, order.descending)
    columns = [c.desc() if order.descending else c.asc() for c in keys[order.key]]
    return query.order_by(*columns, tiebreak), order


def page_of(session: Session, query: Any, number: int, size: int = PAGE_SIZE) -> Page[Any]:
    """Rows `number` of the sorted query, and the count; a number past the end gives the last."""
    counted = select(func.count()).select_from(query.order_by(None).subquery())
    total = int(session.execute(counted).scalar_one())
    number = min(max(1, number), max(1, ceil(total / size)))
    rows = session.execute(query.offset((number - 1) * size).limit(size)).all()
    return Page(list(rows), number, size, total)


def slice_page(rows: Sequence[T], number: int, size: int = PAGE_SIZE) -> Page[T]:
    """A page of a list already read (a program's own modules: read whole for its totals)."""
    number = min(max(1, number), max(1, ceil(len(rows) / size)))
    return Page(list(rows[(number - 1) * size : number * size]), number, size, len(rows))


def having_words(query: Any, text: str | None, *columns: Any) -> Any:
    """The query keeping rows where one of `columns` holds `text` (any case; none: all rows)."""
    if not text or not text.strip():
        return query
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"  # the text's own % and _ taken literally
    return query.where(or_(*(col(c).ilike(pattern, escape="\\") for c in columns)))
