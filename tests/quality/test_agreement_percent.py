"""Percent agreement over pairs of annotators, with ties counted or dropped."""

from __future__ import annotations

from itertools import permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.quality.agreement import Judgments, PercentAgreement, percent_agreement

A, B, TIE = 0, 1, 2
"""Pairwise preference labels: response a preferred, b preferred, a tie."""


def preferences(*items: tuple[int, ...]) -> Judgments:
    """One tuple of labels per item, one label per annotator (annotator = position)."""
    item = [i for i, labels in enumerate(items) for _ in labels]
    annotator = [a for labels in items for a in range(len(labels))]
    value = [label for labels in items for label in labels]
    return Judgments.from_arrays(item, annotator, value, n_categories=3)


def test_ties_counted_make_a_tie_one_more_category():
    # item 0: a, a, tie → 2 of 6 ordered pairs agree; item 1: tie, tie → 2 of 2
    judgments = preferences((A, A, TIE), (TIE, TIE))
    assert percent_agreement(judgments) == pytest.approx(4 / 8)
    assert percent_agreement(judgments, tie_label=TIE) == pytest.approx(4 / 8)


def test_ties_dropped_compare_only_the_annotators_who_expressed_a_preference():
    # without ties: item 0 is a, a → 2 of 2 agree; item 1 has no judgment left
    judgments = preferences((A, A, TIE), (TIE, TIE), (A, B))
    assert percent_agreement(judgments, tie_label=TIE, drop_ties=True) == pytest.approx(2 / 4)
    assert percent_agreement(judgments) == pytest.approx((2 + 2 + 0) / (6 + 2 + 2))


def test_dropping_ties_needs_the_tie_label():
    with pytest.raises(ValueError, match="drop_ties needs tie_label"):
        percent_agreement(preferences((A, A)), drop_ties=True)


def test_the_tie_label_must_be_a_category():
    with pytest.raises(ValueError, match="tie_label 5 is not a category"):
        percent_agreement(preferences((A, A)), tie_label=5, drop_ties=True)


def test_no_pair_of_judgments_leaves_agreement_undefined():
    assert np.isnan(percent_agreement(preferences((A,), (B,))))


@st.composite
def labelled_items(draw):
    return draw(st.lists(st.lists(st.integers(0, 2), min_size=1, max_size=5), min_size=1,
                         max_size=12))


@settings(max_examples=100, deadline=None)
@given(labelled_items(), st.booleans())
def test_percent_agreement_is_the_share_of_agreeing_ordered_pairs(items, drop_ties):
    kept = [[v for v in labels if not (drop_ties and v == TIE)] for labels in items]
    pairs = [(x, y) for labels in kept for x, y in permutations(labels, 2)]
    expected = np.mean([x == y for x, y in pairs]) if pairs else np.nan
    ours = percent_agreement(preferences(*map(tuple, items)), tie_label=TIE,
                             drop_ties=drop_ties)
    assert ours == pytest.approx(expected, nan_ok=True)
    assert np.isnan(ours) or 0 <= ours <= 1
    assert PercentAgreement(TIE, drop_ties).item_terms(
        preferences(*map(tuple, items))).value() == pytest.approx(ours, nan_ok=True)
