"""Cluster-bootstrap intervals: resampling items, vectorised, deterministic for a seed."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from accord.quality.agreement import (
    FleissKappa,
    Judgments,
    KrippendorffAlpha,
    MeanPairwiseCohen,
    PercentAgreement,
    bootstrap_ci,
    bootstrap_cis,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from accord.quality.agreement.bootstrap import distinct_rows

STATISTICS = [
    PercentAgreement(), PercentAgreement(tie_label=2, drop_ties=True), FleissKappa(),
    KrippendorffAlpha("nominal"), KrippendorffAlpha("ordinal"), KrippendorffAlpha("interval"),
    KrippendorffAlpha("ratio"), MeanPairwiseCohen(min_overlap=3),
    MeanPairwiseCohen(min_overlap=3, weights="quadratic"),
]


def simulated(n_items: int, n_raters: int = 5, pool: int = 40, n_categories: int = 3,
              accuracy: float = 0.7, seed: int = 1) -> Judgments:
    """Each item has a true category; each of its raters (distinct, from the pool) reports
    it with probability ``accuracy``, otherwise a uniformly random category."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_categories, n_items)
    raters = np.argsort(rng.random((n_items, pool)), axis=1)[:, :n_raters]
    correct = rng.random((n_items, n_raters)) < accuracy
    noise = rng.integers(0, n_categories, (n_items, n_raters))
    labels = np.where(correct, truth[:, None], noise)
    return Judgments.from_arrays(np.repeat(np.arange(n_items), n_raters), raters.reshape(-1),
                                 labels.reshape(-1), n_items=n_items, n_annotators=pool,
                                 n_categories=n_categories)


@pytest.fixture(scope="module")
def sizeable() -> Judgments:
    return simulated(2000)


@pytest.mark.parametrize("statistic", STATISTICS, ids=repr)
def test_the_interval_contains_the_point_estimate_on_a_sizeable_sample(sizeable, statistic):
    low, high = bootstrap_ci(statistic, sizeable, n_resamples=200, seed=3)
    assert low < statistic(sizeable) < high
    assert high - low < 0.1


def test_the_same_seed_gives_the_same_interval_and_another_seed_another(sizeable):
    first = bootstrap_ci(KrippendorffAlpha(), sizeable, n_resamples=100, seed=11)
    assert bootstrap_ci(KrippendorffAlpha(), sizeable, n_resamples=100, seed=11) == first
    assert bootstrap_ci(KrippendorffAlpha(), sizeable, n_resamples=100, seed=12) != first


@pytest.mark.parametrize("statistic", STATISTICS, ids=repr)
def test_vectorised_resampling_equals_calling_the_statistic_on_each_resample(statistic):
    """The item-weight path and the plain path see the same resamples for a seed."""
    judgments = simulated(60, pool=8, seed=5)
    vectorised = bootstrap_ci(statistic, judgments, n_resamples=40, seed=2)
    called = bootstrap_ci(lambda j: statistic(j), judgments, n_resamples=40, seed=2)
    assert vectorised == pytest.approx(called, abs=1e-9)


def test_plain_functions_and_partials_are_resampled_through_their_item_terms():
    judgments = simulated(80, pool=8, seed=7)
    pairs = [
        (percent_agreement, PercentAgreement()),
        (fleiss_kappa, FleissKappa()),
        (partial(krippendorff_alpha, level="ordinal"), KrippendorffAlpha("ordinal")),
        (partial(percent_agreement, tie_label=0, drop_ties=True), PercentAgreement(0, True)),
    ]
    for plain, statistic in pairs:
        assert bootstrap_ci(plain, judgments, 50, seed=4) == pytest.approx(
            bootstrap_ci(statistic, judgments, 50, seed=4))


def test_a_wider_confidence_gives_a_wider_interval(sizeable):
    narrow = bootstrap_ci(FleissKappa(), sizeable, 300, confidence=0.5, seed=1)
    wide = bootstrap_ci(FleissKappa(), sizeable, 300, confidence=0.99, seed=1)
    assert wide.low < narrow.low < narrow.high < wide.high


def test_resampling_ignores_items_without_judgments():
    """Padding the item space with unjudged items must not change any resample."""
    judgments = simulated(50, pool=8, seed=9)
    padded = Judgments.from_arrays(judgments.item * 3, judgments.annotator, judgments.value,
                                   n_items=150, n_annotators=8, n_categories=3)
    assert bootstrap_ci(KrippendorffAlpha(), padded, 50, seed=1) == pytest.approx(
        bootstrap_ci(KrippendorffAlpha(), judgments, 50, seed=1))


def test_an_undefined_statistic_gives_an_undefined_interval():
    single = Judgments.from_arrays([0, 1], [0, 0], [0, 1])
    low, high = bootstrap_ci(KrippendorffAlpha(), single, 20, seed=0)
    assert np.isnan(low) and np.isnan(high)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_resamples": 0}, "n_resamples must be a positive integer"),
    ({"confidence": 1.0}, "confidence must lie strictly between 0 and 1"),
])
def test_invalid_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bootstrap_ci(FleissKappa(), simulated(10), **kwargs)


@pytest.mark.parametrize("statistic", [s for s in STATISTICS
                                       if not isinstance(s, MeanPairwiseCohen)], ids=repr)
def test_resamples_counted_by_vote_pattern_equal_the_statistic_on_each_resample(statistic):
    """Many items, few distinct vote patterns: resamples are counted per pattern, and each
    still equals the statistic called on the resampled judgments. (Cohen's kappa has terms
    per pair of annotators, nearly one pattern per item: it keeps item weights.)"""
    judgments = simulated(1500, pool=8, seed=6)
    items = np.flatnonzero(np.bincount(judgments.item, minlength=judgments.n_items))
    terms = statistic.item_terms(judgments).restricted(items)
    assert distinct_rows([terms.matrix]) is not None  # the pattern path is the one taken
    vectorised = bootstrap_ci(statistic, judgments, n_resamples=30, seed=8)
    called = bootstrap_ci(lambda j: statistic(j), judgments, n_resamples=30, seed=8)
    assert vectorised == pytest.approx(called, abs=1e-9)


def test_intervals_from_one_set_of_draws_equal_each_statistics_own(sizeable):
    statistics = STATISTICS[:5]
    shared = bootstrap_cis([s.item_terms(sizeable) for s in statistics], sizeable,
                           n_resamples=150, seed=4)
    alone = [bootstrap_ci(s, sizeable, n_resamples=150, seed=4) for s in statistics]
    for both, single in zip(shared, alone, strict=True):  # sums grouped apart: rounding only
        assert both == pytest.approx(single, rel=1e-12)
