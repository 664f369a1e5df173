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


def _decision_run(
    theta: float, cuts: tuple[float, ...], futility: float = 0.0
) -> tuple[list[int], object]:
    from learnpath.irt.decisions import DecisionRule
    from learnpath.irt.joint import JointPrior

    bank = bank_2pl(300, seed=4, competency=np.repeat(["a", "b"], 150))
    rng = np.random.default_rng(0)
    items: list[int] = []
    responses: list[float] = []
    config = CatConfig(se_target=0.2, max_items=20, min_items=2)
    prior = JointPrior.of(bank.labels, 0.5)
    rule = DecisionRule({"a": cuts, "b": cuts}, futility=futility)
    while True:
        step = placement_step(bank, items, responses, config, prior=prior, decisions=rule)
        if step.done:
            return items, step
        assert step.item is not None
        items.append(step.item)
        responses.append(answer(bank, step.item, theta, rng))


def test_decision_mode_stops_once_every_cut_is_settled() -> None:
    items, final = _decision_run(theta=2.0, cuts=(-0.5,))
    for state in final.competencies:  # type: ignore[attr-defined]
        assert state.reason == StopReason.DECIDED
        assert state.above[0] >= 0.95 and state.remaining == 0.0
    assert len(items) < 12  # far above the only cut: a few items each, not the cap of 20


def test_decision_mode_asks_until_the_cap_near_a_cut_and_expects_fewer_as_it_goes() -> None:
    items, final = _decision_run(theta=0.05, cuts=(0.0,))
    reasons = {s.reason for s in final.competencies}  # type: ignore[attr-defined]
    assert reasons <= {StopReason.MAX_ITEMS, StopReason.SE_TARGET}
    assert len(items) == 40 or StopReason.SE_TARGET in reasons


def test_decision_mode_prefers_items_that_discriminate_at_the_cut() -> None:
    bank = bank_2pl(300, seed=4, competency=np.repeat(["a", "b"], 150))
    from learnpath.irt.decisions import DecisionRule
    from learnpath.irt.joint import JointPrior

    rule = DecisionRule({"a": (1.5,), "b": (1.5,)})
    step = placement_step(
        bank, [], [], CatConfig(), prior=JointPrior.of(bank.labels, 0.5), decisions=rule
    )
    assert step.item is not None
    # The prior is centred at 0, the cut at 1.5: the chosen item is harder than the typical one.
    assert bank.b[step.item] > 0.5
    first = step.state(step.competency or "").remaining
    assert first is not None and first >= 1.0


def test_futility_stops_when_the_cut_cannot_be_passed_within_the_cap() -> None:
    # Below the cut, and too close to it to settle either side within 20 items each.
    capped, _ = _decision_run(theta=-0.3, cuts=(0.0,))
    curtailed, final = _decision_run(theta=-0.3, cuts=(0.0,), futility=0.1)
    assert len(curtailed) < len(capped)
    for state in final.competencies:  # type: ignore[attr-defined]
        assert state.reason == StopReason.DECIDED and state.above[0] < 0.5


def test_decision_mode_passes_over_an_item_at_its_exposure_ceiling() -> None:
    from learnpath.irt import ExposureState
    from learnpath.irt.decisions import DecisionRule
    from learnpath.irt.joint import JointPrior

    bank = bank_2pl(300, seed=4, competency=np.repeat(["a", "b"], 150))
    rule = DecisionRule({"a": (1.5,), "b": (1.5,)})
    prior = JointPrior.of(bank.labels, 0.5)
    config = CatConfig(selection="maxinfo", exposure_ceiling=0.25)
    free = placement_step(bank, [], [], config, prior=prior, decisions=rule)
    assert free.item is not None
    counts = np.zeros(bank.n_items, dtype=np.int64)
    counts[free.item] = 25  # 25 of 100 sessions saw it: at the ceiling
    held = placement_step(
        bank, [], [], config, prior=prior, decisions=rule, exposure=ExposureState(counts, 100)
    )
    assert held.item is not None and held.item != free.item
    counts[:] = 25  # every item at the ceiling: measurement wins, the best item again
    waived = placement_step(
        bank, [], [], config, prior=prior, decisions=rule, exposure=ExposureState(counts, 100)
    )
    assert waived.item == free.item
