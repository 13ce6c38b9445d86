"""Model-level Bradley-Terry ratings: planted strengths, reference fits, bootstrap intervals."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import expit

from accord.quality.ranking import PairCounts, fit_strengths, model_ratings, pair_counts
from accord.quality.ranking.ratings import MODEL_PRIOR


def arena(strengths, n=60_000, tie_rate=0.1, seed=0):
    """Comparisons between random pairs of models whose true log-strengths are planted."""
    rng = np.random.default_rng(seed)
    strengths = np.asarray(strengths)
    m = len(strengths)
    a = rng.integers(0, m, n)
    b = (a + rng.integers(1, m, n)) % m
    first_wins = rng.random(n) < expit(strengths[a] - strengths[b])
    outcome = np.where(rng.random(n) < tie_rate, 2, np.where(first_wins, 0, 1))
    return a, b, outcome


PLANTED = np.linspace(-2.0, 2.0, 12)[np.random.default_rng(3).permutation(12)]


def test_planted_strengths_come_back_in_their_order():
    ratings = model_ratings(pair_counts(*arena(PLANTED)), n_bootstrap=200)
    np.testing.assert_array_equal(np.argsort(ratings.rating), np.argsort(PLANTED))
    assert (ratings.lower < ratings.rating).all() and (ratings.rating < ratings.upper).all()


def test_without_ties_the_planted_strengths_themselves_come_back():
    ratings = model_ratings(pair_counts(*arena(PLANTED, n=200_000, tie_rate=0.0)),
                            n_bootstrap=0)
    np.testing.assert_allclose(ratings.strength - ratings.strength.mean(),
                               PLANTED - PLANTED.mean(), atol=0.05)


def reference_fit(counts: PairCounts, prior: float) -> np.ndarray:
    """The same objective as Accord's, written row by row and maximised by scipy (BFGS)."""
    wins_a = counts.wins_first + counts.ties / 2
    wins_b = counts.wins_second + counts.ties / 2

    def negative(theta):
        gap = theta[counts.first] - theta[counts.second]
        value = (wins_a * np.logaddexp(0, -gap) + wins_b * np.logaddexp(0, gap)).sum()
        slope = wins_a * (1 - expit(gap)) - wins_b * expit(gap)
        gradient = -(np.bincount(counts.first, slope, counts.n_models)
                     - np.bincount(counts.second, slope, counts.n_models))
        return value + prior / 2 * theta @ theta, gradient + prior * theta

    fit = minimize(negative, np.zeros(counts.n_models), jac=True, method="BFGS",
                   options={"gtol": 1e-10})
    return fit.x


@pytest.mark.parametrize("prior", [MODEL_PRIOR, 1.0])
def test_strengths_agree_with_a_straightforward_scipy_fit(prior):
    counts = pair_counts(*arena(PLANTED, n=5_000, seed=1))
    ours = model_ratings(counts, prior=prior, n_bootstrap=0).strength
    np.testing.assert_allclose(ours, reference_fit(counts, prior), atol=1e-6)


def hunter_mm(wins: np.ndarray, steps: int = 20_000) -> np.ndarray:
    """Unpenalised maximum likelihood by Hunter's (2004) MM iteration, log-strengths."""
    games = wins + wins.T
    gamma = np.ones(len(wins))
    for _ in range(steps):
        gamma = wins.sum(axis=1) / (games / (gamma[:, None] + gamma[None, :])).sum(axis=1)
        gamma /= np.exp(np.log(gamma).mean())
    return np.log(gamma)


def test_a_vanishing_prior_gives_hunters_maximum_likelihood():
    counts = pair_counts(*arena(PLANTED[:6], n=3_000, seed=2))
    ours = fit_strengths(counts.win_table()[None], prior=1e-9)[0]
    np.testing.assert_allclose(ours - ours.mean(), hunter_mm(counts.win_table()), atol=1e-5)


def test_ratings_are_on_the_elo_scale():
    ratings = model_ratings(pair_counts(*arena(PLANTED[:5])), n_bootstrap=0)
    assert ratings.rating.mean() == pytest.approx(1000.0)
    gap = ratings.rating[0] - ratings.rating[1]
    assert ratings.win_probability(0, 1) == pytest.approx(1 / (1 + 10 ** (-gap / 400)))
    anchored = model_ratings(pair_counts(*arena(PLANTED[:5])), anchor=2, n_bootstrap=0)
    assert anchored.rating[2] == pytest.approx(1000.0)
    np.testing.assert_allclose(np.diff(anchored.rating), np.diff(ratings.rating))


def test_the_bootstrap_is_deterministic_for_a_seed():
    counts = pair_counts(*arena(PLANTED[:6], n=4_000))
    first = model_ratings(counts, n_bootstrap=100, seed=7)
    again = model_ratings(counts, n_bootstrap=100, seed=7)
    other = model_ratings(counts, n_bootstrap=100, seed=8)
    np.testing.assert_array_equal(first.samples, again.samples)
    np.testing.assert_array_equal(first.lower, again.lower)
    assert not np.array_equal(first.samples, other.samples)


def test_intervals_narrow_as_comparisons_grow():
    small = model_ratings(pair_counts(*arena(PLANTED[:6], n=2_000)), n_bootstrap=300)
    large = model_ratings(pair_counts(*arena(PLANTED[:6], n=50_000)), n_bootstrap=300)
    assert ((large.upper - large.lower) < (small.upper - small.lower) / 3).all()


def test_an_unbeaten_model_is_finite_and_an_unseen_one_is_nan():
    counts = PairCounts.of(first=[0, 1], second=[1, 2], wins_first=[10, 3],
                           wins_second=[0, 4], ties=[0, 1], n_models=4)
    ratings = model_ratings(counts, n_bootstrap=50)
    assert np.isfinite(ratings.rating[:3]).all() and ratings.rating[0] == np.nanmax(ratings.rating)
    assert np.isnan([ratings.rating[3], ratings.lower[3], ratings.strength[3]]).all()
    np.testing.assert_array_equal(ratings.comparisons, [10, 18, 8, 0])


def test_pair_counts_tally_each_pair_whichever_way_round():
    a, b, outcome = arena(PLANTED[:4], n=3_000, seed=5)
    counts = pair_counts(a, b, outcome)
    naive = Counter()
    for x, y, o in zip(a, b, outcome, strict=True):
        lo, hi = min(x, y), max(x, y)
        side = 2 if o == 2 else (0 if (o == 0) == (x == lo) else 1)
        naive[lo, hi, side] += 1
    for row in range(len(counts)):
        key = (counts.first[row], counts.second[row])
        assert [counts.wins_first[row], counts.wins_second[row], counts.ties[row]] == [
            naive[(*key, side)] for side in range(3)]
    assert len(counts) == 6 and counts.cells().sum() == 3_000


@pytest.mark.parametrize(("columns", "message"), [
    (([0], [0], [1], [1], [0]), "model 0 is compared with itself"),
    (([0], [1], [-1], [1], [0]), "wins_first must hold 1 finite counts"),
])
def test_a_bad_count_table_is_refused(columns, message):
    with pytest.raises(ValueError, match=message):
        PairCounts.of(*columns)


def test_an_anchor_without_comparisons_is_refused():
    counts = PairCounts.of([0], [1], [1], [1], [0], n_models=3)
    with pytest.raises(ValueError, match="anchor model 2 has no comparisons"):
        model_ratings(counts, anchor=2)
