"""The IRT package as a library: obvious spellings work, anything else names argument and values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from irt_testkit import bank_2pl

import learnpath.irt as irt
from learnpath.irt import (
    CatConfig,
    IRTError,
    cat_step,
    estimate,
    next_item,
    placement_step,
    select_items,
    simulate,
    simulate_report,
    step_rng,
)

BANK = bank_2pl(30)
LABELLED = bank_2pl(30, competency=np.array(["sql", "git", "bi"] * 10))
THETAS = np.linspace(-1.5, 1.5, 7)
RANDOMESQUE = CatConfig(selection="randomesque", max_items=4, se_target=None)
NONE_TAKEN = np.zeros((1, BANK.n_items), dtype=bool)

METHODS = ("'eap'", "'map'", "'mle'")
SEEDS = ("None", "integer >= 0", "Generator")
STEPS = ("None", "integer >= 0")
EXPOSURES = ("None", "'randomesque'", "'ceiling'", "'priced'")

# Public names that take no method name, option name, seed or step: constants, exceptions,
# result and data classes, and the array functions of the model.
WITHOUT_CHOICES = {
    "DEFAULT_EXPOSURE_CEILING",
    "NO_ITEM",
    "CatStep",
    "CompetencyState",
    "Estimate",
    "ExposureState",
    "IRTError",
    "ItemBank",
    "PlacementStep",
    "Simulation",
    "StopReason",
    "information",
    "initialize",
    "log_probabilities",
    "probability",
    "simulation_report",
    "stop_reason",
    "stop_reasons",
}

Call = Callable[[Any], object]
# (public name, argument, what the message must list, the call with the argument set to a value)
CHOICES: list[tuple[str, str, tuple[str, ...], Call]] = [
    ("estimate", "method", METHODS, lambda v: estimate(BANK, [0], [1], method=v)),
    ("CatConfig", "method", METHODS, lambda v: CatConfig(method=v)),
    ("CatConfig", "selection", ("'maxinfo'", "'randomesque'"), lambda v: CatConfig(selection=v)),
    ("simulate", "exposure", EXPOSURES, lambda v: simulate(BANK, THETAS, exposure=v)),
    ("simulate", "seed", SEEDS, lambda v: simulate(BANK, THETAS, seed=v)),
    ("simulate_report", "exposure", EXPOSURES, lambda v: simulate_report(BANK, 5, exposure=v)),
    ("simulate_report", "seed", SEEDS, lambda v: simulate_report(BANK, 5, seed=v)),
    ("simulate_report", "n_examinees", ("integer >= 1",), lambda v: simulate_report(BANK, v)),
    ("cat_step", "seed", SEEDS, lambda v: cat_step(BANK, [], [], RANDOMESQUE, seed=v)),
    ("cat_step", "step", STEPS, lambda v: cat_step(BANK, [], [], RANDOMESQUE, step=v)),
    ("next_item", "seed", SEEDS, lambda v: next_item(BANK, [], [], RANDOMESQUE, seed=v)),
    ("next_item", "step", STEPS, lambda v: next_item(BANK, [], [], RANDOMESQUE, step=v)),
    ("placement_step", "seed", SEEDS, lambda v: placement_step(LABELLED, [], [], seed=v)),
    ("placement_step", "step", STEPS, lambda v: placement_step(LABELLED, [], [], step=v)),
    ("step_rng", "seed", SEEDS, lambda v: step_rng(v, 0)),
    ("step_rng", "step", ("integer >= 0",), lambda v: step_rng(0, v)),
    (
        "select_items",
        "rng",
        ("Generator", "integer seed >= 0", "None"),
        lambda v: select_items(BANK, np.zeros(1), NONE_TAKEN, RANDOMESQUE, v),
    ),
]
NAMES = ("nope", 3)  # a misspelt name, a number where a name belongs
NUMBERS = (-1, 2.5, "7", True)  # negative, fractional, a string, a bool posing as 1


def test_every_public_name_is_classified() -> None:
    with_choices = {name for name, *_ in CHOICES}
    assert with_choices.isdisjoint(WITHOUT_CHOICES)
    assert with_choices | WITHOUT_CHOICES == set(irt.__all__)


@pytest.mark.parametrize(
    ("call", "argument", "allowed", "value"),
    [
        pytest.param(call, argument, allowed, value, id=f"{name}-{argument}-{value!r}")
        for name, argument, allowed, call in CHOICES
        for value in (NAMES if allowed[-1].startswith("'") else NUMBERS)
    ],
)
def test_a_bad_value_is_a_value_error_naming_argument_and_allowed_values(
    call: Call, argument: str, allowed: tuple[str, ...], value: object
) -> None:
    with pytest.raises(ValueError) as caught:
        call(value)
    assert isinstance(caught.value, IRTError)
    message = str(caught.value)
    assert message.startswith(f"{argument} must be "), message
    assert all(word in message for word in allowed), message
    assert repr(value) in message, message


@pytest.mark.parametrize("spelling", ["EAP", " Map ", "mle", "MLE"])
def test_estimation_methods_in_any_case(spelling: str) -> None:
    lower = spelling.strip().lower()
    got = estimate(BANK, [0, 1, 2], [1, 0, 1], method=spelling)
    assert got == estimate(BANK, [0, 1, 2], [1, 0, 1], method=lower)
    assert got.method == lower


def test_config_names_in_any_case() -> None:
    config = CatConfig(method="MAP", selection="RandomEsque")  # type: ignore[arg-type]
    assert (config.method, config.selection) == ("map", "randomesque")
    assert config == CatConfig(method="map", selection="randomesque")


def test_simulate_takes_any_case_and_every_kind_of_seed() -> None:
    by_int = simulate(BANK, THETAS, None, 4, exposure="priced", seed=3)
    for seed in (np.int64(3), np.random.default_rng(3)):
        again = simulate(BANK, THETAS, None, 4, exposure="Priced", seed=seed)
        assert np.array_equal(again.items, by_int.items)
        assert np.array_equal(again.theta_hat, by_int.theta_hat)
    fresh = simulate(BANK, THETAS, None, 4, exposure="RANDOMESQUE", seed=None)
    assert fresh.lengths.tolist() == [4] * THETAS.size


def test_simulate_report_with_a_generator_or_fresh_entropy() -> None:
    one = simulate_report(BANK, 20, None, 4, exposure="CEILING", seed=np.random.default_rng(9))
    two = simulate_report(BANK, 20, None, 4, exposure="ceiling", seed=np.random.default_rng(9))
    assert one == two and one["mean_length"] == 4
    assert simulate_report(BANK, 20, None, 4, seed=None)["n_examinees"] == 20
    assert simulate_report(BANK, 20, None, 4, seed=2) == simulate_report(BANK, 20, None, 4, seed=2)


def test_web_steps_accept_fresh_entropy_and_generators() -> None:
    step = cat_step(BANK, [0], [1], RANDOMESQUE, seed=None)
    assert step.item is not None and step.item != 0
    assert next_item(BANK, [0], [1], RANDOMESQUE, seed=np.random.default_rng(1)) not in (None, 0)
    placement = placement_step(LABELLED, [], [], RANDOMESQUE, seed=None, step=np.int64(0))
    assert placement.item is not None
    generator = np.random.default_rng(4)
    assert step_rng(generator, 2) is generator
    assert isinstance(step_rng(None, 2), np.random.Generator)
    assert step_rng(5, 2).random() == np.random.default_rng((5, 2)).random()


def test_select_items_takes_a_seed_for_its_generator() -> None:
    thetas = np.zeros(50)
    taken = np.zeros((50, BANK.n_items), dtype=bool)
    by_seed = select_items(BANK, thetas, taken, RANDOMESQUE, 8)
    by_generator = select_items(BANK, thetas, taken, RANDOMESQUE, np.random.default_rng(8))
    assert np.array_equal(by_seed, by_generator)
    assert len(set(by_seed.tolist())) > 1  # a real draw among the top items
