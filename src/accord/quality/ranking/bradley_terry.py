"""Bradley-Terry strengths for many small win tables at once, by damped Newton steps.

Bradley & Terry (1952): response (or model) ``i`` beats ``j`` with probability
``sigmoid(theta_i - theta_j)``. Given ``wins[b, i, j]``, the (possibly fractional) number of
times ``i`` beat ``j`` in problem ``b`` (a tie counts half a win to each side, as Elo
scoring and Chatbot Arena count it), the strengths maximise

    sum_ij wins_ij * log sigmoid(theta_i - theta_j) - prior / 2 * sum_i theta_i**2.

The Gaussian (L2) prior makes the maximum unique and finite even when a response won every
comparison or two responses were never compared, which unpenalised Bradley-Terry and
Hunter's (2004) MM algorithm cannot promise; it also fixes the scale's origin (strengths
centre on 0), so no constraint is needed. The objective is strictly concave, so Newton's
method with Armijo backtracking converges from 0 in a handful of steps, and every problem of
a batch takes its steps together: one batched ``solve`` of ``M x M`` systems per step.

Two responses (the common comparison) need no system: the prior is smallest, for a given gap
``d = theta_1 - theta_2``, at ``theta = (d/2, -d/2)``, so the problem is one-dimensional,

    w_12 * log sigmoid(d) + w_21 * log sigmoid(-d) - prior / 4 * d**2,

and its Newton steps are a few vector operations (``_fit_two``): the same maximum.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit

MAX_STEPS = 100
STEP_TOL = 1e-10
"""Stop once no strength moves by more than this in a Newton step."""
ARMIJO = 1e-4
"""Sufficient-increase constant of the backtracking line search."""
SLOPE_TOL = 1e-9
"""Below this Newton decrement (gradient . direction) a full step is taken unchecked."""


def log_likelihood(
    wins: NDArray[np.float64], theta: NDArray[np.float64], prior: float
) -> NDArray[np.float64]:
    """The penalised log-likelihood of each problem of the batch."""
    gaps = theta[:, :, None] - theta[:, None, :]
    log_p = -np.logaddexp(0.0, -gaps)
    return (wins * log_p).sum(axis=(1, 2)) - 0.5 * prior * (theta**2).sum(axis=1)


def newton_direction(
    wins: NDArray[np.float64], theta: NDArray[np.float64], prior: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The gradient and the Newton direction ``(-Hessian)^-1 @ gradient`` of each problem."""
    games = wins + wins.transpose(0, 2, 1)
    p = expit(theta[:, :, None] - theta[:, None, :])
    gradient = (wins - games * p).sum(axis=2) - prior * theta
    curvature = games * p * (1.0 - p)
    information = -curvature
    diagonal = np.arange(theta.shape[1])
    information[:, diagonal, diagonal] += curvature.sum(axis=2) + prior
    return gradient, np.linalg.solve(information, gradient[..., None])[..., 0]


def _backtrack(wins: NDArray[np.float64], theta: NDArray[np.float64], prior: float,
               direction: NDArray[np.float64], slope: NDArray[np.float64]) -> NDArray[np.float64]:
    """Step lengths (1, 1/2, 1/4, ...) that give each problem a sufficient increase."""
    step = np.ones(len(theta))
    # Near the maximum the gain of a full step is below rounding error: take it as it is.
    pending = np.flatnonzero(slope > SLOPE_TOL)
    current = log_likelihood(wins[pending], theta[pending], prior)
    for _ in range(60):
        trial = theta[pending] + step[pending, None] * direction[pending]
        short = log_likelihood(wins[pending], trial, prior) - current < (
            ARMIJO * step[pending] * slope[pending])
        pending, current = pending[short], current[short]
        if not len(pending):
            break
        step[pending] /= 2.0
    return step


def fit_strengths(wins: NDArray[np.float64], prior: float) -> NDArray[np.float64]:
    """Penalised Bradley-Terry log-strengths ``(B, M)`` of a batch of win tables ``(B, M, M)``.

    ``prior`` is the precision of the Gaussian prior on each strength; it must be positive.
    """
    if not prior > 0:
        raise ValueError(f"prior is {prior}: it must be positive")
    wins = np.asarray(wins, dtype=np.float64)
    if wins.ndim != 3 or wins.shape[1] != wins.shape[2]:
        raise ValueError(f"wins has shape {wins.shape}; expected (batch, M, M)")
    if (wins < 0).any():
        raise ValueError("wins must be non-negative")
    diagonal = np.arange(wins.shape[1])
    if wins[:, diagonal, diagonal].any():
        raise ValueError("wins has a response beating itself (a non-zero diagonal)")
    if wins.shape[1] == 2:
        gap = _fit_two(wins[:, 0, 1], wins[:, 1, 0], prior)
        return np.stack([gap / 2, -gap / 2], axis=1)
    theta = np.zeros(wins.shape[:2])
    active = np.arange(len(wins))
    for _ in range(MAX_STEPS):
        if not len(active):
            break
        gradient, direction = newton_direction(wins[active], theta[active], prior)
        slope = (gradient * direction).sum(axis=1)
        step = _backtrack(wins[active], theta[active], prior, direction, slope)
        moves = step[:, None] * direction
        theta[active] += moves
        active = active[np.abs(moves).max(axis=1, initial=0.0) > STEP_TOL]
    return theta


def _objective_two(won: NDArray[np.float64], lost: NDArray[np.float64],
                   gap: NDArray[np.float64], prior: float) -> NDArray[np.float64]:
    return (-won * np.logaddexp(0.0, -gap) - lost * np.logaddexp(0.0, gap)
            - 0.25 * prior * gap**2)


def _fit_two(won: NDArray[np.float64], lost: NDArray[np.float64],
             prior: float) -> NDArray[np.float64]:
    """The maximising gap ``theta_1 - theta_2`` of two-response problems, by damped Newton
    steps in one dimension (the objective is strictly concave)."""
    gap = np.zeros(len(won))
    active = np.arange(len(won))
    for _ in range(MAX_STEPS):
        if not len(active):
            break
        d, w, lo = gap[active], won[active], lost[active]
        p = expit(d)
        gradient = w - (w + lo) * p - 0.5 * prior * d
        information = (w + lo) * p * (1.0 - p) + 0.5 * prior
        direction = gradient / information
        step = np.ones(len(active))
        pending = np.flatnonzero(gradient * direction > SLOPE_TOL)
        current = _objective_two(w[pending], lo[pending], d[pending], prior)
        for _ in range(60):
            if not len(pending):
                break
            trial = d[pending] + step[pending] * direction[pending]
            short = _objective_two(w[pending], lo[pending], trial, prior) - current < (
                ARMIJO * step[pending] * (gradient * direction)[pending])
            pending, current = pending[short], current[short]
            step[pending] /= 2.0
        moves = step * direction
        gap[active] = d + moves
        # theta moves by half the gap's move
        active = active[np.abs(moves) / 2 > STEP_TOL]
    return gap
