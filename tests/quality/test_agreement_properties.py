"""Properties every agreement statistic must have, on random pools of judgments."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from accord.quality.agreement import (
    Judgments,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    pairwise_cohen,
    percent_agreement,
)

LEVELS = ["nominal", "ordinal", "interval", "ratio"]


@st.composite
def pools(draw, identical: bool = False):
    """Judgments on up to 20 items by 2-5 annotators of a pool of 8, some missing.

    With ``identical``, every annotator gives an item the same (item-specific) label."""
    n_items, n_categories = draw(st.integers(2, 20)), draw(st.integers(2, 5))
    truth = draw(st.lists(st.integers(0, n_categories - 1), min_size=n_items,
                          max_size=n_items))
    item, annotator, value = [], [], []
    for i in range(n_items):
        raters = draw(st.lists(st.integers(0, 7), min_size=1, max_size=5, unique=True))
        for a in raters:
            item.append(i)
            annotator.append(a)
            value.append(truth[i] if identical else draw(st.integers(0, n_categories - 1)))
    return Judgments.from_arrays(item, annotator, value, n_items=n_items, n_annotators=8,
                                 n_categories=n_categories)


def pairable_values(judgments: Judgments) -> set[int]:
    sizes = np.bincount(judgments.item, minlength=judgments.n_items)
    return set(judgments.value[sizes[judgments.item] >= 2].tolist())


@settings(max_examples=80, deadline=None)
@given(pools(identical=True))
def test_identical_annotators_agree_perfectly_on_every_statistic(judgments):
    assume(len(pairable_values(judgments)) >= 2)  # else chance agreement is total: undefined
    assert percent_agreement(judgments) == 1.0
    assert fleiss_kappa(judgments) == pytest.approx(1.0)
    for level in LEVELS:
        assert krippendorff_alpha(judgments, level) == pytest.approx(1.0)
    kappas = pairwise_cohen(judgments, min_overlap=1).kappa
    assert np.all(np.isnan(kappas) | np.isclose(kappas, 1.0))


@given(st.lists(st.integers(0, 3), min_size=2, max_size=30))
def test_an_annotator_agrees_perfectly_with_a_copy_of_themself(labels):
    assume(len(set(labels)) >= 2)
    for weights in (None, "linear", "quadratic"):
        assert cohen_kappa(np.array(labels), np.array(labels), weights) == pytest.approx(1.0)


@settings(max_examples=80, deadline=None)
@given(pools(), st.randoms(use_true_random=False))
def test_nominal_statistics_ignore_how_the_categories_are_numbered(judgments, random):
    relabel = np.array(random.sample(range(judgments.n_categories), judgments.n_categories))
    renamed = Judgments.from_arrays(judgments.item, judgments.annotator,
                                    relabel[judgments.value], n_items=judgments.n_items,
                                    n_annotators=judgments.n_annotators,
                                    n_categories=judgments.n_categories)
    for statistic in (percent_agreement, fleiss_kappa, krippendorff_alpha,
                      lambda j: pairwise_cohen(j, min_overlap=1).mean):
        assert statistic(renamed) == pytest.approx(statistic(judgments), abs=1e-12,
                                                   nan_ok=True)


@settings(max_examples=80, deadline=None)
@given(pools())
def test_percent_agreement_is_a_share_and_chance_corrected_ones_are_at_most_one(judgments):
    share = percent_agreement(judgments)
    assert np.isnan(share) or 0 <= share <= 1
    for value in (fleiss_kappa(judgments), *(krippendorff_alpha(judgments, level)
                                             for level in LEVELS)):
        assert np.isnan(value) or value <= 1 + 1e-12
