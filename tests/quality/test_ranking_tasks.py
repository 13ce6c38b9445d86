"""Per-task rank aggregation: Bradley-Terry and Copeland, checked against per-task loops."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from scipy.special import expit

from accord.quality.ranking import fit_strengths, rank_responses
from accord.quality.ranking.tasks import TASK_PRIOR
from accord.quality.reliability import FIRST_PREFERRED, SECOND_PREFERRED, TIE


def outcomes(*rows: tuple[int, int, int, int]):
    """(task, first, second, outcome) rows -> the four arrays rank_responses takes."""
    return [np.asarray(column) for column in zip(*rows, strict=True)]


A_OVER_B_OVER_C = outcomes(
    (7, 10, 11, FIRST_PREFERRED), (7, 10, 11, FIRST_PREFERRED), (7, 11, 10, SECOND_PREFERRED),
    (7, 11, 12, FIRST_PREFERRED), (7, 11, 12, FIRST_PREFERRED), (7, 11, 12, SECOND_PREFERRED),
    (7, 10, 12, FIRST_PREFERRED), (7, 10, 12, FIRST_PREFERRED), (7, 12, 10, SECOND_PREFERRED),
)


@pytest.mark.parametrize("method", ["bradley_terry", "copeland"])
def test_a_clear_order_is_found_by_both_methods(method):
    result = rank_responses(*A_OVER_B_OVER_C, method=method)
    assert list(result.task) == [7]
    assert result.ranking(0) == [[10], [11], [12]]
    assert result.margin[0] > 0 and result.confidence[0] > 0.5


def test_a_cycle_is_one_tie_group_under_copeland():
    cycle = outcomes((1, 10, 11, FIRST_PREFERRED), (1, 11, 12, FIRST_PREFERRED),
                     (1, 12, 10, FIRST_PREFERRED))
    for method in ("copeland", "bradley_terry"):
        result = rank_responses(*cycle, method=method)
        assert result.ranking(0) == [[10, 11, 12]]
        assert (result.margin[0], result.confidence[0]) == (0.0, 0.5)


def test_tied_votes_make_tied_responses():
    result = rank_responses(*outcomes((3, 5, 6, TIE), (3, 5, 6, TIE), (3, 6, 5, TIE)))
    assert result.ranking(0) == [[5, 6]]
    assert result.confidence[0] == 0.5


def test_unanimous_and_split_votes_give_the_documented_confidences():
    unanimous = rank_responses(*outcomes(*[(0, 1, 2, FIRST_PREFERRED)] * 3))
    split = rank_responses(*outcomes(*[(0, 1, 2, FIRST_PREFERRED)] * 2,
                                     (0, 1, 2, SECOND_PREFERRED)))
    assert unanimous.confidence[0] == pytest.approx(0.78, abs=0.01)
    assert split.confidence[0] == pytest.approx(0.60, abs=0.01)
    assert unanimous.confidence[0] == pytest.approx(expit(unanimous.margin[0]))


def test_weights_scale_votes_and_a_zero_weight_removes_one():
    task, first, second, outcome = outcomes((0, 1, 2, FIRST_PREFERRED),
                                            (0, 1, 2, SECOND_PREFERRED),
                                            (0, 1, 2, SECOND_PREFERRED))
    assert rank_responses(task, first, second, outcome).ranking(0) == [[2], [1]]
    weighted = rank_responses(task, first, second, outcome, weight=[3.0, 1.0, 1.0])
    assert weighted.ranking(0) == [[1], [2]]
    ignored = rank_responses(task, first, second, outcome, weight=[1.0, 1.0, 0.0])
    assert ignored.ranking(0) == [[1, 2]]


def test_tasks_of_different_sizes_come_back_in_task_order():
    rows = [(9, 1, 2, FIRST_PREFERRED), (4, 3, 4, SECOND_PREFERRED)]
    rows += [(6, a, b, FIRST_PREFERRED) for a, b in combinations([20, 21, 22, 23, 24], 2)]
    result = rank_responses(*outcomes(*rows))
    assert list(result.task) == [4, 6, 9]
    assert [result.ranking(i) for i in range(3)] == [
        [[4], [3]], [[20], [21], [22], [23], [24]], [[1], [2]]]
    np.testing.assert_array_equal(result.offsets, [0, 2, 7, 9])


def naive_copeland(task_rows):
    """Copeland scores of one task, from a plain tally of its outcomes."""
    responses = sorted({r for row in task_rows for r in row[1:3]})
    wins = {(a, b): 0.0 for a in responses for b in responses}
    for _, first, second, outcome in task_rows:
        if outcome == TIE:
            wins[first, second] += 0.5
            wins[second, first] += 0.5
        else:
            winner, loser = (first, second) if outcome == FIRST_PREFERRED else (second, first)
            wins[winner, loser] += 1
    return {a: sum(1.0 if wins[a, b] > wins[b, a] else 0.5 if wins[a, b] == wins[b, a] else 0
                   for b in responses if b != a) for a in responses}, wins


def scipy_strengths(responses, wins, prior):
    """The same penalised Bradley-Terry objective, maximised by BFGS with its gradient."""
    index = {r: i for i, r in enumerate(responses)}
    table = np.zeros((len(responses), len(responses)))
    for (a, b), w in wins.items():
        table[index[a], index[b]] = w

    def negative(theta):
        gaps = theta[:, None] - theta[None, :]
        p = expit(gaps)
        value = (table * np.logaddexp(0, -gaps)).sum() + prior / 2 * theta @ theta
        gradient = -((table - (table + table.T) * p).sum(axis=1)) + prior * theta
        return value, gradient

    fit = minimize(negative, np.zeros(len(responses)), jac=True, method="BFGS",
                   options={"gtol": 1e-11})
    return dict(zip(responses, fit.x, strict=True))


rows_strategy = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 4),
              st.sampled_from([FIRST_PREFERRED, SECOND_PREFERRED, TIE])),
    min_size=1, max_size=40,
).map(lambda rows: [(t, a, b, o) for t, a, b, o in rows if a != b]).filter(bool)


@settings(max_examples=80, deadline=None)
@given(rows_strategy)
def test_vectorised_aggregation_matches_a_loop_over_tasks(rows):
    copeland = rank_responses(*outcomes(*rows), method="copeland")
    strengths = rank_responses(*outcomes(*rows), method="bradley_terry")
    for index, task in enumerate(copeland.task):
        task_rows = [row for row in rows if row[0] == task]
        scores, wins = naive_copeland(task_rows)
        span = slice(copeland.offsets[index], copeland.offsets[index + 1])
        assert dict(zip(copeland.response[span], copeland.score[span], strict=True)) == scores
        expected = scipy_strengths(sorted(scores), wins, TASK_PRIOR)
        fitted = dict(zip(strengths.response[span], strengths.score[span], strict=True))
        assert fitted == pytest.approx(expected, abs=1e-6)


@settings(max_examples=80, deadline=None)
@given(rows_strategy)
def test_a_condorcet_winner_ranks_first_alone_under_copeland(rows):
    result = rank_responses(*outcomes(*rows), method="copeland")
    for index, task in enumerate(result.task):
        scores, wins = naive_copeland([row for row in rows if row[0] == task])
        condorcet = [a for a in scores
                     if all(wins[a, b] > wins[b, a] for b in scores if b != a)]
        if condorcet:
            assert result.ranking(index)[0] == condorcet


@settings(max_examples=50, deadline=None)
@given(rows_strategy, st.permutations(range(5)))
def test_renaming_responses_renames_the_ranking(rows, names):
    renamed = [(t, names[a] + 100, names[b] + 100, o) for t, a, b, o in rows]
    for method in ("copeland", "bradley_terry"):
        original = rank_responses(*outcomes(*rows), method=method)
        other = rank_responses(*outcomes(*renamed), method=method)
        for index in range(len(original)):
            expected = [sorted(names[r] + 100 for r in group)
                        for group in original.ranking(index)]
            assert [sorted(group) for group in other.ranking(index)] == expected
        np.testing.assert_allclose(other.confidence, original.confidence, atol=1e-9)


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method is 'borda'"):
        rank_responses(*A_OVER_B_OVER_C, method="borda")


def test_negative_weights_are_refused():
    with pytest.raises(ValueError, match="weight must hold 9 finite, non-negative values"):
        rank_responses(*A_OVER_B_OVER_C, weight=-np.ones(9))


def test_responses_shared_between_tasks_are_ranked_within_each_task():
    """Tasks that share responses take the sorting path; relabelled so that each task owns
    its responses, the same outcomes take the lookup path: the rankings agree."""
    rng = np.random.default_rng(5)
    n = 3000
    task = rng.integers(0, 200, n)
    first = rng.integers(0, 6, n)  # responses 0..5, shared by every task
    second = (first + rng.integers(1, 6, n)) % 6
    outcome = rng.integers(0, 3, n)
    shared = rank_responses(task, first, second, outcome)
    owned = rank_responses(task, task * 6 + first, task * 6 + second, outcome)
    np.testing.assert_array_equal(shared.task, owned.task)
    np.testing.assert_array_equal(shared.offsets, owned.offsets)
    np.testing.assert_array_equal(shared.response, owned.response % 6)
    np.testing.assert_array_equal(shared.group, owned.group)
    np.testing.assert_allclose(shared.score, owned.score)


def test_two_response_strengths_equal_the_general_fit():
    """The one-dimensional fit of two responses is the general fit's maximum: a third
    response that never played leaves the other two where they are."""
    rng = np.random.default_rng(2)
    wins = rng.uniform(0, 5, (500, 2, 2))
    wins[:, [0, 1], [0, 1]] = 0
    wins[:50, 0, 1] = 0  # unanimous
    padded = np.zeros((500, 3, 3))
    padded[:, :2, :2] = wins
    for prior in (1e-3, 1.0, 10.0):
        np.testing.assert_allclose(fit_strengths(wins, prior),
                                   fit_strengths(padded, prior)[:, :2], atol=1e-9)
