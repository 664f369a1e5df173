"""Configuration of an adaptive test and the exposure data a session receives (θ in logits)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from .arguments import choice
from .errors import IRTError

Method = Literal["eap", "map", "mle"]
Selection = Literal["maxinfo", "randomesque"]
METHODS: tuple[Method, ...] = get_args(Method)
SELECTIONS: tuple[Selection, ...] = get_args(Selection)
# Ceiling used when a caller switches exposure control on without choosing one.
DEFAULT_EXPOSURE_CEILING = 0.25


@dataclass(frozen=True)
class CatConfig:
    """Rules of one adaptive test: prior N(prior_mean, prior_sd²) in logits, selection, stopping.

    Stopping: stop at `max_items`, or when the bank is exhausted, or when at least `min_items`
    were given and the SE is at or below `se_target` (None = fixed length `max_items`).
    Selection: maximum Fisher information at θ̂, or a uniform pick among the `randomesque_k`
    most informative items. `exposure_ceiling` r makes an item ineligible once it was used in a
    share ≥ r of the sessions (see ExposureState); `exposure_pricing` (needs a ceiling) scores
    information averaged over N(θ̂, SE²) divided by 1 + the item's exposure price (pricing.py).
    `quotas` maps competency labels to target shares of the test (content balancing); labels
    absent from it get share 0. `method` and `selection` may be spelled in any case ("EAP").
    """

    se_target: float | None = 0.3
    max_items: int = 40
    min_items: int = 1
    method: Method = "eap"
    selection: Selection = "maxinfo"
    randomesque_k: int = 5
    exposure_ceiling: float | None = None
    exposure_pricing: bool = False
    prior_mean: float = 0.0
    prior_sd: float = 1.0
    quotas: Mapping[str, float] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        """Validate every field, name `method` and `selection` in lower case, freeze `quotas`."""
        object.__setattr__(self, "method", choice("method", self.method, METHODS))
        object.__setattr__(self, "selection", choice("selection", self.selection, SELECTIONS))
        if self.se_target is not None and not self.se_target > 0:
            raise IRTError(f"se_target must be > 0 or None, got {self.se_target}")
        if not 0 <= self.min_items <= self.max_items:
            raise IRTError(
                f"need 0 <= min_items <= max_items, got {self.min_items}, {self.max_items}"
            )
        if self.randomesque_k < 1:
            raise IRTError(f"randomesque_k must be >= 1, got {self.randomesque_k}")
        if self.exposure_ceiling is not None and not 0 < self.exposure_ceiling <= 1:
            raise IRTError(f"exposure_ceiling must be in (0, 1], got {self.exposure_ceiling}")
        if self.exposure_pricing and self.exposure_ceiling is None:
            raise IRTError("exposure_pricing needs an exposure_ceiling")
        if not (np.isfinite(self.prior_mean) and self.prior_sd > 0 and np.isfinite(self.prior_sd)):
            raise IRTError(
                f"prior must be finite with sd > 0, got {self.prior_mean}, {self.prior_sd}"
            )
        shares = {str(k): float(v) for k, v in dict(self.quotas).items()}
        if any(not (share >= 0 and np.isfinite(share)) for share in shares.values()):
            raise IRTError(f"quotas must be finite shares >= 0, got {shares}")
        object.__setattr__(self, "quotas", MappingProxyType(shares))

    @property
    def top_k(self) -> int:
        """How many of the most informative items the selection draws from (1 = max info)."""
        return self.randomesque_k if self.selection == "randomesque" else 1


@dataclass(frozen=True, eq=False)
class ExposureState:
    """Item usage the web layer stores and passes in: `counts[i]` = sessions that saw item i.

    `sessions` is the number of sessions started so far, the current one included. With a
    ceiling r, item i is eligible while counts[i] < r · sessions, so no item's exposure rate
    (counts / sessions) can pass r; the caller increments counts when it administers an item.
    `sessions` may also be one number per item (the sessions of the item's own competency, when
    a placement's bank holds several competencies that not every session measures).
    """

    counts: npt.NDArray[np.int64]
    sessions: int | npt.NDArray[np.int64]

    def __post_init__(self) -> None:
        """Validate and freeze the counts (and per-item sessions)."""
        counts = np.array(self.counts, dtype=np.int64)
        if counts.ndim != 1 or np.any(counts < 0):
            raise IRTError("exposure counts must be a 1-D array of non-negative integers")
        if np.any(np.asarray(self.sessions) < 0):
            raise IRTError(f"sessions must be >= 0, got {self.sessions}")
        if np.ndim(self.sessions) == 1:
            sessions = np.array(self.sessions, dtype=np.int64)
            if sessions.shape != counts.shape:
                raise IRTError(
                    f"per-item sessions must have {counts.size} items, got {sessions.shape}"
                )
            sessions.flags.writeable = False
            object.__setattr__(self, "sessions", sessions)
        elif np.ndim(self.sessions) != 0:
            raise IRTError("sessions must be a number or a 1-D array, one per item")
        counts.flags.writeable = False
        object.__setattr__(self, "counts", counts)

    def capacity(self, ceiling: float) -> npt.NDArray[np.int64]:
        """How many more sessions may receive each item before its rate reaches the ceiling."""
        return np.maximum(np.ceil(ceiling * self.sessions - self.counts), 0).astype(np.int64)
