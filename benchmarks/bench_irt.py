"""Benchmark of learnpath.irt against catsim 0.21 on one synthetic 2PL bank (θ in logits).

Bank: 300 items, a ~ lognormal(0, 0.3), b ~ N(0, 1); simulees θ ~ N(0, 1); every test stops at
SE ≤ 0.3 or 40 items. Both engines run in this process on the same bank and abilities. Run:

    .venv/bin/python benchmarks/bench_irt.py [--catsim-n 1000] [--seed 0] [--replications 5]
        [--skip-catsim]

With scipy installed (catsim brings it) it also prints a linear-programming lower bound on the
mean length under the 0.25 exposure ceiling (known θ, fractional items, Fisher information).
"""

from __future__ import annotations

import argparse
import statistics
import time
import timeit
from dataclasses import dataclass

import numpy as np

from learnpath.irt import CatConfig, ExposureState, ItemBank, next_item, select_items, simulate
from learnpath.irt.quadrature import log_likelihood_table, make_grid, posterior_moments

SE_TARGET, MAX_ITEMS = 0.3, 40


@dataclass(frozen=True)
class Row:
    """One line of the results table: figures of a run over `n` simulees."""

    name: str
    n: int
    mean_length: float
    bias: float
    rmse: float
    seconds: float
    max_exposure: float = float("nan")
    never_used: float = float("nan")

    @property
    def per_simulee_ms(self) -> float:
        """Wall time per simulee in milliseconds."""
        return 1e3 * self.seconds / self.n


def make_data(
    seed: int, n_items: int, n_simulees: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The benchmark's bank parameters (a, b) and true abilities, all from one seeded generator."""
    rng = np.random.default_rng(seed)
    a, b = rng.lognormal(0.0, 0.3, n_items), rng.normal(0.0, 1.0, n_items)
    return a, b, rng.normal(0.0, 1.0, n_simulees)


def oracle_lengths(a: np.ndarray, b: np.ndarray, thetas: np.ndarray) -> tuple[float, float]:
    """Mean length if θ were known: best items first until 1/SE² ≥ 1/0.3² (MLE; with the prior)."""
    info = -np.sort(-ItemBank(a, b).information(thetas), axis=1).cumsum(axis=1)
    lengths = []
    for prior_precision in (0.0, 1.0):
        need = 1.0 / SE_TARGET**2 - prior_precision
        lengths.append(float(np.minimum((info < need).sum(axis=1) + 1, MAX_ITEMS).mean()))
    return lengths[0], lengths[1]


def known_theta_run(
    bank: ItemBank, thetas: np.ndarray, config: CatConfig, capped: bool
) -> tuple[float, float]:
    """Mean length and max exposure when items are chosen at the true θ; same EAP and SE stop."""
    rng, grid = np.random.default_rng(1), make_grid(0.0, 1.0, -8.0, 8.0, 0.1)
    table = log_likelihood_table(bank, grid.points)
    size = thetas.size
    log_post, se = np.tile(grid.log_prior, (size, 1)), np.ones(size)
    taken, counts = np.zeros((size, bank.n_items), bool), np.zeros(bank.n_items, np.int64)
    for _ in range(MAX_ITEMS):
        active = np.flatnonzero(se > SE_TARGET)
        if not active.size:
            break
        exposure = ExposureState(counts, size) if capped else None
        pick = select_items(bank, thetas[active], taken[active], config, None, exposure)
        p = bank.probability(thetas[active])[np.arange(active.size), pick]
        log_post[active] += table[pick + bank.n_items * (rng.random(active.size) < p)]
        se[active] = posterior_moments(log_post[active], grid)[1]
        taken[active, pick] = True
        counts += np.bincount(pick, minlength=bank.n_items)
    return float(taken.sum(axis=1).mean()), float(counts.max() / size)


def known_theta_lines(a: np.ndarray, b: np.ndarray, thetas: np.ndarray) -> None:
    """Selection at the true θ: free, under the ceiling, and by the LP prices alone."""
    priced = CatConfig(exposure_ceiling=0.25, exposure_pricing=True)
    free, _ = known_theta_run(ItemBank(a, b), thetas, CatConfig(), False)
    capped, _ = known_theta_run(ItemBank(a, b), thetas, CatConfig(exposure_ceiling=0.25), True)
    by_price, exposure = known_theta_run(ItemBank(a, b), thetas, priced, False)
    print(
        f"Items chosen at the true θ, same EAP/SE stop: {free:.2f} items; under the 0.25 "
        f"ceiling {capped:.2f}; by LP prices without the ceiling {by_price:.2f} items at max "
        f"exposure {exposure:.3f}"
    )


def lp_length(info: np.ndarray, need: float, ceiling: float) -> float:
    """Min mean length: Σ_i x_si·I_si ≥ need, Σ_s x_si ≤ ceiling·S, Σ_i x_si ≤ 40, 0 ≤ x ≤ 1."""
    from scipy import optimize, sparse

    sessions, items = info.shape
    cells = np.arange(sessions * items)
    per_session = np.repeat(np.arange(sessions), items)
    per_item = np.tile(np.arange(items), sessions)
    reachable = -np.sort(-info, axis=1)[:, :MAX_ITEMS].sum(axis=1) * (1 - 1e-9)
    shape_s, shape_i = (sessions, cells.size), (items, cells.size)
    rows = sparse.vstack(
        [
            sparse.csr_matrix((-info.ravel(), (per_session, cells)), shape=shape_s),
            sparse.csr_matrix((np.ones(cells.size), (per_item, cells)), shape=shape_i),
            sparse.csr_matrix((np.ones(cells.size), (per_session, cells)), shape=shape_s),
        ]
    )
    bounds = np.concatenate(
        [-np.minimum(need, reachable), np.full(items, ceiling * sessions), np.full(sessions, 40.0)]
    )
    result = optimize.linprog(np.ones(cells.size), rows, bounds, bounds=(0, 1), method="highs")
    return float(result.fun) / sessions


def exposure_bound(a: np.ndarray, b: np.ndarray, thetas: np.ndarray, free: Row) -> None:
    """LP lower bounds at the true θ, and the same LP with its need calibrated on the free run."""
    try:
        import scipy  # noqa: F401
    except ImportError:
        print("(scipy not installed: no LP bound)")
        return
    info = ItemBank(a, b).information(thetas)
    needs = np.array([10.11, 10.61, 11.11])  # 1/0.3² − 1 (prior) and above
    open_lp = [lp_length(info, need, 1.0) for need in needs]
    capped_lp = [lp_length(info, need, 0.25) for need in needs]
    # The need at which the LP without a ceiling gives the measured free length.
    calibrated = float(np.interp(free.mean_length, open_lp, needs, right=np.nan))
    print(
        f"LP bound, known θ, need 1/SE² − 1 = {needs[0]:.2f}: {open_lp[0]:.2f} items without "
        f"ceiling, {capped_lp[0]:.2f} under the 0.25 ceiling"
    )
    print(
        f"LP need calibrated on the free run ({free.mean_length:.2f} items at need "
        f"{calibrated:.2f}): {np.interp(calibrated, needs, capped_lp):.2f} items under 0.25"
    )


def run_engine(
    name: str,
    a: np.ndarray,
    b: np.ndarray,
    thetas: np.ndarray,
    repeats: int,
    exposure: str | None = None,
    **kw: object,
) -> Row:
    """Median wall time of `repeats` simulate() calls, each on a fresh bank (no warm caches)."""
    times, sim = [], None
    for _ in range(repeats):
        bank = ItemBank(a, b)
        start = time.perf_counter()
        sim = simulate(bank, thetas, SE_TARGET, MAX_ITEMS, exposure=exposure, seed=1, **kw)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
    assert sim is not None
    return Row(
        name,
        thetas.size,
        sim.mean_length,
        sim.bias,
        sim.rmse,
        statistics.median(times),
        float(sim.exposure.max()),
        float(np.mean(sim.exposure == 0)),
    )


def run_catsim(a: np.ndarray, b: np.ndarray, thetas: np.ndarray) -> Row:
    """catsim's Simulator with MaxInfoSelector, NumericalSearchEstimator and MinErrorStopper."""
    from catsim.estimation import NumericalSearchEstimator
    from catsim.initialization import FixedPointInitializer
    from catsim.item_bank import ItemBank as CatsimBank
    from catsim.selection import MaxInfoSelector
    from catsim.simulation import Simulator
    from catsim.stopping import MinErrorStopper

    items = np.column_stack([a, b, np.zeros_like(a), np.ones_like(a)])
    simulator = Simulator(CatsimBank(items), thetas, seed=1)
    start = time.perf_counter()
    simulator.simulate(
        FixedPointInitializer(0.0),  # the engine's start too: the prior mean
        MaxInfoSelector(),
        NumericalSearchEstimator(),
        MinErrorStopper(SE_TARGET, max_items=MAX_ITEMS),
    )
    seconds = time.perf_counter() - start
    lengths = [len(items) for items in simulator.administered_items]
    exposure = float(np.max(simulator.item_bank.exposure_rates))
    return Row(
        "catsim 0.21",
        thetas.size,
        float(np.mean(lengths)),
        simulator.bias,
        simulator.rmse,
        seconds,
        exposure,
    )


def step_latency_ms(bank: ItemBank, n_given: int, config: CatConfig, **kw: object) -> float:
    """Median over many timeit repeats of one next_item call (estimate, stop check, select)."""
    rng = np.random.default_rng(7)
    items = rng.choice(bank.n_items, n_given, replace=False)
    responses = (rng.random(n_given) < 0.5).astype(float)

    def call() -> object:
        return next_item(bank, items, responses, config, **kw)  # type: ignore[arg-type]

    call()  # memoize the bank's grid tables, as a long-lived web worker would
    runs = timeit.repeat(call, number=100, repeat=51)
    return 1e3 * statistics.median(runs) / 100


def print_table(rows: list[Row]) -> None:
    """Fixed-width table of the runs."""
    header = ("run", "n", "length", "bias", "RMSE", "time s", "ms/sim", "max exp", "unused")
    print(f"{header[0]:<46}" + "".join(f"{h:>9}" for h in header[1:]))
    for r in rows:
        print(
            f"{r.name:<46}{r.n:>9}{r.mean_length:>9.2f}{r.bias:>9.3f}{r.rmse:>9.3f}"
            f"{r.seconds:>9.3f}{r.per_simulee_ms:>9.3f}{r.max_exposure:>9.3f}{r.never_used:>9.3f}"
        )


def latency_table() -> list[tuple[str, float]]:
    """Per-step latency on a 1,000-item bank after 5, 20 and 39 answers."""
    a, b, _ = make_data(123, 1000, 0)
    bank = ItemBank(a, b)
    never_stop = CatConfig(se_target=None, max_items=1000)
    guarded = CatConfig(
        se_target=None, max_items=1000, selection="randomesque", exposure_ceiling=0.25
    )
    counts = ExposureState(np.random.default_rng(8).integers(0, 300, 1000), 1000)
    rows = []
    for n_given in (5, 20, 39):
        rows.append((f"maxinfo, {n_given} answers", step_latency_ms(bank, n_given, never_stop)))
        rows.append(
            (
                f"randomesque+ceiling, {n_given} answers",
                step_latency_ms(bank, n_given, guarded, seed=3, exposure=counts),
            )
        )
    return rows


def replications(seed: int, count: int) -> None:
    """The engine on `count` other banks/samples of the same design: spread of the figures."""
    if count <= 0:
        return
    free, capped, priced = [], [], []
    for s in range(seed + 1, seed + 1 + count):
        a, b, thetas = make_data(s, 300, 1000)
        free.append(run_engine("", a, b, thetas, 1))
        capped.append(run_engine("", a, b, thetas, 1, exposure="ceiling"))
        priced.append(run_engine("", a, b, thetas, 1, exposure="priced"))
    print(f"\nEngine on {count} other seeds ({seed + 1}..{seed + count}), mean ± sd [min, max]:")
    groups = (("no exposure control", free), ("ceiling 0.25", capped), ("priced 0.25", priced))
    for label, rows in groups:
        for field in ("mean_length", "rmse"):
            values = [getattr(r, field) for r in rows]
            print(
                f"  {label:<22}{field:<12}{np.mean(values):7.3f} ± {np.std(values):.3f}"
                f"  [{min(values):.3f}, {max(values):.3f}]"
            )


def engine_rows(a: np.ndarray, b: np.ndarray, thetas: np.ndarray) -> list[Row]:
    """The engine without and with exposure control (median of 5 runs; sequential: 1 run)."""
    return [
        run_engine("learnpath.irt EAP + max info", a, b, thetas, 5),
        run_engine("learnpath.irt + ceiling 0.25", a, b, thetas, 5, exposure="ceiling"),
        run_engine("learnpath.irt + priced exposure, ceiling 0.25", a, b, thetas, 3, "priced"),
        run_engine("learnpath.irt + randomesque(5) + ceiling 0.25", a, b, thetas, 5, "randomesque"),
        run_engine(
            "  same, one session after another (web)",
            a,
            b,
            thetas,
            1,
            "randomesque",
            cohort_size=1,
        ),
    ]


def print_targets(engine: Row, exposure_rows: list[Row], ratio: float | None) -> None:
    """The issue's targets next to the measured figures."""
    print("\nTargets:")
    print(f"  length <= 20.0 at RMSE <= 0.30: {engine.mean_length:.2f} at RMSE {engine.rmse:.3f}")
    print("  max exposure <= 0.25 and length <= 22 (RMSE <= 0.30), exposure-controlled runs:")
    for r in exposure_rows:
        print(
            f"    {r.name.removeprefix('learnpath.irt + '):<40} length {r.mean_length:6.2f}  "
            f"RMSE {r.rmse:.3f}  bias {r.bias:+.3f}  max exposure {r.max_exposure:.3f}  "
            f"never used {r.never_used:.1%}"
        )
    if ratio is not None:
        print(f"  >= 100x faster than catsim: {ratio:.0f}x")


def main() -> None:
    """Run everything and print the tables and the target checks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catsim-n", type=int, default=1000, help="simulees given to catsim")
    parser.add_argument("--seed", type=int, default=0, help="seed of bank and abilities")
    parser.add_argument("--replications", type=int, default=5, help="extra seeds for the engine")
    parser.add_argument("--skip-catsim", action="store_true", help="no catsim run (faster)")
    args = parser.parse_args()

    a, b, thetas = make_data(args.seed, 300, 1000)
    mle_bound, prior_bound = oracle_lengths(a, b, thetas)
    print(
        f"Bank: 300 2PL items (seed {args.seed}), 1000 simulees, stop at SE <= {SE_TARGET} "
        f"or {MAX_ITEMS} items"
    )
    print(
        f"Known-θ reference length: {mle_bound:.2f} (1/SE² from items only), "
        f"{prior_bound:.2f} (items + N(0, 1) prior)"
    )
    known_theta_lines(a, b, thetas)
    rows = engine_rows(a, b, thetas)
    exposure_bound(a, b, thetas, rows[0])
    print()
    ratio = None
    if args.skip_catsim:
        print_table(rows)
    else:
        catsim = run_catsim(a, b, thetas[: args.catsim_n])
        print_table([*rows, catsim])
        ratio = catsim.per_simulee_ms / rows[0].per_simulee_ms
        basis = "whole run" if args.catsim_n == thetas.size else "per simulee"
        print(f"\nSpeed ratio catsim / engine ({basis}): {ratio:.0f}x")
    print("\nOne adaptive step on a 1,000-item bank (median of 51 x 100 calls):")
    for label, ms in latency_table():
        print(f"  {label:<38}{ms:8.4f} ms")
    replications(args.seed, args.replications)
    print_targets(rows[0], rows[1:4], ratio)


if __name__ == "__main__":
    main()
