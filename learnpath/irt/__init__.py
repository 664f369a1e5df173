"""Adaptive-testing core of learnpath: 1PL-4PL IRT (θ in logits), pure numpy, no web or database.

Vocabulary: initialize → select → estimate → stop. The web layer stores only the history of a
session and calls the pure step functions (`cat_step`/`next_item`, `placement_step`) with it;
`simulate` runs many sessions at once, vectorized across simulees.
"""

from .bank import ItemBank
from .config import DEFAULT_EXPOSURE_CEILING, CatConfig, ExposureState
from .errors import IRTError
from .estimation import Estimate, estimate
from .models import information, log_probabilities, probability
from .placement import CompetencyState, PlacementStep, placement_step
from .report import simulate_report, simulation_report
from .selection import NO_ITEM, select_items
from .session import CatStep, cat_step, initialize, next_item, step_rng
from .simulation import Simulation, simulate
from .stopping import StopReason, stop_reason, stop_reasons

__all__ = [
    "DEFAULT_EXPOSURE_CEILING",
    "NO_ITEM",
    "CatConfig",
    "CatStep",
    "CompetencyState",
    "Estimate",
    "ExposureState",
    "IRTError",
    "ItemBank",
    "PlacementStep",
    "Simulation",
    "StopReason",
    "cat_step",
    "estimate",
    "information",
    "initialize",
    "log_probabilities",
    "next_item",
    "placement_step",
    "probability",
    "select_items",
    "simulate",
    "simulate_report",
    "simulation_report",
    "step_rng",
    "stop_reason",
    "stop_reasons",
]
