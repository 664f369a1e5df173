"""What a finished placement keeps of its decisions: per cut, its level, odds and settlement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def decision_summary(
    state: Mapping[str, Any], bands: Mapping[str, float], confidence: float
) -> list[dict[str, Any]]:
    """Per cut of a competency: the level it opens, P(θ ≥ cut), and whether it was settled."""
    names = {bound: level for level, bound in bands.items()}
    out = []
    for cut, p in zip(state.get("cuts", ()), state.get("above", ()), strict=True):
        out.append(
            {
                "cut": cut,
                "level": names.get(cut, ""),
                "above": p,
                "settled": max(p, 1 - p) >= confidence,
            }
        )
    return out
