"""A placement's decision mode as stored in its attempt: the joint prior, the cuts, the odds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
        prior_correlation(bank.labels, settings),
        [r["prior_mean"] for r in rules],
        [r["prior_sd"] for r in rules],
    )
    cuts = {slug: tuple(values) for slug, values in settings["cuts"].items()}
    rule = DecisionRule(cuts, settings["confidence"], settings.get("futility", 0.0))
    return {"prior": prior, "decisions": rule}


def prior_correlation(labels: Sequence[str], settings: Mapping[str, Any]) -> Any:
    """The labels' correlation matrix: stored pairs, else the default (older attempts: ρ only).

    With more than two competencies and unequal pairs the joint core uses the closest
    one-factor matrix (learnpath.irt.joint.one_factor).
    """
    default = settings["correlation"]
    pairs = settings.get("correlations")
    if not pairs:
        return default

    def r(a: str, b: str) -> float:
        first, second = sorted((a, b))
        return 1.0 if a == b else float(pairs.get(first, {}).get(second, default))

    return [[r(a, b) for b in labels] for a in labels]


def decision_fields(state: CompetencyState) -> dict[str, Any]:
    """What an estimate keeps of the decisions: cuts, P(θ ≥ cut) and expected questions left."""
    if state.remaining is None:
        return {}
    return {
        "cuts": list(state.cuts),
        "above": [round(p, 4) for p in state.above],
        "remaining": round(state.remaining, 2),
    }
