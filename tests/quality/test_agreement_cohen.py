"""Cohen's κ equals scikit-learn's, for two annotators and for every pair in a pool."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from accord.quality.agreement import Judgments, MeanPairwiseCohen, cohen_kappa, pairwise_cohen

WEIGHTS = [None, "linear", "quadratic"]


def scikit_learn_kappa(a, b, n_categories: int, weights) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # undefined κ: scikit-learn warns and gives NaN
        return cohen_kappa_score(a, b, labels=list(range(n_categories)), weights=weights)


@st.composite
def two_annotators(draw):
    n_categories = draw(st.integers(1, 6))
    n = draw(st.integers(1, 60))
    labels = st.lists(st.integers(0, n_categories - 1), min_size=n, max_size=n)
    return np.array(draw(labels)), np.array(draw(labels)), n_categories


@given(two_annotators(), st.sampled_from(WEIGHTS))
def test_cohen_kappa_equals_scikit_learn(data, weights):
    a, b, n_categories = data
    ours = cohen_kappa(a, b, weights=weights, n_categories=n_categories)
    assert ours == pytest.approx(scikit_learn_kappa(a, b, n_categories, weights), abs=1e-9,
                                 nan_ok=True)


def test_cohen_kappa_of_a_worked_example():
    """Two raters, 10 items: observed agreement .7, chance agreement .5 → κ = .4."""
    a = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    b = np.array([0, 0, 0, 0, 1, 1, 1, 1, 0, 0])
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_identical_labels_give_kappa_one_and_no_chance_disagreement_gives_nan():
    assert cohen_kappa([0, 1, 2, 1], [0, 1, 2, 1], weights="quadratic") == 1.0
    assert np.isnan(cohen_kappa([1, 1, 1], [1, 1, 1]))


@pytest.mark.parametrize(("a", "b", "kwargs", "message"), [
    ([0, 1], [0], {}, "one length"),
    ([0.5, 1], [0, 1], {}, "integer category indices"),
    ([0, -1], [0, 1], {}, "negative category -1"),
    ([0, 3], [0, 1], {"n_categories": 3}, "label 3 is outside 0..2"),
    ([0, 1], [0, 1], {"weights": "cubic"}, "weights must be"),
])
def test_invalid_label_vectors_are_refused(a, b, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cohen_kappa(np.array(a), np.array(b), **kwargs)


@st.composite
def pools(draw):
    """Judgments of up to 25 items by annotators from a pool of up to 6, any missing."""
    n_items, n_annotators = draw(st.integers(1, 25)), draw(st.integers(2, 6))
    n_categories = draw(st.integers(2, 4))
    table = draw(st.lists(st.lists(st.one_of(st.none(), st.integers(0, n_categories - 1)),
                                   min_size=n_annotators, max_size=n_annotators),
                          min_size=n_items, max_size=n_items))
    cells = [(i, a, v) for i, row in enumerate(table) for a, v in enumerate(row) if v is not None]
    order = draw(st.permutations(range(len(cells))))  # judgments arrive in any order
    cells = [cells[k] for k in order]
    item, annotator, value = (np.array([c[k] for c in cells], dtype=np.int64) for k in range(3))
    judgments = Judgments.from_arrays(item, annotator, value, n_items=n_items,
                                      n_annotators=n_annotators, n_categories=n_categories)
    return judgments, table


@settings(max_examples=60, deadline=None)
@given(pools(), st.sampled_from(WEIGHTS), st.integers(1, 4))
def test_pairwise_cohen_equals_scikit_learn_on_each_pairs_shared_items(pool, weights,
                                                                       min_overlap):
    judgments, table = pool
    result = pairwise_cohen(judgments, min_overlap=min_overlap, weights=weights)
    expected = {}
    for a in range(judgments.n_annotators):
        for b in range(a + 1, judgments.n_annotators):
            shared = [(row[a], row[b]) for row in table if row[a] is not None and
                      row[b] is not None]
            if len(shared) >= min_overlap:
                la, lb = (np.array(x) for x in zip(*shared, strict=True))
                expected[(a, b)] = (len(shared), scikit_learn_kappa(
                    la, lb, judgments.n_categories, weights))
    got = {(a, b): (n, k) for a, b, n, k in zip(result.annotator_a.tolist(),
                                                result.annotator_b.tolist(),
                                                result.n_shared.tolist(), result.kappa.tolist(),
                                                strict=True)}
    assert got.keys() == expected.keys()
    for pair, (n, kappa) in got.items():
        assert n == expected[pair][0]
        assert kappa == pytest.approx(expected[pair][1], abs=1e-9, nan_ok=True)
    defined = [k for _, k in expected.values() if np.isfinite(k)]
    assert result.mean == pytest.approx(np.mean(defined) if defined else np.nan, nan_ok=True)
    assert MeanPairwiseCohen(min_overlap, weights)(judgments) == pytest.approx(
        result.mean, nan_ok=True)


@settings(max_examples=40, deadline=None)
@given(pools(), st.sampled_from(WEIGHTS))
def test_mean_pairwise_cohen_from_item_terms_equals_the_direct_computation(pool, weights):
    judgments, _ = pool
    statistic = MeanPairwiseCohen(1, weights)
    assert statistic.item_terms(judgments).value() == pytest.approx(
        statistic(judgments), abs=1e-9, nan_ok=True)


def test_pairs_sharing_fewer_items_than_the_minimum_are_left_out():
    judgments = Judgments.from_arrays([0, 0, 1, 1, 2, 2], [0, 1, 0, 1, 0, 2],
                                      [0, 0, 1, 1, 0, 1])
    result = pairwise_cohen(judgments, min_overlap=2)
    assert list(zip(result.annotator_a, result.annotator_b, strict=True)) == [(0, 1)]
    assert result.n_shared.tolist() == [2]
    assert result.kappa.tolist() == [1.0]


def test_a_pool_without_any_pair_has_a_nan_mean():
    judgments = Judgments.from_arrays([0, 1], [0, 1], [0, 1])
    result = pairwise_cohen(judgments, min_overlap=1)
    assert len(result) == 0 and np.isnan(result.mean)


@pytest.mark.parametrize("min_overlap", [0, -3, 1.5])
def test_min_overlap_must_be_a_positive_integer(min_overlap):
    judgments = Judgments.from_arrays([0, 0], [0, 1], [0, 1])
    with pytest.raises(ValueError, match="min_overlap"):
        pairwise_cohen(judgments, min_overlap=min_overlap)
