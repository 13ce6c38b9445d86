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
    """Fit ``y ~ sigmoid(a + b x)`` separately in each group ``0 … n_groups-1``."""
    a, b = np.zeros(n_groups), np.zeros(n_groups)
    converged = diverging = np.zeros(n_groups, dtype=bool)
    h00 = h01 = h11 = np.zeros(n_groups)

    def sums(weights: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.bincount(group, weights=weights, minlength=n_groups)

    for _ in range(max_iter):
        eta = b[group] * x
        if intercept:
            eta += a[group]
        p = expit(eta)
        residual, weight = y - p, p * (1.0 - p)
        weighted_x = weight * x
        g1, h11 = sums(residual * x), sums(weighted_x * x)
        if intercept:
            g0, h00, h01 = sums(residual), sums(weight), sums(weighted_x)
            with np.errstate(divide="ignore", invalid="ignore"):
                det = h00 * h11 - h01 * h01
                da, db = (h11 * g0 - h01 * g1) / det, (h00 * g1 - h01 * g0) / det
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                da, db = np.zeros(n_groups), g1 / h11
        step = np.isfinite(da) & np.isfinite(db)
        a, b = np.where(step, a + da, a), np.where(step, b + db, b)
        small = np.maximum(np.abs(da) / (1 + np.abs(a)), np.abs(db) / (1 + np.abs(b))) < tol
        converged = step & small
        diverging = (np.abs(a) > DIVERGED) | (np.abs(b) > DIVERGED)
        if np.all(converged | ~step | diverging):
            break
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
