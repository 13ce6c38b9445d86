"""Majority over pairwise votes: exact cases, then a property test against a naive tally."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.quality.consensus import FIRST, NO_MAJORITY, SECOND, majority_pairs


def votes(*rows: tuple[int, int, int, bool, int]):
    """(task, winner, loser, tie, strength) rows → the five arrays majority_pairs takes."""
    columns = list(zip(*rows, strict=True)) if rows else [[], [], [], [], []]
    return [np.asarray(c) for c in columns]


def test_a_two_one_split_is_decided_with_two_thirds_agreement():
    result = majority_pairs(*votes((1, 10, 11, False, 3), (1, 10, 11, False, 0),
                                   (1, 11, 10, False, 1)))
    assert len(result) == 1
    assert (result.first[0], result.second[0], result.outcome[0]) == (10, 11, FIRST)
    assert result.votes[0] == 3
    assert result.agreement[0] == pytest.approx(2 / 3)
    assert result.margin[0] == pytest.approx((3 + 1 - 1) / 3)  # missing strength counts 1


def test_the_pair_is_the_same_whichever_way_round_it_was_voted():
    result = majority_pairs(*votes((1, 11, 10, False, 2), (1, 11, 10, False, 2)))
    assert (result.first[0], result.second[0], result.outcome[0]) == (10, 11, SECOND)
    assert result.margin[0] == pytest.approx(-2.0)  # signed toward first
    assert result.agreement[0] == 1.0


def test_a_majority_of_ties_decides_nothing():
    result = majority_pairs(*votes((1, 10, 11, True, 0), (1, 10, 11, True, 0),
                                   (1, 10, 11, False, 1)))
    assert result.outcome[0] == NO_MAJORITY
    assert not result.decided[0]
    assert result.margin[0] == pytest.approx(1 / 3)  # ties count 0


@pytest.mark.parametrize("rows", [
    [(1, 10, 11, False, 0), (1, 11, 10, False, 0)],
    [(1, 10, 11, False, 0), (1, 11, 10, False, 0), (1, 10, 11, True, 0)],
    [(1, 10, 11, False, 0), (1, 11, 10, False, 0), (1, 10, 11, True, 0), (1, 11, 10, True, 0),
     (1, 10, 11, False, 0), (1, 11, 10, False, 0)],
])
def test_an_even_split_decides_nothing(rows):
    assert majority_pairs(*votes(*rows)).outcome.tolist() == [NO_MAJORITY]


def test_tasks_and_pairs_are_kept_apart_and_sorted():
    result = majority_pairs(*votes(
        (2, 21, 20, False, 1), (1, 12, 10, False, 1), (1, 10, 11, False, 1),
        (1, 11, 12, False, 1), (2, 21, 20, False, 1),
    ))
    assert list(zip(result.task.tolist(), result.first.tolist(), result.second.tolist(),
                    strict=True)) == [(1, 10, 11), (1, 10, 12), (1, 11, 12), (2, 20, 21)]
    assert result.outcome.tolist() == [FIRST, SECOND, FIRST, SECOND]
    assert result.votes.tolist() == [1, 1, 1, 2]


def test_without_strengths_every_vote_weighs_one():
    task, winner, loser, tie, _ = votes((1, 10, 11, False, 3), (1, 10, 11, False, 3))
    assert majority_pairs(task, winner, loser, tie).margin.tolist() == [1.0]


def test_no_votes_give_no_pairs():
    result = majority_pairs(*votes())
    assert len(result) == 0 and result.decided.shape == (0,)


def test_a_vote_of_a_response_against_itself_is_refused():
    with pytest.raises(ValueError, match=r"vote 1: winner and loser are the same response \(7\)"):
        majority_pairs(*votes((1, 6, 7, False, 0), (1, 7, 7, False, 0)))


def test_arrays_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="loser has 1 entries, but task has 2"):
        majority_pairs([1, 1], [10, 10], [11], [False, False])


def naive_majorities(rows):
    """Per (task, pair): (outcome, votes, agreement, margin), tallied one vote at a time."""
    tallies = defaultdict(list)
    for task, winner, loser, tie, strength in rows:
        first, second = min(winner, loser), max(winner, loser)
        direction = 0 if tie else (FIRST if winner == first else SECOND)
        tallies[task, first, second].append((direction, strength or 1))
    result = {}
    for key, cast in tallies.items():
        counts = Counter(d for d, _ in cast)
        top = max(counts.values())
        leaders = [d for d, c in counts.items() if c == top]
        outcome = leaders[0] if len(leaders) == 1 and leaders[0] != 0 else NO_MAJORITY
        margin = sum(d * s for d, s in cast) / len(cast)
        result[key] = (outcome, len(cast), top / len(cast), margin)
    return result


vote_rows = st.lists(
    st.tuples(
        st.integers(1, 4),  # task
        st.integers(1, 4),  # winner
        st.integers(1, 4),  # loser
        st.booleans(),  # tie
        st.integers(0, 3),  # strength, 0 = not given
    ).filter(lambda v: v[1] != v[2]),
    max_size=60,
)


@given(vote_rows)
def test_matches_a_naive_tally_per_task(rows):
    expected = naive_majorities(rows)
    result = majority_pairs(*votes(*rows))
    keys = list(zip(result.task.tolist(), result.first.tolist(), result.second.tolist(),
                    strict=True))
    assert keys == sorted(expected)
    for i, key in enumerate(keys):
        outcome, count, agreement, margin = expected[key]
        assert result.outcome[i] == outcome
        assert result.votes[i] == count
        assert result.agreement[i] == pytest.approx(agreement)
        assert result.margin[i] == pytest.approx(margin)
