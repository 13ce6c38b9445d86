"""Reliability-weighted consensus over pairwise outcomes."""

from __future__ import annotations

import numpy as np
import pytest

from accord.quality.reliability import (
    FIRST_PREFERRED,
    SECOND_PREFERRED,
    TIE,
    majority_vote,
    pair_reliability,
)
from accord.quality.reliability.pairs import pair_order


def pairwise_crowd(accuracies, n_pairs=600, seed=0):
    """Every annotator judges every pair (task i, responses 2i and 2i+1), without ties."""
    rng = np.random.default_rng(seed)
    accuracies = np.asarray(accuracies)
    truth = rng.integers(0, 2, n_pairs)
    task = np.repeat(np.arange(n_pairs), len(accuracies))
    annotator = np.tile(np.arange(len(accuracies)), n_pairs)
    right = rng.random(len(task)) < accuracies[annotator]
    outcome = np.where(right, truth[task], 1 - truth[task])
    return task, 2 * task, 2 * task + 1, annotator, outcome, truth


def test_two_reliable_annotators_outweigh_three_poor_ones():
    task, first, second, annotator, outcome, truth = pairwise_crowd(
        [0.95, 0.9, 0.6, 0.55, 0.55], n_pairs=2000)
    result = pair_reliability(task, first, second, annotator, outcome)
    votes = outcome.reshape(-1, 5)
    good, poor = votes[:, :2], votes[:, 2:]
    outvoted = ((good == good[:, :1]).all(axis=1) & (poor == poor[:, :1]).all(axis=1)
                & (good[:, 0] != poor[:, 0]))
    assert outvoted.sum() > 10
    np.testing.assert_array_equal(result.outcome[outvoted], good[outvoted, 0])
    majority = majority_vote(task, annotator, outcome).labels
    assert (result.outcome == truth).mean() > (majority == truth).mean() + 0.02
    assert list(np.argsort(-result.reliability.accuracy)[:2]) == [0, 1]


@pytest.mark.parametrize("model", ["dawid_skene", "one_coin"])
def test_annotators_of_planted_accuracies_are_ranked_in_the_planted_order(model):
    planted = [0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6]
    task, first, second, annotator, outcome, _ = pairwise_crowd(planted, n_pairs=2000)
    accuracy = pair_reliability(task, first, second, annotator, outcome,
                                model=model).reliability.accuracy
    assert list(np.argsort(-accuracy)) == list(range(len(planted)))
    np.testing.assert_allclose(accuracy, planted, atol=0.03)


def test_confidence_is_the_posterior_of_the_chosen_outcome():
    task, first, second, annotator, outcome, _ = pairwise_crowd([0.9, 0.8, 0.7], n_pairs=200)
    result = pair_reliability(task, first, second, annotator, outcome, model="one_coin")
    posteriors = result.reliability.posteriors
    np.testing.assert_allclose(result.confidence, posteriors.max(axis=1))
    assert posteriors.shape == (200, 2) and (result.confidence >= 0.5).all()
    np.testing.assert_array_equal(result.votes, 3)


def test_a_pair_given_either_way_round_is_the_same_pair():
    forward = pair_reliability(task=[1, 1, 1], first=[10, 10, 11], second=[11, 11, 10],
                               annotator=[0, 1, 2], outcome=[0, 0, 1])
    assert len(forward) == 1
    assert (forward.task[0], forward.first[0], forward.second[0]) == (1, 10, 11)
    assert forward.outcome[0] == FIRST_PREFERRED
    assert forward.votes[0] == 3


def test_ties_make_a_third_class_and_can_win():
    result = pair_reliability(task=[0, 0, 0, 1, 1, 1], first=[1, 1, 1, 1, 1, 1],
                              second=[2, 2, 2, 2, 2, 2], annotator=[0, 1, 2, 0, 1, 2],
                              outcome=[TIE, TIE, TIE, 1, 1, 0])
    assert result.reliability.posteriors.shape == (2, 3)
    assert list(result.outcome) == [TIE, SECOND_PREFERRED]


def test_pairs_are_ordered_by_task_then_responses():
    result = pair_reliability(task=[5, 2, 2], first=[9, 4, 3], second=[8, 3, 4],
                              annotator=[0, 0, 1], outcome=[0, 0, 0])
    assert list(zip(result.task, result.first, result.second, strict=True)) == [
        (2, 3, 4), (5, 8, 9)]
    # "9 over 8" is "second preferred" once the pair is turned to (8, 9)
    assert result.outcome[1] == SECOND_PREFERRED


@pytest.mark.parametrize(("options", "outcome", "message"), [
    ({"ties": False}, [2], "outcome.0. is a tie, but ties are not allowed"),
    ({}, [3], r"outcome\[0\] is 3"),
])
def test_outcomes_outside_the_allowed_classes_are_refused(options, outcome, message):
    with pytest.raises(ValueError, match=message):
        pair_reliability([0], [1], [2], [0], outcome, **options)


def test_a_response_compared_with_itself_is_refused():
    with pytest.raises(ValueError, match="first and second are the same response"):
        pair_reliability([0], [4], [4], [0], [0])


def planted_pairs_with_ties(n_tasks, pool, per_task, tie_share, seed):
    """Pairs (task i: responses 2i, 2i+1) judged by ``per_task`` of ``pool`` annotators of
    planted accuracy 0.55-0.95, given either way round. A share ``tie_share`` of the pairs is
    truly tied; a wrong judgment of a preferred pair is a tie one time in five, otherwise the
    reversal, and of a tied pair a random side. Returns the judgments and, per task, the
    true outcome of the pair named (2i, 2i+1)."""
    rng = np.random.default_rng(seed)
    accuracy = rng.uniform(0.55, 0.95, pool)
    truth = np.where(rng.random(n_tasks) < tie_share, TIE, rng.integers(0, 2, n_tasks))
    annotator = np.argsort(rng.random((n_tasks, pool)), axis=1)[:, :per_task].reshape(-1)
    task = np.repeat(np.arange(n_tasks), per_task)
    true = truth[task]
    wrong = np.where(true == TIE, rng.integers(0, 2, len(task)),
                     np.where(rng.random(len(task)) < 0.2, TIE, 1 - true))
    outcome = np.where(rng.random(len(task)) < accuracy[annotator], true, wrong)
    turned = rng.random(len(task)) < 0.5
    first = np.where(turned, 2 * task + 1, 2 * task)
    second = np.where(turned, 2 * task, 2 * task + 1)
    outcome = np.where(turned & (outcome != TIE), 1 - outcome, outcome)
    return task, first, second, annotator, outcome, truth


def crowd_kit_labels(items, annotator, labels):
    """crowd-kit's DawidSkene (its defaults: 100 steps, tolerance 1e-5) on the same labels."""
    import pandas as pd
    from crowdkit.aggregation import DawidSkene

    frame = pd.DataFrame({"task": items, "worker": annotator, "label": labels})
    return DawidSkene(n_iter=100).fit_predict(frame).sort_index().to_numpy()


@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
@pytest.mark.parametrize(("n_tasks", "pool", "per_task", "tie_share", "seed"), [
    (2000, 20, 3, 0.2, 3),     # a fifth of the pairs truly tied
    (5000, 50, 3, 0.0, 5),     # ties called in error, none true
    (2000, 30, 5, 0.15, 2),
    (20000, 500, 5, 0.1, 4),   # the benchmark's shape: a large pool, 200 judgments each
])
def test_on_planted_pairs_with_ties_dawid_skene_beats_majority_vote_and_crowd_kit(
        n_tasks, pool, per_task, tie_share, seed):
    task, first, second, annotator, outcome, truth = planted_pairs_with_ties(
        n_tasks, pool, per_task, tie_share, seed)
    result = pair_reliability(task, first, second, annotator, outcome, n_annotators=pool)
    np.testing.assert_array_equal(result.first, 2 * np.arange(n_tasks))
    ours = (result.outcome == truth).mean()
    oriented = np.where((first > second) & (outcome != TIE), 1 - outcome, outcome)
    majority = (majority_vote(task, annotator, oriented, n_classes=3).labels == truth).mean()
    theirs = (crowd_kit_labels(task, annotator, oriented) == truth).mean()
    assert ours >= majority
    assert ours >= theirs
    assert result.reliability.converged and result.reliability.iterations <= 50


def test_a_tie_class_that_no_pair_belongs_to_wins_no_pair():
    """Ties called only in error: the old full model grew a spurious tie class here."""
    task, first, second, annotator, outcome, _ = planted_pairs_with_ties(
        5000, 50, 3, 0.0, 5)
    result = pair_reliability(task, first, second, annotator, outcome)
    assert (outcome == TIE).any() and result.reliability.posteriors.shape[1] == 3
    assert result.reliability.priors[TIE] < 0.01
    assert (result.outcome == TIE).mean() < 0.005


def test_swapping_every_pair_swaps_the_outcomes_and_keeps_the_annotators():
    task, first, second, annotator, outcome, _ = planted_pairs_with_ties(800, 12, 3, 0.2, 8)
    forward = pair_reliability(task, first, second, annotator, outcome)
    # response ids mirrored: the pair's lower id becomes the higher one
    mirrored = pair_reliability(task, 10**6 - first, 10**6 - second, annotator, outcome)
    swapped = np.array([SECOND_PREFERRED, FIRST_PREFERRED, TIE])
    np.testing.assert_array_equal(mirrored.outcome, swapped[forward.outcome])
    np.testing.assert_allclose(mirrored.reliability.accuracy, forward.reliability.accuracy)
    confusion = forward.reliability.confusion
    np.testing.assert_allclose(confusion[:, swapped][:, :, swapped], confusion)


def test_a_pair_order_computed_by_the_caller_gives_the_same_fit_and_a_wrong_one_is_refused():
    task, first, second, annotator, outcome, _ = planted_pairs_with_ties(300, 10, 3, 0.2, 9)
    lower, upper = np.minimum(first, second), np.maximum(first, second)
    outcome = np.where((first > second) & (outcome != TIE), 1 - outcome, outcome)
    order = pair_order(task, lower, upper)
    given = pair_reliability(task, lower, upper, annotator, outcome, order=order)
    sorted_here = pair_reliability(task, lower, upper, annotator, outcome)
    np.testing.assert_array_equal(given.outcome, sorted_here.outcome)
    np.testing.assert_array_equal(given.confidence, sorted_here.confidence)
    shuffled = (order[0][::-1].copy(), order[1])
    with pytest.raises(ValueError, match="does not sort these outcomes by pair"):
        pair_reliability(task, lower, upper, annotator, outcome, order=shuffled)
    with pytest.raises(ValueError, match="the pair order has 3 entries for 900 outcomes"):
        pair_reliability(task, lower, upper, annotator, outcome, order=(order[0][:3],
                                                                          order[1][:3]))
