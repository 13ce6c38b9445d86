"""Means and medians within groups equal NumPy's, group by group, on both sorting paths."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from accord.quality.grouped import group_means, group_medians

N_GROUPS = 6


def per_group(statistic, group, values) -> list[float]:
    return [float(statistic(values[group == g])) if (group == g).any() else float("nan")
            for g in range(N_GROUPS)]


entries = st.lists(st.tuples(st.integers(0, N_GROUPS - 2),  # the last group stays empty
                             st.one_of(st.integers(0, 10**6),  # whole milliseconds: packed keys
                                       st.floats(-1e6, 1e6))),  # anything else: a lexsort
                   max_size=60)


@given(entries)
def test_medians_and_means_are_numpys_and_an_empty_group_has_none(rows):
    group = np.array([g for g, _ in rows], dtype=np.intp)
    values = np.array([v for _, v in rows], dtype=np.float64)
    np.testing.assert_allclose(group_medians(group, values, N_GROUPS),
                               per_group(np.median, group, values), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(group_means(group, values, N_GROUPS),
                               per_group(np.mean, group, values), rtol=1e-9, atol=1e-6)
    assert np.isnan(group_medians(group, values, N_GROUPS)[-1])
