"""Win rates against a reference, as the AlpacaEval leaderboard computes them.

A preference is in ``[1, 2]``: 1 means the reference output won, 2 that the evaluated model
won, 1.5 a draw; a judge that weighs its verdict by its token probabilities (AlpacaEval 2's
``weighted_alpaca_eval_gpt4_turbo``) gives values in between. From preferences ``p``
(Dubois et al. 2024, AlpacaEval's ``get_winrate``):

- ``win_rate`` = mean(p - 1) x 100: the soft (expected) win rate;
- ``standard_error`` = the standard error of that mean, sample standard deviation
  (``ddof=1``, pandas' ``sem``) of ``p - 1`` over sqrt(n), x 100;
- ``n_wins``: p > 1.5; ``n_wins_base``: p < 1.5; ``n_draws``: p exactly 1.5;
  ``n_total``: all counted preferences (so the three add up to it);
- ``discrete_win_rate`` = (n_wins + n_draws / 2) / n_total x 100: the win rate once every
  soft preference is rounded to its side.

Missing preferences (NaN, None: the judge gave no verdict) are left out of every figure, as
AlpacaEval drops them; ``0``, the draw of AlpacaEval 1's encoding, counts as 1.5. Any other
value outside ``[1, 2]`` is an error here, where AlpacaEval would drop it with a log line.
These rules reproduce the published leaderboard's columns to all printed digits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

DRAW = 1.5
LEGACY_DRAW = 0.0


@dataclass(frozen=True)
class WinRate:
    """The AlpacaEval leaderboard columns of one model against the reference."""

    win_rate: float
    standard_error: float
    n_wins: int
    n_wins_base: int
    n_draws: int
    n_total: int
    discrete_win_rate: float


def counted_preferences(preference: ArrayLike) -> np.ndarray:
    """The preferences that count: missing ones dropped, legacy draws (0) made 1.5."""
    values = np.asarray(preference, dtype=np.float64).reshape(-1)
    values = np.where(values == LEGACY_DRAW, DRAW, values)
    outside = np.flatnonzero(~np.isnan(values) & ((values < 1.0) | (values > 2.0)))
    if len(outside):
        i = int(outside[0])
        raise ValueError(f"preference[{i}] is {values[i]}: preferences lie in [1, 2] "
                         "(0 for a draw, NaN when missing)")
    return values[~np.isnan(values)]


def win_rate(preference: ArrayLike) -> WinRate:
    """AlpacaEval's win rate, its standard error and the win/loss/draw counts.

    ``preference``: one value per instruction, in ``[1, 2]`` (2: the model won), NaN or
    None when missing. With no counted preference the rates are NaN; with one, the standard
    error is NaN (a sample standard deviation needs two).
    """
    values = counted_preferences(preference)
    n = len(values)
    wins, losses = int((values > DRAW).sum()), int((values < DRAW).sum())
    draws = n - wins - losses
    if n == 0:
        return WinRate(np.nan, np.nan, 0, 0, 0, 0, np.nan)
    scores = values - 1.0
    spread = scores.std(ddof=1) / np.sqrt(n) if n > 1 else np.nan
    return WinRate(
        win_rate=float(scores.mean() * 100),
        standard_error=float(spread * 100),
        n_wins=wins,
        n_wins_base=losses,
        n_draws=draws,
        n_total=n,
        discrete_win_rate=float((wins + draws / 2) / n * 100),
    )
