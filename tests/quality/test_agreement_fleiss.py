"""Fleiss' kappa equals statsmodels' on full tables, and generalises to unequal rater counts."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss_kappa

from accord.quality.agreement import FleissKappa, Judgments, category_counts, fleiss_kappa


@st.composite
def full_tables(draw):
    """Items x categories counts, every item rated by the same number of raters."""
    n_items, n_categories = draw(st.integers(1, 20)), draw(st.integers(2, 5))
    raters = draw(st.integers(2, 7))
    choices = draw(arrays(np.int64, (n_items, raters), elements=st.integers(0, n_categories - 1)))
    return np.stack([np.bincount(row, minlength=n_categories) for row in choices])


@settings(max_examples=100, deadline=None)
@given(full_tables())
def test_fleiss_kappa_equals_statsmodels_on_tables_with_equal_rater_counts(table):
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = statsmodels_fleiss_kappa(table)
    assert fleiss_kappa(table) == pytest.approx(expected, abs=1e-9, nan_ok=True)


@settings(max_examples=50, deadline=None)
@given(full_tables())
def test_a_sparse_table_and_long_judgments_give_the_same_kappa(table):
    item, category = np.nonzero(table)
    repeats = table[item, category]
    item, category = np.repeat(item, repeats), np.repeat(category, repeats)
    annotator = np.concatenate([np.arange(n) for n in table.sum(axis=1)])
    judgments = Judgments.from_arrays(item, annotator, category, n_items=len(table),
                                      n_categories=table.shape[1])
    assert np.array_equal(category_counts(judgments), table)
    expected = fleiss_kappa(table)
    assert fleiss_kappa(sp.csr_array(table)) == pytest.approx(expected, nan_ok=True)
    assert fleiss_kappa(judgments) == pytest.approx(expected, nan_ok=True)
    assert FleissKappa().item_terms(judgments).value() == pytest.approx(expected, nan_ok=True)


def test_unequal_rater_counts_average_each_items_own_agreement():
    """Item 0: 3 raters, all agree (P=1); item 1: 2 raters, disagree (P=0); item 2: one
    rating, ignored. P̄ = 1/2; shares (3+1)/5, 1/5 → P̄e = .68; κ = (.5 - .68)/(1 - .68)."""
    table = np.array([[3, 0], [1, 1], [0, 1]])
    assert fleiss_kappa(table) == pytest.approx((0.5 - 0.68) / (1 - 0.68))


def test_the_generalisation_reduces_to_fleiss_when_counts_are_equal():
    table = np.array([[2, 1, 0], [0, 3, 0], [1, 1, 1], [0, 0, 3]])
    assert fleiss_kappa(table) == pytest.approx(statsmodels_fleiss_kappa(table), abs=1e-12)


def test_perfect_agreement_gives_one_and_a_single_category_gives_nan():
    assert fleiss_kappa(np.array([[4, 0], [0, 4], [4, 0]])) == 1.0
    assert np.isnan(fleiss_kappa(np.array([[4, 0], [4, 0]])))


@pytest.mark.parametrize(("counts", "message"), [
    (np.array([1, 2, 3]), "items x categories table"),
    (np.array([[1, -1], [2, 0]]), "finite and non-negative"),
    (np.array([[1.0, np.nan]]), "finite and non-negative"),
])
def test_invalid_count_tables_are_refused(counts, message):
    with pytest.raises(ValueError, match=message):
        fleiss_kappa(counts)
