"""Exposure pricing: item prices from the exposure-capped test-assembly LP, θ in logits.

The population θ ~ N(prior_mean, prior_sd²) sits on 101 points over ±4 SD. Each point needs the
information D = 1/se_target² − 1/prior_sd² (1/logit²) from at most max_items items, and each item
may serve a share ≤ r (the exposure ceiling) of the population, at least total length. With dual
prices v ≥ 0 on those capacities, one point's cheapest cover is a fractional knapsack: items by
I_i(θ)/(1 + v_i) until D is reached. Projected subgradient steps v ← max(0, v + η(usage − r))
give the prices, so an item the population over-demands costs more than its one slot.

Selection then scores E[I_i(θ)] over N(θ̂, SE²) divided by 1 + v_i: while θ̂ is uncertain the
scarce sharp items score low, and they are kept for the sessions and steps that use them best.
"""

from __future__ import annotations

import numpy as np

from .bank import ItemBank
from .config import CatConfig
from .models import FloatArray

_POINTS, _SPAN_SD = 101, 4.0
_ITERATIONS, _STEP = 300, 4.0
# E[f(θ̂ + SE·Z)], Z ~ N(0, 1), by 9-point Gauss–Hermite (probabilists' weights, normalized).
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(9)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


def priced_scores(
    bank: ItemBank, theta: FloatArray, se: FloatArray | None, config: CatConfig
) -> FloatArray:
    """E[I_i(θ)] over N(θ̂, SE²) / (1 + v_i) per session and item (1/logit² per unit cost)."""
    spread = np.zeros_like(theta) if se is None else np.asarray(se, dtype=np.float64)
    return posterior_information(bank, theta, spread) / (1.0 + item_prices(bank, config))


def posterior_information(bank: ItemBank, theta: FloatArray, se: FloatArray) -> FloatArray:
    """Fisher information averaged over N(θ̂, SE²) (1/logit²), shape (sessions, items)."""
    if not np.any(se > 0):
        return bank.information(theta)
    points = theta[:, None] + se[:, None] * _NODES[None, :]
    return np.einsum("skn,k->sn", bank.information(points), _WEIGHTS)


def item_prices(bank: ItemBank, config: CatConfig) -> FloatArray:
    """Dual price v_i ≥ 0 of each item's exposure capacity (items per use), memoized per bank."""
    ceiling = 1.0 if config.exposure_ceiling is None else config.exposure_ceiling
    target = config.se_target
    key = (config.prior_mean, config.prior_sd, target or 0.0, config.max_items, ceiling)
    prices = bank.plans.get(key)
    if prices is None:
        need = np.inf if target is None else 1.0 / target**2 - 1.0 / config.prior_sd**2
        z = np.linspace(-_SPAN_SD, _SPAN_SD, _POINTS)
        weights = np.exp(-0.5 * z**2) / np.exp(-0.5 * z**2).sum()
        info = bank.information(config.prior_mean + config.prior_sd * z)
        prices = solve_prices(info, weights, need, config.max_items, ceiling)
        prices.flags.writeable = False
        bank.plans[key] = prices
    return prices


def solve_prices(
    info: FloatArray, weights: FloatArray, need: float, max_items: int, ceiling: float
) -> FloatArray:
    """Averaged projected-subgradient dual prices of the capacities `ceiling` (shares)."""
    prices, total = np.zeros(info.shape[1]), np.zeros(info.shape[1])
    if need <= 0:
        return prices
    for k in range(_ITERATIONS):
        usage = weights @ knapsack_cover(info, prices, need, max_items)
        prices = np.maximum(0.0, prices + _STEP / np.sqrt(k + 1.0) * (usage - ceiling))
        total += prices
    return total / _ITERATIONS


def knapsack_cover(info: FloatArray, prices: FloatArray, need: float, max_items: int) -> FloatArray:
    """Per θ point, the fractional items reaching `need` at least cost: best I/(1 + v) first."""
    order = np.argsort(-(info / (1.0 + prices)), axis=1, kind="stable")
    gained = np.take_along_axis(info, order, axis=1)
    before = np.cumsum(gained, axis=1) - gained
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip(np.nan_to_num((need - before) / gained, nan=0.0, posinf=1.0), 0.0, 1.0)
    share = np.minimum(share, np.clip(max_items - np.arange(info.shape[1]), 0, 1))
    cover = np.empty_like(share)
    np.put_along_axis(cover, order, share, axis=1)
    return cover
