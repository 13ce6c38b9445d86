"""Dawid-Skene, one-coin, majority vote and gold accuracy on planted and edge-case data."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.quality.reliability import (
    dawid_skene,
    gold_accuracy,
    majority_vote,
    one_coin,
)


def crowd(accuracies, n_items=2000, n_classes=3, seed=0, per_item=None):
    """Judgments by annotators of planted accuracies; errors spread evenly over other classes.

    Every annotator labels every item, unless ``per_item`` picks that many at random.
    Returns (item, annotator, label, truth).
    """
    rng = np.random.default_rng(seed)
    accuracies = np.asarray(accuracies)
    truth = rng.integers(0, n_classes, n_items)
    if per_item is None:
        item = np.repeat(np.arange(n_items), len(accuracies))
        annotator = np.tile(np.arange(len(accuracies)), n_items)
    else:
        keys = rng.random((n_items, len(accuracies)))
        annotator = np.argsort(keys, axis=1)[:, :per_item].reshape(-1)
        item = np.repeat(np.arange(n_items), per_item)
    right = rng.random(len(item)) < accuracies[annotator]
    wrong = (truth[item] + rng.integers(1, n_classes, len(item))) % n_classes
    return item, annotator, np.where(right, truth[item], wrong), truth


PLANTED = [0.95, 0.85, 0.7, 0.55]


@pytest.mark.parametrize("fit", [dawid_skene, one_coin])
def test_annotators_of_planted_accuracies_are_ranked_in_the_planted_order(fit):
    item, annotator, label, _ = crowd(PLANTED)
    result = fit(item, annotator, label)
    assert list(np.argsort(-result.accuracy)) == [0, 1, 2, 3]
    np.testing.assert_allclose(result.accuracy, PLANTED, atol=0.03)


def test_dawid_skene_recovers_the_truth_better_than_majority_vote():
    item, annotator, label, truth = crowd([0.9, 0.6, 0.55, 0.55, 0.5], n_items=3000)
    ds = dawid_skene(item, annotator, label)
    mv = majority_vote(item, annotator, label)
    assert (ds.labels == truth).mean() > (mv.labels == truth).mean() + 0.05
    assert ds.converged


def test_a_systematic_confusion_is_learnt_and_used():
    """An annotator who always says 1 for 0 (and 0 for 1) is informative, not noise."""
    item, annotator, label, truth = crowd([0.9, 0.8, 0.75], n_items=1500, n_classes=2)
    swapped = np.r_[item, np.arange(1500)], np.r_[annotator, np.full(1500, 3)]
    result = dawid_skene(*swapped, np.r_[label, 1 - truth])
    assert result.confusion[3, 0, 1] > 0.98 and result.confusion[3, 1, 0] > 0.98
    assert (result.labels == truth).mean() > 0.99


def test_posteriors_are_distributions_and_labels_their_most_probable_class():
    item, annotator, label, _ = crowd([0.8, 0.7, 0.6], n_items=300, per_item=2)
    result = dawid_skene(item, annotator, label)
    np.testing.assert_allclose(result.posteriors.sum(axis=1), 1.0)
    np.testing.assert_array_equal(result.labels, result.posteriors.argmax(axis=1))
    np.testing.assert_allclose(result.confusion.sum(axis=2), 1.0)
    assert result.priors.sum() == pytest.approx(1.0)
    np.testing.assert_array_equal(result.judged, np.bincount(annotator, minlength=3))


def test_idle_annotators_unused_classes_and_unjudged_items_give_no_nan():
    item, annotator, label, _ = crowd([0.9, 0.8, 0.7], n_items=200, n_classes=2)
    result = dawid_skene(item, annotator, label, n_items=210, n_annotators=5, n_classes=4)
    for values in (result.posteriors, result.confusion, result.accuracy, result.priors):
        assert np.isfinite(values).all()
    np.testing.assert_allclose(result.confusion[4], 0.25)  # never judged: uniform rows
    np.testing.assert_allclose(result.posteriors[200:], np.tile(result.priors, (10, 1)))
    assert result.priors[2:].max() < 1e-3


def test_hundreds_of_judgments_on_one_item_do_not_underflow():
    item, annotator, label, truth = crowd([0.99] * 600, n_items=20, n_classes=3)
    result = dawid_skene(item, annotator, label)
    assert np.isfinite(result.posteriors).all()
    np.testing.assert_array_equal(result.labels, truth)


def test_the_log_likelihood_never_falls_from_one_step_to_the_next():
    item, annotator, label, _ = crowd([0.8, 0.7, 0.6, 0.55], n_items=400, per_item=3)
    values = [dawid_skene(item, annotator, label, max_iter=steps, tol=0.0,
                          smoothing=1e-12).log_likelihood for steps in range(1, 12)]
    assert all(b >= a - 1e-9 for a, b in pairwise(values))


def test_a_step_budget_too_small_is_reported_as_not_converged():
    item, annotator, label, _ = crowd([0.8, 0.7, 0.6], n_items=300)
    result = dawid_skene(item, annotator, label, max_iter=1)
    assert (result.iterations, result.converged) == (1, False)


def test_gold_items_hold_their_answer_and_anchor_the_annotators():
    item, annotator, label, truth = crowd([0.9, 0.3, 0.3], n_items=400, n_classes=2)
    gold = np.arange(0, 400, 4)
    result = dawid_skene(item, annotator, label, gold_item=gold, gold_label=truth[gold])
    np.testing.assert_array_equal(result.labels[gold], truth[gold])
    assert result.posteriors[gold].max(axis=1).min() == 1.0
    assert result.accuracy[0] > 0.85 > 0.4 > result.accuracy[1]


def test_one_coin_confusion_is_one_accuracy_with_errors_spread_evenly():
    item, annotator, label, _ = crowd([0.9, 0.7, 0.6], n_items=300, n_classes=4)
    result = one_coin(item, annotator, label)
    for a in range(3):
        diagonal = np.diag(result.confusion[a])
        off = result.confusion[a][~np.eye(4, dtype=bool)]
        np.testing.assert_allclose(diagonal, result.accuracy[a])
        np.testing.assert_allclose(off, (1 - result.accuracy[a]) / 3)


def test_majority_vote_breaks_ties_toward_the_lowest_class_and_says_so():
    result = majority_vote([0, 0, 1, 1, 1], [0, 1, 0, 1, 2], [2, 1, 0, 2, 2], n_classes=3)
    np.testing.assert_array_equal(result.labels, [1, 2])
    np.testing.assert_array_equal(result.tied, [True, False])
    np.testing.assert_allclose(result.posteriors, [[0, 0.5, 0.5], [1 / 3, 0, 2 / 3]])
    np.testing.assert_array_equal(result.votes, [2, 3])


@pytest.mark.parametrize(("arrays", "options", "message"), [
    (([0, 1], [0], [0, 1]), {}, "annotator has 1 entries, but item has 2"),
    (([0, -1], [0, 0], [0, 1]), {}, r"item\[1\] is -1"),
    (([0, 1], [0, 0], [0, 3]), {"n_classes": 3}, r"label\[1\] is 3, but n_classes is 3"),
    (([0, 1], [0, 0], [0, 1]), {"smoothing": 0.0}, "smoothing is 0.0"),
    (([0, 1], [0, 0], [0.5, 1]), {}, "label must hold integers"),
    (([0, 1], [0, 0], [0, 1]), {"gold_item": [5], "gold_label": [0]}, r"gold_item\[0\] is 5"),
])
def test_bad_input_is_refused_with_a_reason(arrays, options, message):
    with pytest.raises(ValueError, match=message):
        dawid_skene(*arrays, **options)


def test_no_judgments_at_all_give_an_empty_fit():
    result = dawid_skene([], [], [])
    assert result.posteriors.shape == (0, 2) and result.confusion.shape == (0, 2, 2)


judgment_sets = st.integers(1, 40).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 9), min_size=n, max_size=n),
    st.lists(st.integers(0, 4), min_size=n, max_size=n),
    st.lists(st.integers(0, 2), min_size=n, max_size=n),
    st.randoms(use_true_random=False),
))


@settings(max_examples=60, deadline=None)
@given(judgment_sets)
def test_the_fit_is_finite_and_ignores_the_order_of_judgments(data):
    item, annotator, label = (np.asarray(x) for x in data[:3])
    rnd = data[3]
    result = dawid_skene(item, annotator, label, n_classes=3)
    assert np.isfinite(result.posteriors).all() and np.isfinite(result.log_likelihood)
    np.testing.assert_allclose(result.posteriors.sum(axis=1), 1.0)
    order = np.arange(len(item))
    rnd.shuffle(order)
    shuffled = dawid_skene(item[order], annotator[order], label[order], n_classes=3)
    np.testing.assert_allclose(shuffled.posteriors, result.posteriors, atol=1e-9)


def test_gold_accuracy_counts_each_annotators_right_answers():
    result = gold_accuracy(
        item=[0, 0, 1, 1, 2, 2, 3], annotator=[0, 1, 0, 1, 0, 1, 2],
        label=[1, 1, 0, 1, 2, 2, 0], gold_item=[0, 1, 3], gold_label=[1, 0, 1],
        n_annotators=4,
    )
    np.testing.assert_array_equal(result.answered, [2, 2, 1, 0])
    np.testing.assert_array_equal(result.correct, [2, 1, 0, 0])
    np.testing.assert_allclose(result.accuracy, [1.0, 0.5, 0.0, np.nan])


def test_an_item_with_two_gold_answers_is_refused():
    with pytest.raises(ValueError, match="gold_item 3 has two gold labels"):
        gold_accuracy([3], [0], [1], gold_item=[3, 3], gold_label=[0, 1])
