"""AlpacaEval win rates, reproduced from the judge's annotations to the leaderboard's digits."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.quality.winrate import win_rate

MODELS = ["NullModel", "OpenHermes-2.5-Mistral-7B", "Qwen-14B-Chat"]
COLUMNS = ["win_rate", "standard_error", "n_wins", "n_wins_base", "n_draws", "n_total",
           "discrete_win_rate"]


def leaderboard_row(shared_data, model: str) -> dict[str, float]:
    with open(shared_data / "alpaca_eval2" / "weighted_gpt4_turbo_leaderboard.csv") as file:
        for row in csv.DictReader(file):
            if row[""] == model:
                return {column: float(row[column]) for column in COLUMNS}
    raise AssertionError(f"{model} is not on the leaderboard")


@pytest.mark.parametrize("model", MODELS)
def test_the_leaderboard_columns_are_reproduced_to_four_decimals(shared_data, model):
    path = shared_data / "alpaca_eval2" / f"{model}_annotations.json"
    preferences = [row["preference"] for row in json.loads(path.read_text())]
    ours = asdict(win_rate(preferences))
    expected = leaderboard_row(shared_data, model)
    for column in COLUMNS:
        assert round(ours[column], 4) == round(expected[column], 4), column


def test_soft_preferences_count_by_their_side_and_draws_are_exactly_one_and_a_half():
    result = win_rate([1.0, 1.2, 1.5, 1.5000001, 2.0])
    assert (result.n_wins, result.n_wins_base, result.n_draws, result.n_total) == (2, 2, 1, 5)
    assert result.win_rate == pytest.approx((0 + 0.2 + 0.5 + 0.5000001 + 1) / 5 * 100)
    assert result.discrete_win_rate == pytest.approx((2 + 0.5) / 5 * 100)


def test_missing_preferences_are_left_out_and_a_legacy_zero_is_a_draw():
    result = win_rate([2.0, None, float("nan"), 0, 1.0])
    assert (result.n_total, result.n_draws) == (3, 1)
    assert result.win_rate == pytest.approx(50.0)
    assert result.standard_error == pytest.approx(np.std([1, 0.5, 0], ddof=1) / np.sqrt(3) * 100)


def test_with_fewer_than_two_preferences_what_cannot_be_estimated_is_nan():
    one = win_rate([2.0])
    assert one.win_rate == 100.0 and np.isnan(one.standard_error)
    none = win_rate([])
    assert none.n_total == 0 and np.isnan(none.win_rate) and np.isnan(none.discrete_win_rate)


def test_a_preference_outside_one_to_two_is_refused():
    with pytest.raises(ValueError, match=r"preference\[1\] is 2.5"):
        win_rate([1.0, 2.5])


@given(st.lists(st.floats(1.0, 2.0), min_size=2, max_size=50))
def test_counts_add_up_and_the_rates_lie_between_0_and_100(preferences):
    result = win_rate(preferences)
    assert result.n_wins + result.n_wins_base + result.n_draws == result.n_total
    assert 0 <= result.win_rate <= 100 and 0 <= result.discrete_win_rate <= 100
    flipped = win_rate([3.0 - p for p in preferences])
    assert flipped.win_rate == pytest.approx(100 - result.win_rate)
    assert (flipped.n_wins, flipped.n_draws) == (result.n_wins_base, result.n_draws)
