"""Confident learning for preference pairs: the same issues, in the same order, as cleanlab;
the consensus' own confidence weighs the doubt."""

from __future__ import annotations

import numpy as np
import pytest
from cleanlab.filter import find_label_issues
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.quality.suspects import confident_learning, suspect_pairs, wrong_probability


def _noisy_population(seed: int, n: int = 400, flip_rate: float = 0.1):
    """Pairs whose true winner is the first or second at random, a signal that leans towards
    the truth, and consensus labels with ``flip_rate`` of them flipped."""
    rng = np.random.default_rng(seed)
    first_truly = rng.random(n) < 0.5
    p_first = np.where(first_truly, rng.beta(5, 2, n), rng.beta(2, 5, n))
    flipped = rng.random(n) < flip_rate
    return np.where(flipped, ~first_truly, first_truly), p_first, flipped


@pytest.mark.parametrize("seed", range(8))
def test_issues_and_their_order_are_cleanlabs_on_the_binary_case(seed):
    first_wins, p_first, _ = _noisy_population(seed)
    labels = np.where(first_wins, 0, 1)
    probs = np.column_stack([p_first, 1 - p_first])
    for rank_by in ("self_confidence", "normalized_margin"):
        expected = find_label_issues(labels, probs, filter_by="confident_learning",
                                     return_indices_ranked_by=rank_by, n_jobs=1)
        assert confident_learning(labels, probs).ranked.tolist() == expected.tolist()
        assert suspect_pairs(first_wins, p_first).ranked.tolist() == expected.tolist()


@given(st.lists(st.tuples(st.booleans(), st.floats(0.01, 0.99)), min_size=4, max_size=60),
       st.floats(0.05, 0.95))
@settings(max_examples=60, deadline=None)
def test_an_equal_consensus_confidence_keeps_cleanlabs_order(pairs, confidence):
    first_wins = np.array([w for w, _ in pairs])
    p_first = np.array([p for _, p in pairs])
    if first_wins.all() or not first_wins.any():
        return  # cleanlab needs both classes
    labels = np.where(first_wins, 0, 1)
    expected = find_label_issues(labels, np.column_stack([p_first, 1 - p_first]),
                                 filter_by="confident_learning",
                                 return_indices_ranked_by="self_confidence", n_jobs=1)
    found = suspect_pairs(first_wins, p_first, np.full(len(pairs), confidence))
    # Equal self-confidences may come in either order: compare the scores' sequence.
    assert sorted(found.ranked.tolist()) == sorted(expected.tolist())
    assert np.array_equal(found.issues.self_confidence[found.ranked],
                          found.issues.self_confidence[expected])


def test_thresholds_are_the_mean_self_confidence_of_each_class():
    labels = np.array([0, 0, 0, 1, 1])
    p_first = np.array([0.9, 0.7, 0.2, 0.4, 0.1])
    issues = confident_learning(labels, np.column_stack([p_first, 1 - p_first]))
    assert issues.thresholds.tolist() == pytest.approx([0.6, 0.75])
    # pair 2 is labelled "first" but the signal is confidently "second" (0.8 >= 0.75)
    assert issues.ranked.tolist() == [2]
    assert issues.confident_joint.tolist() == [[2, 1], [0, 1]]


def test_a_label_settled_by_a_shaky_majority_is_doubted_before_a_firm_one():
    first_wins = np.array([True, True, True, False, False, False])
    p_first = np.array([0.1, 0.1, 0.9, 0.2, 0.3, 0.1])
    firm_then_shaky = np.array([0.95, 0.55, 0.9, 0.9, 0.9, 0.9])
    found = suspect_pairs(first_wins, p_first, firm_then_shaky)
    assert found.ranked.tolist()[:2] == [1, 0]
    assert found.wrong[1] > found.wrong[0]


def test_wrong_probability_combines_two_independent_sources():
    assert wrong_probability([0.5], [0.5]).tolist() == [0.5]
    assert wrong_probability([0.2], [np.nan]).tolist() == pytest.approx([0.8])
    # signal 0.2 for the label, people 0.8 for it: the two cancel out
    assert wrong_probability([0.2], [0.8]).tolist() == pytest.approx([0.5])


def test_arrays_that_do_not_match_are_refused_with_the_reason():
    with pytest.raises(ValueError, match="do not match"):
        confident_learning([0, 1], np.array([[0.5, 0.5]]))
    with pytest.raises(ValueError, match="between 0 and 1"):
        confident_learning([0], np.array([[1.5, -0.5]]))
