"""Calibration recovery on simulated 2,000 × 50 data: py-irt (the product's) beside girth MML."""

from __future__ import annotations

import os
import time

import numpy as np

from learnpath.calibration.estimate import fit_2pl
from learnpath.calibration.linking import link
from learnpath.calibration.matrix import Responses
from learnpath.calibration.run import Calibration, calibrate
from learnpath.calibration.simulate import simulate_2pl

PERSONS, ITEMS, SEED = 2000, 50, 1


def _rmse(estimate: np.ndarray, truth: np.ndarray) -> float:
    """Root mean squared error."""
    return float(np.sqrt(np.mean((estimate - truth) ** 2)))


def _report(
    name: str,
    a: np.ndarray,
    b: np.ndarray,
    truth_a: np.ndarray,
    truth_b: np.ndarray,
    seconds: float,
) -> None:
    """One line: RMSE after Stocking–Lord linking to the generating scale (all items anchors)."""
    found = link(a, b, truth_a, truth_b, list(range(len(a))))
    la, lb = found.apply(a, b)
    print(
        f"{name:34s} RMSE b {_rmse(lb, truth_b):.3f}  RMSE a {_rmse(la, truth_a):.3f}  "
        f"(A {found.A:.3f}, B {found.B:+.3f})  wall {seconds:5.1f} s"
    )


def _timed(
    responses: Responses, expert: dict[str, tuple[float, float]], run: str
) -> tuple[Calibration, float]:
    """One product calibration with its wall and CPU time and the machine's load."""
    load = os.getloadavg()[0]
    start, cpu = time.perf_counter(), time.process_time()
    result = calibrate(responses, expert, min_responses=200, seed=0)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    flagged = sum(i.sx2_p is not None and i.sx2_p < result.fit_alpha for i in result.items)
    print(
        f"product, {run}: converged {result.converged}, seeds differ by "
        f"{result.seed_difference_b:.4f} on b (SVI alone {result.seed_difference_svi_b:.3f}), "
        f"misfits {sum(i.misfit for i in result.items)} (S-X² p < {result.fit_alpha}: {flagged})"
    )
    print(
        f"  SVI steps {result.svi_epochs} (plateau), EM iterations {result.em_iterations}; "
        f"CPU {cpu:.1f} s, wall {seconds:.1f} s, load average {load:.1f} -> "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    return result, seconds


def main() -> None:
    """Print the figures of benchmarks/README.md."""
    sim = simulate_2pl(PERSONS, ITEMS, seed=SEED)
    ids = [f"i{j}" for j in range(ITEMS)]
    rng = np.random.default_rng(9)  # the authors' guesses: log a ± .2, b ± .3 around the truth
    expert = {
        i: (float(sim.a[j] * np.exp(rng.normal(0, 0.2))), float(sim.b[j] + rng.normal(0, 0.3)))
        for j, i in enumerate(ids)
    }
    print(f"Calibration: {PERSONS} persons × {ITEMS} items, a ~ LogNormal(0, .3), b ~ N(0, 1)")
    seconds = 0.0
    for run in ("cold (first in the process)", "warm (as in a running job worker)"):
        result, seconds = _timed(Responses(ids, sim.matrix), expert, run)
    a = np.array([i.a for i in result.items])
    b = np.array([i.b for i in result.items])
    print(
        f"{'  as stored (linked to expert)':34s} RMSE b {_rmse(b, sim.b):.3f}  "
        f"RMSE a {_rmse(a, sim.a):.3f}"
    )
    _report("  linked to the generating scale", a, b, sim.a, sim.b, seconds)
    for priors in ("hierarchical", "vague"):
        start = time.perf_counter()
        fit = fit_2pl(sim.matrix, priors=priors, seed=0, epochs=1000)
        _report(
            f"py-irt {priors} priors (one seed)",
            fit.a,
            fit.b,
            sim.a,
            sim.b,
            time.perf_counter() - start,
        )
    try:
        from girth import twopl_mml
    except ImportError:
        print("girth MML: not installed (pip install girth==0.8.0, a dev dependency)")
        return
    start = time.perf_counter()
    found = twopl_mml(sim.matrix.T.astype(int))
    _report(
        "girth 0.8.0 twopl_mml",
        np.asarray(found["Discrimination"]),
        np.asarray(found["Difficulty"]),
        sim.a,
        sim.b,
        time.perf_counter() - start,
    )


if __name__ == "__main__":
    main()
