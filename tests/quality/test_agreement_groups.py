"""Agreement per subgroup of items (quality dimension, prompt category, …)."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.quality.agreement import (
    FleissKappa,
    Judgments,
    KrippendorffAlpha,
    MeanPairwiseCohen,
    PercentAgreement,
    by_group,
    krippendorff_alpha,
)

STATISTICS = [PercentAgreement(), FleissKappa(), *(KrippendorffAlpha(level) for level in
              ("nominal", "ordinal", "interval", "ratio")), MeanPairwiseCohen(min_overlap=1)]


@st.composite
def grouped_pools(draw):
    n_items, n_categories = draw(st.integers(1, 25)), draw(st.integers(2, 4))
    item, annotator, value = [], [], []
    for i in range(n_items):
        for a in draw(st.lists(st.integers(0, 5), max_size=4, unique=True)):
            item.append(i)
            annotator.append(a)
            value.append(draw(st.integers(0, n_categories - 1)))
    judgments = Judgments.from_arrays(np.array(item, dtype=np.int64),
                                      np.array(annotator, dtype=np.int64),
                                      np.array(value, dtype=np.int64), n_items=n_items,
                                      n_annotators=6, n_categories=n_categories)
    groups = draw(st.lists(st.sampled_from(["coding", "qa", "safety"]), min_size=n_items,
                           max_size=n_items))
    return judgments, np.array(groups)


@settings(max_examples=60, deadline=None)
@given(grouped_pools(), st.sampled_from(STATISTICS))
def test_each_group_gets_the_statistic_of_its_own_judgments(pool, statistic):
    judgments, groups = pool
    result = by_group(statistic, judgments, groups)
    assert list(result) == sorted(set(groups.tolist()))
    for name, value in result.items():
        subset = judgments.select(groups[judgments.item] == name)
        assert value == pytest.approx(statistic(subset), abs=1e-9, nan_ok=True)


def test_any_callable_works_group_by_group_and_keys_are_plain_python_values():
    judgments = Judgments.from_arrays([0, 0, 1, 1, 2, 2], [0, 1, 0, 1, 0, 1],
                                      [0, 0, 1, 0, 2, 2])
    result = by_group(lambda j: float(len(j)), judgments, np.array([7, 7, 9]))
    assert result == {7: 4.0, 9: 2.0}
    assert all(type(key) is int for key in result)


def test_a_partial_of_a_function_is_computed_through_its_item_terms():
    judgments = Judgments.from_arrays([0, 0, 1, 1, 2, 2], [0, 1, 0, 1, 0, 1],
                                      [0, 0, 1, 0, 2, 2])
    groups = np.array(["a", "a", "b"])
    assert by_group(partial(krippendorff_alpha, level="interval"), judgments, groups) == \
        pytest.approx(by_group(KrippendorffAlpha("interval"), judgments, groups), nan_ok=True)


def test_a_group_without_pairs_is_undefined():
    judgments = Judgments.from_arrays([0, 0, 1], [0, 1, 0], [1, 1, 0], n_categories=2)
    result = by_group(PercentAgreement(), judgments, ["x", "y"])
    assert result["x"] == 1.0 and np.isnan(result["y"])


def test_groups_must_name_one_group_per_item():
    judgments = Judgments.from_arrays([0, 1], [0, 0], [0, 1])
    with pytest.raises(ValueError, match=r"one entry per item \(2\)"):
        by_group(FleissKappa(), judgments, ["x"])
