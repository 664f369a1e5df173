"""Stopping rules of a CAT: SE (posterior SD, logits) at target, length bounds, bank exhausted."""

from __future__ import annotations

from enum import IntEnum

import numpy as np
import numpy.typing as npt

from .config import CatConfig


class StopReason(IntEnum):
    """Why a test (or one competency of a placement) stops; CONTINUE means it does not."""

    CONTINUE = 0
    SE_TARGET = 1
    MAX_ITEMS = 2
    EXHAUSTED = 3
    DECIDED = 4  # placement decision mode: every cut that matters is settled (decisions.py)


def stop_reasons(
    config: CatConfig,
    n_items: npt.ArrayLike,
    se: npt.ArrayLike,
    n_available: npt.ArrayLike,
) -> npt.NDArray[np.int8]:
    """Vectorized stop decision: MAX_ITEMS > EXHAUSTED > SE_TARGET (once min_items) > CONTINUE.

    The three rules compose: the length cap and an empty bank always stop, the minimum length
    gates only the precision rule, and se_target=None turns the precision rule off.
    """
    n = np.asarray(n_items)
    precise = np.zeros(n.shape, dtype=bool)
    if config.se_target is not None:
        # A relative slack absorbs rounding in the SE so a value equal to the target stops.
        precise = (np.asarray(se) <= config.se_target * (1 + 1e-12)) & (n >= config.min_items)
    reason = np.where(precise, StopReason.SE_TARGET, StopReason.CONTINUE)
    reason = np.where(np.asarray(n_available) <= 0, StopReason.EXHAUSTED, reason)
    reason = np.where(n >= config.max_items, StopReason.MAX_ITEMS, reason)
    return reason.astype(np.int8)


def stop_reason(config: CatConfig, n_items: int, se: float, n_available: int) -> StopReason:
    """Scalar stop decision for one session, the same rule order as stop_reasons."""
    # Plain Python: a web step calls this once, where numpy's per-call overhead would dominate.
    if n_items >= config.max_items:
        return StopReason.MAX_ITEMS
    if n_available <= 0:
        return StopReason.EXHAUSTED
    target = config.se_target
    if target is not None and n_items >= config.min_items and se <= target * (1 + 1e-12):
        return StopReason.SE_TARGET
    return StopReason.CONTINUE
