"""Multi-competency placement: one ability per competency, interleaving, separate stopping."""

from __future__ import annotations

import numpy as np
import pytest
from irt_testkit import answer, bank_2pl

from learnpath.irt import CatConfig, IRTError, ItemBank, StopReason, placement_step

LABELS = np.repeat(["git", "python", "sql"], 150)
TRUE = {"git": -1.0, "python": 0.5, "sql": 1.5}


def _place(
    bank: ItemBank, config: CatConfig, configs: dict[str, CatConfig] | None = None
) -> tuple[list[int], list[float], object]:
    rng = np.random.default_rng(21)
    items: list[int] = []
    responses: list[float] = []
    while True:
        step = placement_step(bank, items, responses, config, seed=3, configs=configs)
        if step.done:
            return items, responses, step
        assert step.item is not None and step.competency == LABELS[step.item]
        items.append(step.item)
        responses.append(answer(bank, step.item, TRUE[str(LABELS[step.item])], rng))


def test_each_competency_converges_to_its_own_ability() -> None:
    bank = bank_2pl(450, seed=2, competency=LABELS)
    items, _, final = _place(bank, CatConfig(se_target=0.3, max_items=30))
    for state in final.competencies:  # type: ignore[attr-defined]
        assert state.reason in (StopReason.SE_TARGET, StopReason.MAX_ITEMS)
        assert abs(state.theta - TRUE[state.competency]) < 3 * state.se
        assert state.n_items == int(np.sum(LABELS[items] == state.competency))
    # Interleaved: the first three items cover the three competencies.
    assert set(LABELS[items[:3]]) == {"git", "python", "sql"}


def test_each_competency_stops_on_its_own_rule() -> None:
    bank = bank_2pl(450, seed=2, competency=LABELS)
    loose = {"git": CatConfig(se_target=0.5, max_items=30)}
    _, _, final = _place(bank, CatConfig(se_target=0.3, max_items=30), loose)
    git, sql = final.state("git"), final.state("sql")  # type: ignore[attr-defined]
    assert git.se <= 0.5 and git.n_items < sql.n_items
    short = {"sql": CatConfig(se_target=None, max_items=3)}
    _, _, final = _place(bank, CatConfig(se_target=0.3, max_items=30), short)
    assert final.state("sql").n_items == 3  # type: ignore[attr-defined]
    assert final.state("sql").reason == StopReason.MAX_ITEMS  # type: ignore[attr-defined]


def test_an_exhausted_competency_stops_while_others_continue() -> None:
    labels = np.array(["tiny"] * 2 + ["big"] * 100)
    bank = bank_2pl(102, competency=labels)
    step = placement_step(bank, [0, 1], [1.0, 0.0], CatConfig(se_target=0.2))
    assert step.state("tiny").reason == StopReason.EXHAUSTED
    assert step.item is not None and labels[step.item] == "big"


def test_a_checkpoint_prior_starts_from_the_learners_estimate() -> None:
    bank = bank_2pl(450, seed=2, competency=LABELS)
    configs = {"sql": CatConfig(prior_mean=1.4, prior_sd=0.5)}
    step = placement_step(bank, [], [], CatConfig(), configs=configs)
    assert step.state("sql").theta == 1.4 and step.state("sql").se == 0.5
    with pytest.raises(IRTError, match="absent from the bank"):
        placement_step(bank, [], [], CatConfig(), configs={"rust": CatConfig()})
    with pytest.raises(IRTError, match="unknown competency"):
        step.state("rust")
