"""Model-level Bradley-Terry ratings on an Elo-like scale, with bootstrap intervals.

Comparisons are first reduced to a count table, one row per pair of models: (first,
second, wins of first, wins of second, ties). Everything after that works on the table, whose
size is the number of model pairs, not the number of comparisons: a million comparisons
among twenty models fit in milliseconds.

Strengths are penalised Bradley & Terry (1952) maximum-likelihood estimates, ties counting
half a win to each side (:mod:`accord.quality.ranking.bradley_terry`). They are shown as
``base + scale / ln 10 * (theta - anchor)``, so that a gap of ``scale`` (400) points means
10:1 odds, as on the Elo scale and the Chatbot Arena leaderboard; ``anchor`` is the mean
strength of the compared models, or a reference model's strength.

Confidence intervals come from the bootstrap (Efron 1979) over comparisons: each replicate
draws as many comparisons as there were from the count table's cells, by one multinomial
draw (equivalent to resampling the comparisons themselves), and is fitted like the original.
All replicates are fitted together as one batch. The draws come from ``seed``, so the same
table and seed give the same intervals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from accord.quality.ranking.bradley_terry import fit_strengths
from accord.quality.reliability.incidence import as_ids, size_of
from accord.quality.reliability.pairs import TIE, oriented_pairs

MODEL_PRIOR = 0.01
"""Precision of the Gaussian prior on model strengths: negligible against hundreds of
comparisons, enough to keep an unbeaten model's strength finite."""
BASE, SCALE = 1000.0, 400.0


@dataclass(frozen=True)
class PairCounts:
    """One row per pair of models: wins of each side and ties (fractional counts allowed)."""

    first: NDArray[np.int64]
    second: NDArray[np.int64]
    wins_first: NDArray[np.float64]
    wins_second: NDArray[np.float64]
    ties: NDArray[np.float64]
    n_models: int

    @classmethod
    def of(cls, first: ArrayLike, second: ArrayLike, wins_first: ArrayLike,
           wins_second: ArrayLike, ties: ArrayLike, n_models: int | None = None) -> PairCounts:
        """A count table from its columns (as a SQL ``GROUP BY`` gives it), checked."""
        a = as_ids("first", first)
        b = as_ids("second", second, len(a), "first")
        columns = [np.asarray(c, dtype=np.float64).reshape(-1)
                   for c in (wins_first, wins_second, ties)]
        for name, column in zip(("wins_first", "wins_second", "ties"), columns, strict=True):
            if len(column) != len(a) or (column < 0).any() or not np.isfinite(column).all():
                raise ValueError(f"{name} must hold {len(a)} finite counts, none negative")
        same = np.flatnonzero(a == b)
        if len(same):
            raise ValueError(f"row {int(same[0])}: model {a[same[0]]} is compared with itself")
        n = max(size_of("first", "n_models", a, n_models),
                size_of("second", "n_models", b, n_models))
        return cls(a, b, *columns, n_models=n)

    def __len__(self) -> int:
        return len(self.first)

    def cells(self) -> NDArray[np.float64]:
        """All counts as one vector: every row's first wins, then second wins, then ties."""
        return np.concatenate([self.wins_first, self.wins_second, self.ties])

    def scatter(self) -> sparse.csr_array:
        """Maps :meth:`cells` onto a flat ``M x M`` win table (ties: half to each side)."""
        m, r = self.n_models, len(self)
        forward = self.first * m + self.second
        backward = self.second * m + self.first
        rows = np.concatenate([np.arange(r), r + np.arange(r), 2 * r + np.arange(r),
                               2 * r + np.arange(r)])
        columns = np.concatenate([forward, backward, forward, backward])
        values = np.concatenate([np.ones(2 * r), np.full(2 * r, 0.5)])
        return sparse.csr_array((values, (rows, columns)), shape=(3 * r, m * m))

    def win_table(self) -> NDArray[np.float64]:
        """``(M, M)``: ``[i, j]`` = wins of ``i`` over ``j``, each tie half a win to both."""
        return (self.cells() @ self.scatter()).reshape(self.n_models, self.n_models)

    def comparisons(self) -> NDArray[np.float64]:
        """How many comparisons each model took part in."""
        games = self.wins_first + self.wins_second + self.ties
        # numpy's stub types a bincount as intp, weights or not
        return (np.bincount(self.first, games, self.n_models)  # pyright: ignore[reportReturnType]
                + np.bincount(self.second, games, self.n_models))


def pair_counts(
    model_a: ArrayLike,
    model_b: ArrayLike,
    outcome: ArrayLike,
    n_models: int | None = None,
) -> PairCounts:
    """The count table of long comparisons, by one ``bincount`` over (pair, outcome) codes.

    One entry per comparison: the two models and the outcome, ``0`` (``model_a``
    preferred), ``1`` (``model_b`` preferred) or ``2`` (tie), the codes of
    :mod:`accord.quality.reliability.pairs`.
    """
    a = as_ids("model_a", model_a)
    b = as_ids("model_b", model_b, len(a), "model_a")
    outcomes = as_ids("outcome", outcome, len(a), "model_a")
    first, second, oriented = oriented_pairs(a, b, outcomes)
    m = max(size_of("model_a", "n_models", a, n_models),
            size_of("model_b", "n_models", b, n_models))
    cells = TIE + 1
    table = np.bincount((first * m + second) * cells + oriented, minlength=m * m * cells)
    table = table.reshape(m * m, cells).astype(np.float64)
    seen = np.flatnonzero(table.any(axis=1))
    return PairCounts(seen // m, seen % m, *table[seen].T, n_models=m)


@dataclass(frozen=True)
class ModelRatings:
    """Per model: strength, rating and its bootstrap interval (NaN for models never compared)."""

    strength: NDArray[np.float64]
    """Log-strength: P(``i`` beats ``j``) = sigmoid(strength[i] - strength[j])."""
    rating: NDArray[np.float64]
    """Elo-like rating: ``BASE`` at the anchor, ``SCALE`` points for 10:1 odds."""
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    """The bootstrap percentile interval of ``rating`` at the chosen level."""
    comparisons: NDArray[np.float64]
    """Comparisons each model took part in."""
    samples: NDArray[np.float64]
    """``(n_bootstrap, n_models)`` bootstrap ratings, anchored like ``rating``."""

    def win_probability(self, i: int, j: int) -> float:
        """The fitted probability that model ``i`` beats model ``j`` (ties as half wins)."""
        return float(1.0 / (1.0 + np.exp(self.strength[j] - self.strength[i])))


def _to_ratings(theta: NDArray[np.float64], compared: NDArray[np.bool_],
                anchor: int | None, base: float, scale: float) -> NDArray[np.float64]:
    """Strengths (rows of ``theta``) on the rating scale; uncompared models become NaN."""
    origin = theta[:, anchor] if anchor is not None else theta[:, compared].mean(axis=1)
    ratings = base + scale / np.log(10.0) * (theta - origin[:, None])
    ratings[:, ~compared] = np.nan
    return ratings


def _bootstrap_tables(counts: PairCounts, n_bootstrap: int, seed: int) -> NDArray[np.float64]:
    """``(n_bootstrap, M, M)`` win tables of multinomially resampled comparisons."""
    cells = counts.cells()
    total = cells.sum()
    draws = np.random.default_rng(seed).multinomial(round(total), cells / total,
                                                    size=n_bootstrap)
    flat = (counts.scatter().T @ draws.T.astype(np.float64)).T
    return flat.reshape(n_bootstrap, counts.n_models, counts.n_models)


def model_ratings(
    counts: PairCounts,
    *,
    anchor: int | None = None,
    prior: float = MODEL_PRIOR,
    n_bootstrap: int = 1000,
    level: float = 0.95,
    seed: int = 0,
    base: float = BASE,
    scale: float = SCALE,
) -> ModelRatings:
    """Bradley-Terry ratings of every model from its count table, with bootstrap intervals.

    ``anchor``: the model that sits at ``base``; by default the mean compared model does.
    ``n_bootstrap`` replicates (0 for none: the interval is then NaN) give the percentile
    interval at ``level``.
    """
    if not 0 < level < 1:
        raise ValueError(f"level is {level}: it must lie strictly between 0 and 1")
    compared = counts.comparisons() > 0
    if anchor is not None and not (0 <= anchor < counts.n_models and compared[anchor]):
        raise ValueError(f"anchor model {anchor} has no comparisons")
    theta = fit_strengths(counts.win_table()[None], prior)
    rating = _to_ratings(theta, compared, anchor, base, scale)[0]
    theta[:, ~compared] = np.nan
    samples = np.full((n_bootstrap, counts.n_models), np.nan)
    if n_bootstrap > 0 and compared.any():
        boot = fit_strengths(_bootstrap_tables(counts, n_bootstrap, seed), prior)
        samples = _to_ratings(boot, compared, anchor, base, scale)
    tail = 100 * (1 - level) / 2
    bounds = np.full((2, counts.n_models), np.nan)
    if n_bootstrap > 0:
        bounds[:, compared] = np.percentile(samples[:, compared], [tail, 100 - tail], axis=0)
    return ModelRatings(strength=theta[0], rating=rating, lower=bounds[0], upper=bounds[1],
                        comparisons=counts.comparisons(), samples=samples)
