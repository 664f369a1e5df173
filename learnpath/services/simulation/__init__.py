"""Simulated learners driven through the real services: what a program's placement pays off.

`payoff` runs each simulated learner, with known true levels, through the same service
functions the web views call (enrol, start the placement, serve and answer every question,
re-plan), then compares the trajectory with the truth; `report` sums the learners up and draws
the minutes-saved against false-waivers plot.
"""

from learnpath.services.simulation.cohort import Cohort, SimulationError, prepare, run_cohort
from learnpath.services.simulation.payoff import (
    Outcome,
    Simulee,
    Transaction,
    draw_simulees,
    judge,
    run_learner,
)
from learnpath.services.simulation.report import Summary, summarize, svg_plot

__all__ = [
    "Cohort",
    "Outcome",
    "SimulationError",
    "Simulee",
    "Summary",
    "Transaction",
    "draw_simulees",
    "judge",
    "prepare",
    "run_cohort",
    "run_learner",
    "summarize",
    "svg_plot",
]
