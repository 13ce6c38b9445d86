"""The report draws its three comparison intervals from one set of resamples: each must be
the interval ``bootstrap_ci`` gives for that statistic alone."""

from __future__ import annotations

import numpy as np
import pytest

from accord.core.report.agreement import BOOTSTRAP_RESAMPLES, _number, intervals
from accord.quality.agreement import (
    FleissKappa,
    Judgments,
    KrippendorffAlpha,
    PercentAgreement,
    bootstrap_ci,
)


def _judgments(n_items: int, seed: int, accuracy: float = 0.7) -> Judgments:
    rng = np.random.default_rng(seed)
    per_item = 3
    truth = rng.integers(0, 3, n_items)
    right = rng.random((n_items, per_item)) < accuracy
    value = np.where(right, truth[:, None], rng.integers(0, 3, (n_items, per_item)))
    annotator = (rng.integers(0, 40, n_items)[:, None] + np.arange(per_item) * 7) % 40
    keep = rng.random((n_items, per_item)) < 0.9  # some items have fewer judgments
    keep[:, :2] = True
    item = np.repeat(np.arange(n_items), per_item).reshape(n_items, per_item)
    return Judgments(item[keep], annotator[keep], value[keep], n_items=n_items,
                     n_annotators=40, n_categories=3)


@pytest.mark.parametrize(("n_items", "seed", "accuracy"), [
    (30, 1, 0.7),        # a few items: one batch
    (50_000, 2, 0.7),    # several batches of resamples, the last one partial
    (200, 3, 1.0),       # perfect agreement: every resample has the same value
])
def test_shared_draws_give_each_statistics_own_interval(n_items, seed, accuracy):
    judgments = _judgments(n_items, seed, accuracy)
    statistics = [PercentAgreement(2, False), FleissKappa(), KrippendorffAlpha("nominal")]
    alone = []
    for statistic in statistics:
        ci = bootstrap_ci(statistic, judgments, n_resamples=BOOTSTRAP_RESAMPLES, seed=0)
        alone.append([_number(ci.low), _number(ci.high)])
    assert intervals([s.item_terms(judgments) for s in statistics], judgments) == alone


def test_undefined_statistics_give_no_interval():
    one_category = Judgments(np.repeat(np.arange(20), 2), np.tile([0, 1], 20), np.zeros(40, int),
                             n_items=20, n_annotators=2, n_categories=3)
    shared = intervals([FleissKappa().item_terms(one_category),
                        KrippendorffAlpha("nominal").item_terms(one_category)], one_category)
    for statistic, interval in zip([FleissKappa(), KrippendorffAlpha("nominal")], shared,
                                   strict=True):
        ci = bootstrap_ci(statistic, one_category, n_resamples=BOOTSTRAP_RESAMPLES, seed=0)
        assert interval == [_number(ci.low), _number(ci.high)]
