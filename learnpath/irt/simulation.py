"""Vectorized CAT simulation: simulees answer by the 4PL model, θ̂ = EAP, SE = posterior SD (logits).

Simulees run in cohorts of concurrent sessions, each cohort vectorized across its sessions (see
cohort.py); selection and stopping are the functions the web step uses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from .arguments import Seed, choice, generator
from .bank import IntArray, ItemBank
from .cohort import run_cohorts
from .config import DEFAULT_EXPOSURE_CEILING, CatConfig
from .errors import IRTError
from .models import FloatArray

Exposure = Literal["randomesque", "ceiling", "priced"]
EXPOSURES: tuple[Exposure, ...] = get_args(Exposure)


@dataclass(frozen=True, eq=False)
class Simulation:
    """Per-simulee results (true θ, θ̂, SE in logits, test length) and per-item exposure rates.

    `items` and `responses` (simulees × max_items) hold the administered items (NO_ITEM padded)
    and the answers (NaN padded); `exposure[i]` is the share of simulees that saw item i.
    """

    thetas: FloatArray
    theta_hat: FloatArray
    se: FloatArray
    lengths: IntArray
    exposure: FloatArray
    items: IntArray
    responses: FloatArray
    reasons: npt.NDArray[np.int8]

    @property
    def bias(self) -> float:
        """Mean of θ̂ − θ in logits."""
        return float(np.mean(self.theta_hat - self.thetas))

    @property
    def rmse(self) -> float:
        """Root mean squared error √mean((θ̂ − θ)²) in logits."""
        return float(np.sqrt(np.mean(np.square(self.theta_hat - self.thetas))))

    @property
    def mean_length(self) -> float:
        """Mean number of items administered per simulee."""
        return float(np.mean(self.lengths))


def simulate(
    bank: ItemBank,
    thetas: npt.ArrayLike,
    se_target: float | None = 0.3,
    max_items: int = 40,
    min_items: int = 1,
    exposure: str | None = None,
    seed: Seed = 0,
    *,
    config: CatConfig | None = None,
    cohort_size: int | None = None,
) -> Simulation:
    """Simulate EAP-based CATs for true abilities `thetas` (logits), vectorized across simulees.

    `exposure="randomesque"` draws among the top `randomesque_k` items under an exposure ceiling
    (config's or 0.25); "ceiling" keeps maximum information under the ceiling; "priced" adds
    exposure pricing (posterior information / (1 + item price), pricing.py). `config` supplies
    everything else (prior, quotas, k, ceiling). Simulees run in cohorts of `cohort_size`
    concurrent sessions (default: all at once); the ceiling counts every session started so far.
    `exposure` may be spelled in any case; `seed` is an integer >= 0 (reproducible), None (fresh
    entropy) or a numpy Generator (drawn from, so it advances).
    """
    rng = generator(seed)
    cfg = _merge_config(config, se_target, max_items, min_items, exposure)
    true = np.asarray(thetas, dtype=np.float64)
    if true.ndim != 1 or true.size == 0 or not np.all(np.isfinite(true)):
        raise IRTError("thetas must be a non-empty 1-D array of finite abilities")
    size = true.size if cohort_size is None else int(cohort_size)
    if size < 1:
        raise IRTError(f"cohort_size must be >= 1, got {cohort_size}")
    results, counts = run_cohorts(bank, true, cfg, rng, size)
    return Simulation(
        thetas=true,
        theta_hat=results.theta,
        se=results.se,
        lengths=results.n,
        exposure=counts / true.size,
        items=results.items,
        responses=results.answers,
        reasons=results.reasons,
    )


def _merge_config(
    config: CatConfig | None,
    se_target: float | None,
    max_items: int,
    min_items: int,
    exposure: str | None,
) -> CatConfig:
    """The config a simulation runs: explicit stopping arguments win over `config`."""
    cfg = replace(
        config or CatConfig(), se_target=se_target, max_items=max_items, min_items=min_items
    )
    if cfg.method != "eap":
        raise IRTError("simulate estimates by EAP; use method='eap'")
    if exposure is None:
        return cfg
    kind = choice("exposure", exposure, EXPOSURES, also="None")
    ceiling = cfg.exposure_ceiling or DEFAULT_EXPOSURE_CEILING
    selection = "randomesque" if kind == "randomesque" else cfg.selection
    pricing = kind == "priced" or cfg.exposure_pricing
    return replace(cfg, exposure_ceiling=ceiling, selection=selection, exposure_pricing=pricing)
