"""Recognising the statistics that have an item-sum form, however the caller names them.

:func:`~accord.quality.agreement.bootstrap.bootstrap_ci` and
:func:`~accord.quality.agreement.groups.by_group` take "a statistic of judgments". When it
is one of this package's — as an object (``KrippendorffAlpha("ordinal")``), as a plain
function (``percent_agreement``) or as a ``functools.partial`` of one
(``partial(krippendorff_alpha, level="interval")``) — they use its per-item terms and need
no loop; any other callable is evaluated judgment set by judgment set.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from accord.quality.agreement.fleiss import FleissKappa, fleiss_kappa
from accord.quality.agreement.judgments import Judgments
from accord.quality.agreement.krippendorff import KrippendorffAlpha, krippendorff_alpha
from accord.quality.agreement.percent import PercentAgreement, percent_agreement
from accord.quality.agreement.terms import ItemStatistic

Statistic = Callable[[Judgments], float]

_FORMS: dict[Callable, Callable[..., ItemStatistic]] = {
    percent_agreement: PercentAgreement,
    fleiss_kappa: FleissKappa,
    krippendorff_alpha: KrippendorffAlpha,
}


def as_item_statistic(statistic: Statistic) -> ItemStatistic | None:
    """The item-sum form of ``statistic``, or None when it has none."""
    if isinstance(statistic, ItemStatistic):
        return statistic
    if isinstance(statistic, partial) and not statistic.args and statistic.func in _FORMS:
        return _FORMS[statistic.func](**statistic.keywords)
    if statistic in _FORMS:
        return _FORMS[statistic]()
    return None
