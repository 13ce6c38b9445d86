"""Length-bias monitor: longer-wins rates against a length-matched baseline, and the logistic
length slope, checked against hand counts, exact binomial tests and statsmodels' Logit."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from scipy.stats import binomtest

from accord.quality.monitors import length_bias
from accord.quality.monitors.logistic import grouped_logistic


def test_the_longer_wins_rate_counts_unequal_non_tie_pairs():
    #  annotator 0: longer won, longer won, shorter won, longer won, a tie, an equal-length pair
    result = length_bias(
        [0, 0, 0, 0, 0, 0], [200, 300, 100, 500, 900, 400], [100, 100, 200, 400, 100, 400],
        tie=[False, False, False, False, True, False],
    )
    assert result.pairs.tolist() == [4]
    assert result.longer_wins.tolist() == [3]
    assert result.longer_win_rate.tolist() == [0.75]
    assert result.baseline_rate.tolist() == [0.5]
    assert result.p_value[0] == pytest.approx(binomtest(3, 4, 0.5, "greater").pvalue)


def test_the_baseline_is_the_other_annotators_rate_on_the_same_pair():
    # pair 0: annotators 0 and 1 chose the longer response, annotator 2 the shorter.
    # pair 1: only annotator 0 judged it, so their baseline there is 1/2.
    result = length_bias([0, 1, 2, 0], [20, 20, 10, 50], [10, 10, 20, 40], pair=[0, 0, 0, 1])
    assert result.baseline_rate == pytest.approx([(0.5 + 0.5) / 2, 0.5, 1.0])
    assert result.longer_win_rate.tolist() == [1.0, 1.0, 0.0]


def test_an_annotator_far_over_the_baseline_is_flagged_with_their_rate():
    rng = np.random.default_rng(3)
    n = 400
    who = np.repeat([0, 1], n)
    longer = rng.lognormal(6, 0.3, 2 * n) + 50
    shorter = longer - rng.uniform(1, 50, 2 * n)
    longer_won = rng.random(2 * n) < np.where(who == 1, 0.8, 0.5)
    winner = np.where(longer_won, longer, shorter)
    loser = np.where(longer_won, shorter, longer)
    result = length_bias(who, winner, loser)
    (alert,) = [a for a in result.alerts if a.annotator is not None]
    assert alert.annotator == 1
    assert alert.statistic == pytest.approx(result.longer_win_rate[1])
    assert alert.threshold == pytest.approx(0.6)


def test_a_small_excess_is_not_flagged_however_significant():
    rng = np.random.default_rng(4)
    n = 200_000
    longer_won = rng.random(n) < 0.55
    result = length_bias(np.zeros(n, int), np.where(longer_won, 2, 1), np.where(longer_won, 1, 2))
    assert result.p_value[0] < 1e-10
    assert result.alerts == []


def _logit_data(rng, groups: int, n: int):
    group = np.repeat(np.arange(groups), n)
    x = rng.normal(size=groups * n)
    a, b = rng.normal(0, 0.5, groups), rng.normal(0.8, 0.5, groups)
    y = (rng.random(groups * n) < 1 / (1 + np.exp(-(a[group] + b[group] * x)))).astype(float)
    return group, x, y


def test_the_grouped_fit_equals_statsmodels_logit_in_every_group():
    rng = np.random.default_rng(11)
    group, x, y = _logit_data(rng, groups=5, n=300)
    fit = grouped_logistic(group, x, y, 5)
    for g in range(5):
        rows = group == g
        reference = sm.Logit(y[rows], sm.add_constant(x[rows])).fit(disp=0)
        assert [fit.intercept[g], fit.slope[g]] == pytest.approx(reference.params, abs=1e-7)
        assert fit.slope_se[g] == pytest.approx(reference.bse[1], rel=1e-6)


def test_the_fit_without_intercept_equals_statsmodels_logit_without_constant():
    rng = np.random.default_rng(12)
    group, x, y = _logit_data(rng, groups=3, n=200)
    fit = grouped_logistic(group, x, y, 3, intercept=False)
    for g in range(3):
        rows = group == g
        reference = sm.Logit(y[rows], x[rows][:, None]).fit(disp=0)
        assert fit.slope[g] == pytest.approx(reference.params[0], abs=1e-7)
        assert fit.slope_se[g] == pytest.approx(reference.bse[0], rel=1e-6)
    assert np.isnan(fit.intercept).all()


def test_separable_or_empty_groups_are_not_fitted():
    x = np.array([-2.0, -1.0, 1.0, 2.0, 0.5, -0.5, 1.5, -1.5])
    y = np.array([0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0])
    group = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    fit = grouped_logistic(group, x, y, 3)
    assert not fit.converged[0] and np.isnan(fit.slope[0])  # y = (x > 0): separable
    assert fit.converged[1] and np.isfinite(fit.slope[1])
    assert not fit.converged[2] and np.isnan(fit.slope[2])  # no rows


def test_the_length_slope_is_logit_of_first_shown_winning_on_standardised_difference():
    rng = np.random.default_rng(13)
    n = 600
    who = rng.integers(0, 2, n)
    first_len, second_len = rng.lognormal(6, 0.5, n), rng.lognormal(6, 0.5, n)
    z = (first_len - second_len) / np.sqrt(np.mean((first_len - second_len) ** 2))
    first_won = rng.random(n) < 1 / (1 + np.exp(-(0.3 + np.where(who == 1, 1.5, 0.2) * z)))
    winner = np.where(first_won, first_len, second_len)
    loser = np.where(first_won, second_len, first_len)
    result = length_bias(who, winner, loser, winner_first=first_won)
    assert result.length_scale == pytest.approx(np.sqrt(np.mean((first_len - second_len) ** 2)))
    for g in range(2):
        rows = who == g
        reference = sm.Logit(first_won[rows].astype(float), sm.add_constant(z[rows])).fit(disp=0)
        assert [result.intercept[g], result.slope[g]] == pytest.approx(reference.params, abs=1e-7)
    pooled = sm.Logit(first_won.astype(float), sm.add_constant(z)).fit(disp=0)
    assert [result.overall_intercept, result.overall_slope] == pytest.approx(pooled.params,
                                                                             abs=1e-7)


def test_the_pool_preferring_length_raises_an_informational_alert():
    n = 1_000
    longer_won = np.arange(n) % 10 < 8  # 80 % of pairs, for everyone
    who = np.arange(n) % 4
    result = length_bias(who, np.where(longer_won, 9, 3), np.where(longer_won, 3, 9))
    pool = [a for a in result.alerts if a.annotator is None]
    assert len(pool) == 1 and pool[0].severity == "info"
    assert result.overall_longer_win_rate == pytest.approx(0.8)
