"""Putting a draft's list in a new order: one place up or down (a button), or whole (a drag).

The module list, a derived program's list, segment rules and facilitator notes all move
through these two, so a button and a drag of the same list are refused with the same words.
"""

from collections.abc import Callable, Hashable
from typing import TypeVar

from learnpath.services.catalog.authoring import Invalid

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

CHANGED = "the list has changed since it was shown: reload the page"


def shift(
    items: list[T], i: int, places: int, what: str = "module", field: str = "modules"
) -> list[T]:
    """The list with item i moved one place up (-1) or down (+1); Invalid past an end."""
    j = i + places
    if places not in (-1, 1) or not 0 <= j < len(items):
        raise Invalid.one(field, f"the {what} is already at that end of the list")
    moved = list(items)
    moved[i], moved[j] = moved[j], moved[i]
    return moved


def reordered(items: list[T], keys: list[K], key: Callable[[T], K], field: str) -> list[T]:
    """The items in the order `keys` names each of them once (a drag); Invalid otherwise."""
    by_key = {key(item): item for item in items}
    if len(keys) != len(by_key) or set(keys) != set(by_key):
        raise Invalid.one(field, CHANGED)
    return [by_key[k] for k in keys]
