"""Item selection: maximum information, randomesque, exposure ceiling, quotas, exhaustion."""

from __future__ import annotations

import numpy as np
import pytest
from irt_testkit import bank_2pl

from learnpath.irt import NO_ITEM, CatConfig, ExposureState, IRTError, ItemBank, select_items
from learnpath.irt.shortlist import build_shortlist, shortlisted_scores


def _taken(bank: ItemBank, *rows: list[int]) -> np.ndarray:
    mask = np.zeros((len(rows), bank.n_items), dtype=bool)
    for r, items in enumerate(rows):
        mask[r, items] = True
    return mask


def test_maxinfo_picks_the_most_informative_unused_item_per_session() -> None:
    bank = bank_2pl(50)
    theta = np.array([-1.0, 0.0, 1.5])
    taken = _taken(bank, [], [int(np.argmax(bank.information(0.0)))], [])
    picks = select_items(bank, theta, taken, CatConfig())
    info = np.where(taken, -np.inf, bank.information(theta))
    np.testing.assert_array_equal(picks, info.argmax(axis=1))


def test_never_repeats_and_reports_an_exhausted_bank() -> None:
    bank = bank_2pl(3)
    taken = _taken(bank, [0, 1], [0, 1, 2])
    picks = select_items(bank, np.zeros(2), taken, CatConfig())
    np.testing.assert_array_equal(picks, [2, NO_ITEM])


def test_allowed_mask_restricts_candidates() -> None:
    bank = bank_2pl(20)
    allowed = np.zeros(20, dtype=bool)
    allowed[[3, 7]] = True
    pick = select_items(bank, np.zeros(1), _taken(bank, [3]), CatConfig(), allowed=allowed)
    assert pick[0] == 7


def test_randomesque_draws_uniformly_among_the_top_k() -> None:
    bank = bank_2pl(100)
    config = CatConfig(selection="randomesque", randomesque_k=4)
    picks = select_items(
        bank, np.zeros(4000), np.zeros((4000, 100), bool), config, np.random.default_rng(1)
    )
    top4 = set(np.argsort(bank.information(0.0))[-4:].tolist())
    assert set(picks.tolist()) == top4
    counts = np.bincount(picks, minlength=100)[sorted(top4)]
    assert np.all(np.abs(counts / 4000 - 0.25) < 0.03)


def test_randomesque_needs_a_generator() -> None:
    bank = bank_2pl(10)
    with pytest.raises(IRTError, match="random generator"):
        select_items(bank, np.zeros(1), _taken(bank, []), CatConfig(selection="randomesque"))


def test_exposure_ceiling_excludes_items_at_the_ceiling() -> None:
    bank = bank_2pl(30)
    best = int(np.argmax(bank.information(0.0)))
    counts = np.zeros(30, dtype=np.int64)
    counts[best] = 25  # rate 25 / 100 sessions = the ceiling
    config = CatConfig(exposure_ceiling=0.25)
    pick = select_items(
        bank, np.zeros(1), _taken(bank, []), config, None, ExposureState(counts, 100)
    )
    assert pick[0] != best
    counts[best] = 24  # just below the ceiling: eligible again
    pick = select_items(
        bank, np.zeros(1), _taken(bank, []), config, None, ExposureState(counts, 100)
    )
    assert pick[0] == best


def test_exposure_ceiling_is_waived_when_nothing_else_is_left() -> None:
    bank = bank_2pl(3)
    state = ExposureState(np.full(3, 50), 100)
    pick = select_items(
        bank, np.zeros(1), _taken(bank, [0]), CatConfig(exposure_ceiling=0.2), None, state
    )
    assert pick[0] in (1, 2)


def test_concurrent_sessions_share_the_capacity_of_each_item() -> None:
    bank = bank_2pl(40)
    sessions = 400
    config = CatConfig(exposure_ceiling=0.25)
    state = ExposureState(np.zeros(40, dtype=np.int64), sessions)
    picks = select_items(
        bank, np.zeros(sessions), np.zeros((sessions, 40), bool), config, None, state
    )
    assert np.bincount(picks, minlength=40).max() <= 100
    assert len(set(picks.tolist())) == 4  # the four most informative items, 100 sessions each


def test_quotas_pick_the_competency_furthest_below_its_share() -> None:
    labels = np.array(["a"] * 10 + ["b"] * 10)
    bank = bank_2pl(20, competency=labels)
    config = CatConfig(quotas={"a": 0.75, "b": 0.25})
    # Two "a" items given, none of "b": "a" has 0.75*3 - 2 = 0.25, "b" has 0.75, "b" is next.
    pick = select_items(bank, np.zeros(1), _taken(bank, [0, 1]), config)
    assert labels[pick[0]] == "b"
    pick = select_items(bank, np.zeros(1), _taken(bank, [0, 10]), config)
    assert labels[pick[0]] == "a"


def test_quotas_skip_an_exhausted_competency_and_reject_unknown_labels() -> None:
    labels = np.array(["a"] * 2 + ["b"] * 10)
    bank = bank_2pl(12, competency=labels)
    pick = select_items(bank, np.zeros(1), _taken(bank, [0, 1]), CatConfig(quotas={"a": 1.0}))
    assert labels[pick[0]] == "b"
    with pytest.raises(IRTError, match="absent from the bank"):
        select_items(bank, np.zeros(1), _taken(bank, []), CatConfig(quotas={"zz": 1.0}))


def test_exposure_counts_must_match_the_bank() -> None:
    bank = bank_2pl(5)
    state = ExposureState(np.zeros(4, dtype=np.int64), 10)
    with pytest.raises(IRTError, match="5 items"):
        select_items(
            bank, np.zeros(1), _taken(bank, []), CatConfig(exposure_ceiling=0.5), None, state
        )


def test_shortlists_give_exactly_the_full_maximum_information_picks() -> None:
    bank = bank_2pl(300, seed=4)
    rng = np.random.default_rng(0)
    theta = np.concatenate([rng.normal(0, 1.5, 2000), [-8.5, 9.0, 7.999]])
    taken = rng.random((theta.size, 300)) < 0.1
    shortlist = build_shortlist(bank, 64)
    assert shortlist is not None
    for config in (CatConfig(), CatConfig(selection="randomesque", randomesque_k=3)):
        fast = select_items(
            bank, theta, taken, config, np.random.default_rng(1), None, None, shortlist
        )
        full = select_items(bank, theta, taken, config, np.random.default_rng(1))
        if config.top_k == 1:
            np.testing.assert_array_equal(fast, full)
        else:  # the same top-3 sets, drawn from in another order
            top3 = np.argsort(np.where(taken, -np.inf, bank.information(theta)), axis=1)[:, -3:]
            assert np.all((top3 == fast[:, None]).any(axis=1))
    _, _, exact = shortlisted_scores(bank, shortlist, theta, taken, 1)
    assert exact[:2000].mean() > 0.99 and not exact[-3:-1].any()  # outside the grid: fallback


def test_shortlists_are_skipped_where_they_cannot_help() -> None:
    assert build_shortlist(bank_2pl(40), 64) is None
    guessing = ItemBank(a=np.ones(100), b=np.zeros(100), c=np.full(100, 0.2))
    assert build_shortlist(guessing, 10) is None


def test_per_item_sessions_hold_each_competency_to_its_own_sessions() -> None:
    # Item 0's competency had 8 sessions, item 1's 100: 2 shows fill item 0's quarter only.
    state = ExposureState(np.array([2, 2]), np.array([8, 100]))
    assert state.capacity(0.25).tolist() == [0, 23]
    with pytest.raises(IRTError, match="per-item sessions"):
        ExposureState(np.array([2, 2]), np.array([8]))
