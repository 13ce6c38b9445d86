"""Agreement within subgroups of items: per quality dimension, per prompt category, …

For this package's statistics every group comes from one sparse product of a groups x
items indicator with the per-item terms (see :mod:`~accord.quality.agreement.terms`);
other callables are called once per group on that group's judgments.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from numpy.typing import ArrayLike

from accord.quality.agreement.decomposable import Statistic, as_item_statistic
from accord.quality.agreement.judgments import Judgments


def by_group(statistic: Statistic, judgments: Judgments,
             group_of_item: ArrayLike) -> dict[Hashable, float]:
    """``statistic`` computed separately on the judgments of each group of items.

    ``group_of_item[i]`` names item i's group (any sortable labels: ints, strings). Returns
    a dict from each group, in sorted order, to the statistic on that group's judgments —
    NaN where it is undefined (for instance a group without pairs of judgments).
    """
    groups = np.asarray(group_of_item)
    if groups.shape != (judgments.n_items,):
        raise ValueError(f"group_of_item must have one entry per item ({judgments.n_items}), "
                         f"got shape {groups.shape}")
    labels, group = np.unique(groups, return_inverse=True)
    form = as_item_statistic(statistic)
    if form is not None:
        values = form.item_terms(judgments).grouped(group, len(labels))
    else:
        of_judgment = group[judgments.item]
        values = [statistic(judgments.select(of_judgment == g)) for g in range(len(labels))]
    return {_plain(label): float(value) for label, value in zip(labels, values, strict=True)}


def _plain(label: object) -> Hashable:
    """A NumPy scalar as the Python value it holds, so keys read as the caller's labels."""
    return label.item() if isinstance(label, np.generic) else label
