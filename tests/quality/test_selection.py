"""Active selection's measures: what one more label of a pair is worth, in [0, 1]."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import beta

from accord.quality.selection import (
    indifference,
    posterior_uncertainty,
    priorities,
    split_share,
)


def test_indifference_is_highest_where_the_model_cannot_tell():
    assert indifference([0.5, 0.75, 0.0, 1.0]).tolist() == [1.0, 0.5, 0.0, 0.0]
    assert np.isnan(indifference([np.nan])[0])


def test_split_share_is_one_for_an_even_split_and_zero_for_unanimity_or_no_votes():
    assert split_share([1, 3, 2, 0], [1, 0, 1, 0]).tolist() == pytest.approx([1, 0, 2 / 3, 0])


@pytest.mark.parametrize(("a", "b"), [(0, 0), (3, 0), (2, 1), (5, 4), (0.5, 1.5)])
def test_posterior_uncertainty_is_the_beta_posteriors_chance_the_leader_is_behind(a, b):
    below = beta.cdf(0.5, 1 + a, 1 + b)
    assert posterior_uncertainty([a], [b])[0] == pytest.approx(2 * min(below, 1 - below))


def test_more_unanimous_votes_mean_less_uncertainty():
    values = posterior_uncertainty([0, 1, 2, 3], [0, 0, 0, 0])
    assert np.all(np.diff(values) < 0)


def test_priorities_are_integers_with_no_signal_last():
    assert priorities([1.0, 0.5004, np.nan, 0.0]).tolist() == [1000, 500, 0, 0]
