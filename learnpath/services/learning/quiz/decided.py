"""A placement's decision mode as stored in its attempt: the joint prior, the cuts, the odds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from learnpath.irt import CompetencyState, ItemBank
from learnpath.irt.decisions import DecisionRule
from learnpath.irt.joint import JointPrior


def decision_mode(bank: ItemBank, config: Mapping[str, Any]) -> dict[str, Any]:
    """placement_step's `prior` and `decisions` from an attempt's config; {} for older attempts."""
    settings = config.get("decisions")
    if not settings:
        return {}
    rules = [config["rules"][label] for label in bank.labels]
    prior = JointPrior.of(
        bank.labels,
        settings["correlation"],
        [r["prior_mean"] for r in rules],
        [r["prior_sd"] for r in rules],
    )
    cuts = {slug: tuple(values) for slug, values in settings["cuts"].items()}
    rule = DecisionRule(cuts, settings["confidence"], settings.get("futility", 0.0))
    return {"prior": prior, "decisions": rule}


def decision_fields(state: CompetencyState) -> dict[str, Any]:
    """What an estimate keeps of the decisions: cuts, P(θ ≥ cut) and expected questions left."""
    if state.remaining is None:
        return {}
    return {
        "cuts": list(state.cuts),
        "above": [round(p, 4) for p in state.above],
        "remaining": round(state.remaining, 2),
    }
