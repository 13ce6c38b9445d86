"""The ``win_rates`` of the report's ``consensus`` section: AlpacaEval's figures per model pair.

For every pair of models whose responses were compared in the project, one model is the
*baseline* and the other the *model*, and every pairwise outcome between them is one
preference ``1 + P(model wins)`` for ``accord.quality.winrate.win_rate`` (AlpacaEval's
``get_winrate``): the annotation's soft ``preference`` where it has one (an AI judge's
probability that its first-ranked response is better), else 2 for a win, 1 for a loss and
1.5 for a tie. An annotation that ranks more than two responses gives several pairs, and
its soft preference, which speaks of the top pair only, is not used for them.

The baseline of a pair is the model that appears in more model pairs of the project — the
reference every other model was compared against (AlpacaEval 2's ``gpt4_1106_preview``).
Equal counts go to the model whose responses are more often listed first in their tasks
(AlpacaEval's ``output_1``, the reference, is response ``a``), then to the name that sorts
first.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from accord.core.report.arrays import OUTCOME_FIRST, ProjectArrays
from accord.quality.winrate import win_rate
from accord.wire.report.consensus import WinRate


def _first_wins(arrays: ProjectArrays) -> NDArray[np.float64]:
    """Per outcome: P(the pair's first response wins), soft where the annotation says so."""
    o, a = arrays.outcomes, arrays.annotations
    row = o.annotation
    soft = a.preference[row] if a.preference is not None else np.full(len(row), np.nan)
    pairs_per_annotation = np.bincount(row, minlength=len(a.ids))
    top = np.where((pairs_per_annotation[row] == 1) & ~np.isnan(soft), soft, 1.0)
    return np.where(o.tie, 0.5,
                    np.where(o.outcome == OUTCOME_FIRST, top, 1.0 - top))


def _baselines(low: NDArray[np.int64], high: NDArray[np.int64], lead: NDArray[np.int64],
               names: list[str]) -> NDArray[np.bool_]:
    """Per model pair (``low`` < ``high``): True when ``low`` is the baseline. ``lead``: per
    model, comparisons in which it was the response listed first minus those listed second."""
    n = len(names)
    degree = np.bincount(low, minlength=n) + np.bincount(high, minlength=n)
    alphabetical = np.argsort(np.argsort(np.array(names, dtype=object)))
    key_low = np.stack([degree[low], lead[low], -alphabetical[low]], axis=1)
    key_high = np.stack([degree[high], lead[high], -alphabetical[high]], axis=1)
    return np.array([tuple(x) >= tuple(y) for x, y in zip(key_low, key_high, strict=True)],
                    dtype=bool)


def _model_pairs(low: NDArray[np.int64], high: NDArray[np.int64],
                 n_models: int) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
    """The distinct (low, high) model pairs, sorted, and each outcome's pair number: what
    ``np.unique(axis=0, return_inverse=True)`` gives, by counting one key per outcome in the
    small space of model pairs instead of sorting a million rows. Pair numbers come in the
    narrowest integer type, so the stable sort of them that follows is a radix sort."""
    key = low.astype(np.int64) * n_models + high
    if n_models * n_models <= max(1 << 20, len(key)):
        present = np.flatnonzero(np.bincount(key, minlength=n_models * n_models))
        number = np.zeros(n_models * n_models, dtype=np.min_scalar_type(max(len(present) - 1, 0)))
        number[present] = np.arange(len(present))
        pair = number[key]
    else:  # too many models for a table of every pair
        present, pair = np.unique(key, return_inverse=True)
        pair = pair.astype(np.min_scalar_type(max(len(present) - 1, 0)))
    return np.stack([present // n_models, present % n_models], axis=1), pair


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def model_comparisons(arrays: ProjectArrays) -> tuple[NDArray[np.intp], NDArray[np.int64],
                                                      NDArray[np.int64]] | None:
    """The outcomes that compare responses of two different named models, with the models
    of their ``first`` and ``second`` responses; None when there are none."""
    o, r = arrays.outcomes, arrays.responses
    named = np.array([bool(name) for name in r.model_names], dtype=bool)
    if len(o.task) == 0 or not named.any():
        return None
    a, b = r.model[o.first], r.model[o.second]
    usable = np.flatnonzero((a != b) & named[a] & named[b])
    return (usable, a[usable], b[usable]) if len(usable) else None


def section(arrays: ProjectArrays) -> list[WinRate]:
    """One entry per compared model pair, highest win rate first."""
    compared = model_comparisons(arrays)
    if compared is None:
        return []
    usable, a, b = compared
    names = arrays.responses.model_names
    first_wins = _first_wins(arrays)[usable]
    low, high = np.minimum(a, b), np.maximum(a, b)
    keys, pair = _model_pairs(low, high, len(names))
    # ``first`` is the response with the lower id: the one the task lists first
    lead = np.bincount(a, minlength=len(names)) - np.bincount(b, minlength=len(names))
    low_is_base = _baselines(keys[:, 0], keys[:, 1], lead, names)
    order = np.argsort(pair, kind="stable")
    bounds = np.searchsorted(pair[order], np.arange(len(keys) + 1))
    rows = []
    for index, (lo, hi) in enumerate(keys):
        chosen = order[bounds[index]:bounds[index + 1]]
        model, baseline = (hi, lo) if low_is_base[index] else (lo, hi)
        model_is_first = a[chosen] == model
        p = np.where(model_is_first, first_wins[chosen], 1.0 - first_wins[chosen])
        p = np.clip(p, 0.0, 1.0)  # a stray stored value never stops the report
        figures = win_rate(1.0 + p)
        rows.append(WinRate(
            model=names[model], baseline=names[baseline],
            win_rate=_number(figures.win_rate),
            standard_error=_number(figures.standard_error),
            n_wins=figures.n_wins, n_wins_base=figures.n_wins_base,
            n_draws=figures.n_draws, n_total=figures.n_total,
            discrete_win_rate=_number(figures.discrete_win_rate),
        ))
    return sorted(rows, key=lambda row: (-(row.win_rate or 0.0), row.model))
