"""A caller's arguments: names of methods and options in any case, seeds and random generators.

The engine is also used from notebooks, so every public function takes the obvious spellings
("EAP", seed=None) and refuses anything else with an IRTError (a ValueError) that names the
argument and the values it allows.
"""

from __future__ import annotations

from typing import Any, TypeGuard, TypeVar

import numpy as np

from .errors import IRTError

Whole = int | np.integer[Any]
"""An integer, Python's or numpy's."""

Seed = Whole | np.random.Generator | None
"""None: fresh entropy from the OS; an integer >= 0: reproducible; a Generator: used as is."""

SEED_VALUES = "None (fresh entropy), an integer >= 0 or a numpy Generator"

Name = TypeVar("Name", bound=str)


def choice(argument: str, value: object, allowed: tuple[Name, ...], also: str = "") -> Name:
    """The member of `allowed` that `value` spells, ignoring case and surrounding blanks.

    `also` names what the caller accepts besides, e.g. "None", for the error message.
    """
    if isinstance(value, str):
        wanted = value.strip().casefold()
        for name in allowed:
            if name.casefold() == wanted:
                return name
    names = ", ".join(repr(name) for name in allowed)
    other = f"{also} or " if also else ""
    raise IRTError(f"{argument} must be {other}one of {names} (any case), got {value!r}")


def is_whole(value: object) -> TypeGuard[Whole]:
    """Whether `value` is an integer, Python's or numpy's (a bool is not: True is no count)."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def check_seed(seed: object) -> Seed:
    """The seed if it is None, a numpy Generator or an integer >= 0."""
    if seed is None or isinstance(seed, np.random.Generator):
        return seed
    if is_whole(seed) and seed >= 0:
        return seed
    raise IRTError(f"seed must be {SEED_VALUES}, got {seed!r}")


def check_step(step: object) -> int | None:
    """The step index if it is None (the number of items given so far) or an integer >= 0."""
    return None if step is None else step_index(step, also="None (the items given so far) or ")


def step_index(step: object, also: str = "") -> int:
    """The step index if it is an integer >= 0."""
    if is_whole(step) and step >= 0:
        return int(step)
    raise IRTError(f"step must be {also}an integer >= 0, got {step!r}")


def as_rng(rng: object) -> np.random.Generator | None:
    """A draw's generator: a Generator as is, an integer >= 0 seeds one, None means no draw."""
    if rng is None or isinstance(rng, np.random.Generator):
        return rng
    if is_whole(rng) and rng >= 0:
        return np.random.default_rng(int(rng))
    raise IRTError(
        f"rng must be a numpy Generator, an integer seed >= 0 or None (no draw), got {rng!r}"
    )


def generator(seed: object, *key: int) -> np.random.Generator:
    """A generator: a Generator as is, fresh entropy for None, default_rng((seed, *key)) else."""
    checked = check_seed(seed)
    if isinstance(checked, np.random.Generator):
        return checked
    if checked is None:
        return np.random.default_rng()
    return np.random.default_rng((int(checked), *key) if key else int(checked))
