"""Item bank of the 1PL-4PL logistic model: validated read-only arrays a, b, c, d (b in logits)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .errors import IRTError
from .models import FloatArray, information, information_2pl, probability

IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


def _as_parameter(name: str, values: npt.ArrayLike, n_items: int) -> FloatArray:
    """One item parameter as a read-only float array of length n_items (a scalar is broadcast)."""
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise IRTError(f"{name} must be numeric: {exc}") from exc
    if array.ndim == 0:
        array = np.full(n_items, float(array))
    if array.ndim != 1 or array.shape[0] != n_items:
        raise IRTError(
            f"{name} must have {n_items} items (the length of b), got shape {array.shape}"
        )
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise IRTError(f"{name}[{bad[0]}] must be a finite number, got {array[bad[0]]}")
    array = array.copy()
    array.flags.writeable = False
    return array


def _check(name: str, failed: BoolArray, values: FloatArray, rule: str) -> None:
    """Raise IRTError naming the parameter and the first index that breaks the rule."""
    bad = np.flatnonzero(failed)
    if bad.size:
        raise IRTError(f"{name}[{bad[0]}] must be {rule}, got {values[bad[0]]}")


def _labels(competency: npt.ArrayLike | None, n_items: int) -> tuple[tuple[str, ...], IntArray]:
    """Sorted distinct competency labels and each item's code into them (one label if None)."""
    if competency is None:
        return ("",), np.zeros(n_items, dtype=np.intp)
    raw = np.asarray(competency)
    if raw.shape != (n_items,):
        raise IRTError(f"competency must have {n_items} items, got shape {raw.shape}")
    labels, codes = np.unique(raw.astype(str), return_inverse=True)
    codes = codes.astype(np.intp)
    codes.flags.writeable = False
    return tuple(str(label) for label in labels), codes


@dataclass(frozen=True, eq=False, init=False)
class ItemBank:
    """Item parameters of the 4PL model P(θ) = c + (d − c)σ(a(θ − b)); θ, b in logits, a > 0.

    `c` defaults to 0 and `d` to 1 (2PL); a scalar `a` gives a 1PL bank. `competency` optionally
    labels each item with the competency it measures (content balancing, placement).
    """

    a: FloatArray
    b: FloatArray
    c: FloatArray
    d: FloatArray
    labels: tuple[str, ...]
    codes: IntArray = field(repr=False)
    is_2pl: bool = field(repr=False)
    # Memo of derived tables (e.g. log P on a quadrature grid); the parameters never change.
    cache: dict[tuple[float, float, int], FloatArray] = field(repr=False)
    # Memo of selection plans per config (e.g. exposure prices, see pricing.py).
    plans: dict[tuple[float, float, float, int, float], FloatArray] = field(repr=False)

    def __init__(
        self,
        a: npt.ArrayLike,
        b: npt.ArrayLike,
        c: npt.ArrayLike | None = None,
        d: npt.ArrayLike | None = None,
        competency: npt.ArrayLike | None = None,
    ) -> None:
        """Validate and freeze the parameters; raises IRTError naming parameter and index."""
        n_items = int(np.size(b))
        if n_items == 0 or np.ndim(b) != 1:
            raise IRTError(f"b must be a non-empty 1-D array, got shape {np.shape(b)}")
        b_arr = _as_parameter("b", b, n_items)
        a_arr = _as_parameter("a", a, n_items)
        c_arr = _as_parameter("c", 0.0 if c is None else c, n_items)
        d_arr = _as_parameter("d", 1.0 if d is None else d, n_items)
        _check("a", a_arr <= 0, a_arr, "> 0")
        _check("c", c_arr < 0, c_arr, ">= 0")
        _check("d", d_arr > 1, d_arr, "<= 1")
        _check("c", c_arr >= d_arr, c_arr, "< d")
        labels, codes = _labels(competency, n_items)
        for name, value in (("a", a_arr), ("b", b_arr), ("c", c_arr), ("d", d_arr)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "codes", codes)
        object.__setattr__(self, "is_2pl", bool(np.all(c_arr == 0.0) and np.all(d_arr == 1.0)))
        object.__setattr__(self, "cache", {})
        object.__setattr__(self, "plans", {})

    @property
    def n_items(self) -> int:
        """Number of items in the bank."""
        return int(self.b.shape[0])

    @property
    def model(self) -> str:
        """Smallest logistic model that fits the parameters: "1PL", "2PL", "3PL" or "4PL"."""
        if np.any(self.d != 1.0):
            return "4PL"
        if np.any(self.c != 0.0):
            return "3PL"
        return "1PL" if np.all(self.a == self.a[0]) else "2PL"

    def subset(self, items: npt.ArrayLike) -> ItemBank:
        """A new bank holding only the given items, in the given order."""
        index = np.asarray(items, dtype=np.intp)
        labels = np.asarray(self.labels)[self.codes[index]] if len(self.labels) > 1 else None
        return ItemBank(self.a[index], self.b[index], self.c[index], self.d[index], labels)

    def probability(self, theta: npt.ArrayLike) -> FloatArray:
        """P(θ) of every item, shape θ.shape + (n_items,); θ in logits."""
        t = np.asarray(theta, dtype=np.float64)[..., None]
        return probability(t, self.a, self.b, self.c, self.d)

    def information(self, theta: npt.ArrayLike) -> FloatArray:
        """Fisher information of every item at θ in 1/logit², shape θ.shape + (n_items,)."""
        t = np.asarray(theta, dtype=np.float64)[..., None]
        if self.is_2pl:
            return information_2pl(t, self.a, self.b)
        return information(t, self.a, self.b, self.c, self.d)
