"""What every monitor takes: errors that name the argument and the entry, and the tests
behind the alerts checked against SciPy's and statsmodels' own."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from accord.quality.monitors import Alert, fatigue, length_bias, over_refusal, position_bias
from accord.quality.monitors.significance import (
    binomial_greater,
    binomial_two_sided_half,
    bonferroni,
)


def test_a_negative_annotator_index_is_named_with_its_entry():
    with pytest.raises(ValueError, match=r"annotator\[1\] is -1"):
        over_refusal([0, -1], [True, True], [False, False])


def test_an_index_past_the_pool_is_refused():
    with pytest.raises(ValueError, match=r"annotator\[0\] is 3, outside 0 … 1"):
        over_refusal([3], [True], [False], n_annotators=2)


def test_annotator_ids_must_be_integer_indices():
    with pytest.raises(ValueError, match="annotator must hold integer indices"):
        over_refusal([0.5], [True], [False])


def test_arrays_of_different_lengths_are_refused_by_name():
    with pytest.raises(ValueError, match="loser_length has 1 entries, expected 2"):
        length_bias([0, 1], [10, 20], [5])


def test_a_missing_number_is_refused_not_read_as_zero():
    with pytest.raises(ValueError, match=r"active_ms\[1\] is not a number"):
        fatigue([0, 0], [1.0, 2.0], [1000.0, np.nan])


def test_a_missing_time_is_refused():
    stamps = np.array(["2025-01-01T00:00", "NaT"], dtype="datetime64[m]")
    with pytest.raises(ValueError, match=r"created_at\[1\] is not a time"):
        fatigue([0, 0], stamps, [1000, 1000])


def test_alerts_are_values():
    one = Alert("position_bias", 3, "warning", 0.2, 0.1, "m")
    assert one == Alert("position_bias", 3, "warning", 0.2, 0.1, "m")
    with pytest.raises(AttributeError):
        one.severity = "info"  # type: ignore[misc]


@given(st.integers(0, 60), st.integers(0, 60), st.floats(0.01, 0.99))
def test_the_one_sided_binomial_p_value_is_scipys(k, extra, p):
    n = k + extra
    expected = binomtest(k, n, p, "greater").pvalue if n else 1.0
    assert binomial_greater(k, n, p) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@given(st.integers(0, 80), st.integers(0, 80))
def test_the_two_sided_binomial_p_value_is_scipys(k, extra):
    n = k + extra
    expected = binomtest(k, n, 0.5).pvalue if n else 1.0
    assert binomial_two_sided_half(k, n) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_bonferroni_divides_by_the_tests_made():
    assert bonferroni(0.01, 10) == pytest.approx(0.001)
    assert bonferroni(0.01, 0) == 0.01


def test_every_monitor_accepts_an_empty_pool():
    empty = np.zeros(0, int)
    assert position_bias(empty, empty, empty).alerts == []
    assert length_bias(empty, empty, empty).overall_pairs == 0
