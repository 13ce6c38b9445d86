"""Judgments in long form: validation that names the problem, and the counts built on them."""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.quality.agreement import Judgments, category_counts
from accord.quality.agreement.judgments import Cells, compact, within_group_pairs


def test_sizes_are_inferred_and_integer_values_are_categories():
    judgments = Judgments.from_arrays([0, 0, 2], [1, 3, 1], [2, 0, 1])
    assert (judgments.n_items, judgments.n_annotators, judgments.n_categories) == (3, 4, 3)
    assert not judgments.numeric
    assert len(judgments) == 3


def test_floating_point_values_are_numeric_with_their_distinct_values_as_domain():
    judgments = Judgments.from_arrays([0, 0, 1], [0, 1, 0], [2.5, 0.5, 2.5])
    assert judgments.numeric and judgments.n_categories is None
    assert judgments.domain.tolist() == [0.5, 2.5]
    assert judgments.code.tolist() == [1, 0, 1]


def test_given_sizes_leave_room_for_items_and_categories_without_judgments():
    judgments = Judgments.from_arrays([1], [0], [0], n_items=5, n_annotators=2, n_categories=4)
    assert category_counts(judgments).shape == (5, 4)


@pytest.mark.parametrize(("arrays", "sizes", "message"), [
    (([0, 1], [0], [0, 1]), {}, "annotator has 1 entries, but item has 2"),
    (([0.0, 1.0], [0, 1], [0, 1]), {}, "item must hold integers, got dtype float64"),
    (([0, 1], [0, -1], [0, 1]), {"n_annotators": 2}, "judgment 1: annotator -1 is outside 0..1"),
    (([0, 1], [0, 1], [0, 3]), {"n_categories": 3}, "judgment 1: value 3 is outside 0..2"),
    (([0, 3], [0, 1], [0, 1]), {"n_items": 3}, "judgment 1: item 3 is outside 0..2"),
    (([0, 1], [0, 1], [0.5, np.nan]), {}, "judgment 1: value nan is not finite"),
    (([2, 0, 2], [1, 1, 1], [0, 1, 1]), {}, "item 2 has more than one judgment by annotator 1"),
    (([[0, 1]], [[0, 1]], [[0, 1]]), {}, "item must be one-dimensional"),
    (([0], [0], ["yes"]), {}, "value must hold numbers"),
    (([0], [0], [0]), {"n_categories": -1}, "n_categories must be an integer >= 0"),
    (([0], [0], [0]), {"n_items": 1.5}, "n_items must be an integer >= 0"),
])
def test_invalid_judgments_are_refused_with_the_problem_named(arrays, sizes, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Judgments.from_arrays(*arrays, **sizes)


def test_a_judgments_built_directly_is_validated_too():
    with pytest.raises(ValueError, match=re.escape("value 2 is outside 0..1")):
        Judgments(np.array([0]), np.array([0]), np.array([2]), 1, 1, 2)


def test_no_judgments_at_all_is_valid_and_empty():
    judgments = Judgments.from_arrays(np.zeros(0, int), np.zeros(0, int), np.zeros(0, int))
    assert len(judgments) == 0 and judgments.n_items == 0


def test_category_counts_refuse_numeric_judgments():
    with pytest.raises(ValueError, match="categorical"):
        category_counts(Judgments.from_arrays([0], [0], [1.5]))


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 3)), max_size=40),
       st.sampled_from([7, 10**7]))
def test_cells_count_each_item_and_code(pairs, n_items):
    """A small table is counted by ``bincount``, a huge one (10**7 items) by sorting."""
    item = np.array([p[0] for p in pairs], dtype=np.int64)
    code = np.array([p[1] for p in pairs], dtype=np.int64)
    cells = Cells.tally(item, code, n_items, 4)
    expected = Counter(pairs)
    assert dict(zip(zip(cells.item.tolist(), cells.code.tolist(), strict=True),
                    cells.count.tolist(), strict=True)) == expected
    keys = cells.item * 4 + cells.code
    assert np.all(keys[1:] > keys[:-1])  # sorted by item, then code
    sizes = Counter(p[0] for p in pairs)
    assert cells.item_size[:7].tolist() == [sizes[i] for i in range(7)]


@given(st.lists(st.integers(0, 5), max_size=30))
def test_within_group_pairs_are_all_pairs_of_equal_neighbours(values):
    group = np.sort(np.array(values, dtype=np.int64))
    first, second = within_group_pairs(group)
    expected = [(i, j) for i, j in combinations(range(len(group)), 2) if group[i] == group[j]]
    assert sorted(zip(first.tolist(), second.tolist(), strict=True)) == expected


@given(st.lists(st.integers(0, 99), max_size=30), st.sampled_from([100, 10**9]))
def test_compact_numbers_distinct_keys_in_ascending_order(values, space):
    keys = np.array(values, dtype=np.int64) * (space // 100)
    distinct, index = compact(keys, space)
    assert distinct.tolist() == sorted(set(keys.tolist()))
    assert np.array_equal(distinct[index], keys)
