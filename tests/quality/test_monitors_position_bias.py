"""Position-bias monitor: win rates per display position, the exact binomial test for two
positions, and the chi-square for K positions checked against Friedman's test."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest, friedmanchisquare

from accord.quality.monitors import position_bias


def test_two_positions_use_the_exact_binomial_test():
    # annotator 0: the first-shown response won 7 of 8; annotator 1: 2 of 4, plus a tie.
    winner = [0] * 7 + [1] + [0, 0, 1, 1, 0]
    who = [0] * 8 + [1] * 5
    tie = [False] * 12 + [True]
    result = position_bias(who, winner, [1 - w for w in winner], tie=tie)
    assert result.wins.tolist() == [[7, 1], [2, 2]]
    assert result.appearances.tolist() == [[8, 8], [4, 4]]
    assert result.win_rate[0].tolist() == [0.875, 0.125]
    assert result.p_value[0] == pytest.approx(binomtest(7, 8, 0.5).pvalue)
    assert result.p_value[1] == pytest.approx(1.0)
    assert result.overall_wins.tolist() == [9, 3]


def test_a_clear_first_position_preference_is_flagged_and_named():
    n = 300
    winner = (np.arange(n) % 10 >= 7).astype(int)  # the first shown wins 70 %
    who = np.arange(4 * n) % 4  # annotators 1, 2 and 3 have no bias
    winner = np.where(who == 0, np.repeat(winner, 4), np.arange(4 * n) // 4 % 2)
    result = position_bias(who, winner, 1 - winner)
    (alert,) = result.alerts
    assert alert.annotator == 0 and alert.monitor == "position_bias"
    assert alert.statistic == pytest.approx(0.2)
    assert "shown first won 70%" in alert.message


def test_a_pool_wide_preference_points_at_the_display_order():
    who = np.arange(1_000) % 20
    winner = (np.arange(1_000) % 10 >= 7).astype(int)
    result = position_bias(who, winner, 1 - winner)
    pool = [a for a in result.alerts if a.annotator is None]
    assert len(pool) == 1 and "display order is shuffled" in pool[0].message


def test_a_significant_but_small_deviation_is_not_flagged():
    n = 100_000
    winner = (np.arange(n) % 100 >= 53).astype(int)  # 53 % first
    result = position_bias(np.zeros(n, int), winner, 1 - winner)
    assert result.p_value[0] < 1e-10
    assert result.alerts == []


def _complete_rankings(rng, n: int, k: int, favour_first: float = 0.0):
    """``n`` full rankings of ``k`` shown responses, cut into every pair, as pairwise outcomes."""
    winners, losers, ranks = [], [], np.empty((n, k))
    for row in range(n):
        score = rng.random(k) + favour_first * (np.arange(k) == 0)
        order = np.argsort(-score)  # best first: positions
        ranks[row, order] = np.arange(1, k + 1)
        for better, worse in itertools.combinations(order, 2):
            winners.append(better)
            losers.append(worse)
    return np.array(winners), np.array(losers), ranks


@pytest.mark.parametrize("k", [3, 4, 5])
def test_k_positions_from_complete_rankings_give_friedmans_statistic(k):
    rng = np.random.default_rng(k)
    winners, losers, ranks = _complete_rankings(rng, 60, k, favour_first=0.3)
    result = position_bias(np.zeros(len(winners), int), winners, losers)
    expected = friedmanchisquare(*ranks.T)
    assert result.statistic[0] == pytest.approx(expected.statistic)
    assert result.p_value[0] == pytest.approx(expected.pvalue)


def test_k_positions_without_bias_raise_nothing():
    rng = np.random.default_rng(8)
    winners, losers, _ = _complete_rankings(rng, 400, 4)
    result = position_bias(np.zeros(len(winners), int), winners, losers)
    assert result.alerts == []
    assert result.win_rate[0] == pytest.approx([0.5] * 4, abs=0.06)


def test_an_outcome_with_one_position_for_both_is_refused_by_its_index():
    with pytest.raises(ValueError, match="outcome 1: winner and loser share position 0"):
        position_bias([0, 0], [0, 0], [1, 0])


outcomes = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3), st.booleans()),
    max_size=60,
).map(lambda rows: [r for r in rows if r[1] != r[2]])


@given(outcomes)
def test_wins_and_appearances_add_up(rows):
    who = [r[0] for r in rows]
    result = position_bias(who, [r[1] for r in rows], [r[2] for r in rows],
                           tie=[r[3] for r in rows], n_annotators=4, n_positions=4)
    decided = np.bincount([r[0] for r in rows if not r[3]], minlength=4)
    assert result.wins.sum(axis=1).tolist() == decided.tolist()
    assert result.appearances.sum(axis=1).tolist() == (2 * decided).tolist()
    assert result.overall_wins.tolist() == result.wins.sum(axis=0).tolist()
    assert ((result.p_value >= 0) & (result.p_value <= 1)).all()


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1)), max_size=60))
def test_two_position_win_rates_sum_to_one(rows):
    who = [r[0] for r in rows]
    winner = [r[1] for r in rows]
    result = position_bias(who, winner, [1 - w for w in winner], n_annotators=3)
    played = result.appearances[:, 0] > 0
    assert result.win_rate[played].sum(axis=1) == pytest.approx(np.ones(played.sum()))
    assert np.isnan(result.win_rate[~played]).all()
