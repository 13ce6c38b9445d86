"""Logistic regression on one covariate, fitted for every group at once by Newton-Raphson.

For each group ``g`` the model is ``P(y = 1) = sigmoid(a_g + b_g x)`` (or ``sigmoid(b_g x)``
without an intercept), fitted by maximum likelihood with Newton-Raphson steps — for the
logistic model the same iteration as IRLS (McCullagh & Nelder, *Generalized Linear Models*,
2nd ed., §4.4). The gradient and the 2x2 Hessian of every group are sums over its rows, so
one iteration is a handful of :func:`numpy.bincount` calls over all rows, and the 2x2
systems are solved in closed form: no Python loop over groups, no design matrix. Groups
whose Hessian is singular (too few rows, no spread in ``x``) or whose fit does not converge
(separable data, where the estimate runs off to infinity) get NaN.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

DIVERGED = 40.0
"""An estimate past this (a probability within e⁻⁴⁰ of 0 or 1) is separation, not a fit."""


@dataclass(frozen=True)
class LogisticFit:
    """Per group: the estimates and the slope's standard error (NaN where not fitted)."""

    intercept: NDArray[np.float64]
    """``a_g``; NaN when fitted without an intercept."""
    slope: NDArray[np.float64]
    slope_se: NDArray[np.float64]
    """From the inverse of the observed information at the estimate."""
    converged: NDArray[np.bool_]


def grouped_logistic(
    group: NDArray[np.intp],
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    n_groups: int,
    *,
    intercept: bool = True,
    max_iter: int = 30,
    tol: float = 1e-9,
) -> LogisticFit:
    """Fit ``y ~ sigmoid(a + b x)`` separately in each group ``0 … n_groups-1``.

    A group stops stepping once it has converged, diverged or met a singular Hessian, and
    once at least half of the rows belong to stopped groups the rows still stepping are
    taken apart: a separated group (one annotator whose every choice the covariate
    explains) creeps toward ``DIVERGED`` for many steps, and those steps then cost its own
    rows only.
    """
    a, b = np.zeros(n_groups), np.zeros(n_groups)
    h00, h01, h11 = np.zeros(n_groups), np.zeros(n_groups), np.zeros(n_groups)
    converged = np.zeros(n_groups, dtype=bool)
    stopped = np.zeros(n_groups, dtype=bool)
    rows_group, rows_x, rows_y = group, x, y

    def sums(weights: NDArray[np.float64]) -> NDArray[np.float64]:
        if n_groups == 1:
            return np.array([weights.sum()])
        return np.bincount(  # pyright: ignore[reportReturnType]  # numpy's stub: intp
            rows_group, weights=weights, minlength=n_groups)

    for _ in range(max_iter):
        live = ~stopped
        eta = b[rows_group] * rows_x
        if intercept:
            eta += a[rows_group]
        p = expit(eta)
        residual, weight = rows_y - p, p * (1.0 - p)
        weighted_x = weight * rows_x
        g1, s11 = sums(residual * rows_x), sums(weighted_x * rows_x)
        h11 = np.where(live, s11, h11)
        if intercept:
            g0, s00, s01 = sums(residual), sums(weight), sums(weighted_x)
            h00, h01 = np.where(live, s00, h00), np.where(live, s01, h01)
            with np.errstate(divide="ignore", invalid="ignore"):
                det = s00 * s11 - s01 * s01
                da, db = (s11 * g0 - s01 * g1) / det, (s00 * g1 - s01 * g0) / det
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                da, db = np.zeros(n_groups), g1 / s11
        step = live & np.isfinite(da) & np.isfinite(db)
        a, b = np.where(step, a + da, a), np.where(step, b + db, b)
        with np.errstate(invalid="ignore"):
            small = np.maximum(np.abs(da) / (1 + np.abs(a)), np.abs(db) / (1 + np.abs(b))) < tol
        converged |= step & small
        diverging = (np.abs(a) > DIVERGED) | (np.abs(b) > DIVERGED)
        stopped |= converged | (live & ~step) | diverging
        if stopped.all():
            break
        if n_groups > 1:
            moving = ~stopped[rows_group]
            if moving.sum() * 2 <= len(moving):
                rows_group, rows_x, rows_y = (rows_group[moving], rows_x[moving],
                                              rows_y[moving])
    diverging = (np.abs(a) > DIVERGED) | (np.abs(b) > DIVERGED)
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = h00 / (h00 * h11 - h01 * h01) if intercept else 1.0 / h11
    fitted = converged & ~diverging & (variance > 0)
    nan = np.full(n_groups, np.nan)
    return LogisticFit(
        intercept=np.where(fitted, a, nan) if intercept else nan,
        slope=np.where(fitted, b, nan),
        slope_se=np.where(fitted, np.sqrt(np.where(fitted, variance, 0.0)), nan),
        converged=fitted,
    )
