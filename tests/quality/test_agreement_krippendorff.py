"""Krippendorff's alpha from per-item value counts equals the ``krippendorff`` package."""

from __future__ import annotations

import warnings
from functools import partial

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.quality.agreement import Judgments, KrippendorffAlpha, krippendorff_alpha

LEVELS = ["nominal", "ordinal", "interval", "ratio"]


@st.composite
def reliability_tables(draw):
    """An annotators x items table with missing values (NaN): the package's input."""
    n_annotators, n_items = draw(st.integers(2, 6)), draw(st.integers(1, 15))
    values = draw(st.sampled_from([
        st.integers(0, 2), st.integers(1, 7), st.sampled_from([0.5, 1.25, 3.0, 10.0]),
        st.floats(0, 100, allow_nan=False, allow_subnormal=False),
    ]))
    cells = st.one_of(st.none(), values)
    rows = draw(st.lists(st.lists(cells, min_size=n_items, max_size=n_items),
                         min_size=n_annotators, max_size=n_annotators))
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


def long_form(table: np.ndarray) -> Judgments:
    annotator, item = np.nonzero(~np.isnan(table))
    return Judgments.from_arrays(item, annotator, table[annotator, item],
                                 n_items=table.shape[1], n_annotators=table.shape[0])


def package_alpha(table: np.ndarray, level: str) -> float:
    """The package's alpha, NaN where it refuses (one value, no pairable item) or divides 0/0."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(krippendorff.alpha(reliability_data=table, level_of_measurement=level))
        except ValueError:
            return float("nan")


@settings(max_examples=150, deadline=None)
@given(reliability_tables(), st.sampled_from(LEVELS))
def test_alpha_equals_the_krippendorff_package_with_missing_values(table, level):
    ours = krippendorff_alpha(long_form(table), level)
    expected = package_alpha(table, level)
    if np.isnan(expected):
        assert np.isnan(ours)
    else:
        assert ours == pytest.approx(expected, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(reliability_tables(), st.sampled_from(LEVELS))
def test_categorical_and_numeric_forms_of_the_same_labels_agree(table, level):
    """Small integer labels as categories 0..C-1 or as numbers: the same alpha."""
    if not np.all(np.isnan(table) | (table == np.round(table))):
        table = np.round(table)
    numeric = long_form(table)
    categorical = Judgments.from_arrays(numeric.item, numeric.annotator,
                                        numeric.value.astype(np.int64),
                                        n_items=numeric.n_items,
                                        n_annotators=numeric.n_annotators,
                                        n_categories=int(np.nanmax(table, initial=0)) + 1)
    assert krippendorff_alpha(categorical, level) == pytest.approx(
        krippendorff_alpha(numeric, level), abs=1e-9, nan_ok=True)


def test_a_single_judgment_per_item_leaves_alpha_undefined():
    judgments = Judgments.from_arrays([0, 1, 2], [0, 1, 0], [0, 1, 2])
    assert all(np.isnan(krippendorff_alpha(judgments, level)) for level in LEVELS)


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError, match="level must be one of nominal, ordinal"):
        KrippendorffAlpha("cardinal")


def test_ordinal_alpha_uses_mid_ranks_so_it_ignores_the_spacing_of_values():
    """Ordinal alpha depends on order only: stretching the scale changes interval alpha,
    not ordinal alpha (Krippendorff 2011's ordinal metric)."""
    item = np.array([0, 0, 1, 1, 2, 2, 3, 3])
    annotator = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    value = np.array([1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 4.0, 4.0])
    stretched = np.where(value == 4.0, 40.0, value)
    close = Judgments.from_arrays(item, annotator, value)
    far = Judgments.from_arrays(item, annotator, stretched)
    assert krippendorff_alpha(close, "ordinal") == pytest.approx(
        krippendorff_alpha(far, "ordinal"))
    assert krippendorff_alpha(close, "interval") != pytest.approx(
        krippendorff_alpha(far, "interval"))


@settings(max_examples=40, deadline=None)
@given(reliability_tables(), st.sampled_from(LEVELS))
def test_function_object_and_partial_forms_agree(table, level):
    judgments = long_form(table)
    expected = krippendorff_alpha(judgments, level)
    assert KrippendorffAlpha(level)(judgments) == pytest.approx(expected, nan_ok=True)
    assert partial(krippendorff_alpha, level=level)(judgments) == pytest.approx(
        expected, nan_ok=True)
