"""The report's ``monitors`` and ``cost`` sections: each monitor's figures and its alerts.

The monitors themselves live in ``quality.monitors``; this module feeds them a project's
arrays. Two inputs are Accord's own conventions and are reported with the figures:

- over-refusal looks at comparisons on prompts outside the ``safety`` category where one
  response opens like a refusal (``refusals.REFUSAL_OPENINGS``, a heuristic) and the
  other does not, and at red-team judgments of severity 0 (harmless) where the annotator said
  whether a refusal would have been right;
- an annotation "agrees with consensus" (for fatigue) when most of its compared pairwise
  outcomes equal the consensus of the other votes on their pair
  (``report.consensus_of_others``); an annotation with no compared outcome (no pairs, or
  pairs nobody else judged) is left out of late-session agreement, not counted as agreeing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from accord.core.projects.project import Project
from accord.core.report.arrays import ProjectArrays
from accord.core.report.consensus_of_others import OthersAgreement
from accord.core.report.pairs import PairItems
from accord.quality import monitors
from accord.quality.monitors import Alert
from accord.wire.report.base import ReportModel
from accord.wire.report.monitors import (
    DiversityFigures,
    FatigueFigures,
    LengthBiasFigures,
    MonitorAlert,
    MonitorsSection,
    OverRefusalFigures,
    PositionBiasFigures,
    StalenessFigures,
)

BENIGN_EXCLUDED_CATEGORY = "safety"
Figures = TypeVar("Figures", bound=ReportModel)


def _annotation_agreement(arrays: ProjectArrays, others: OthersAgreement
                          ) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Per annotation: whether most of its compared outcomes agree, and whether it has any."""
    a, o = arrays.annotations, arrays.outcomes
    hits = np.bincount(o.annotation, weights=others.agrees, minlength=len(a.ids))
    compared = np.bincount(o.annotation, weights=others.compared, minlength=len(a.ids))
    return (compared > 0) & (hits * 2 >= compared), compared > 0


def _refusal_judgments(arrays: ProjectArrays) -> tuple[NDArray, NDArray, NDArray]:
    """(annotator, benign, refusal_preferred) from comparisons and red-team judgments."""
    o, a, r = arrays.outcomes, arrays.annotations, arrays.responses
    safety = arrays.tasks.category_names.index(BENIGN_EXCLUDED_CATEGORY) \
        if BENIGN_EXCLUDED_CATEGORY in arrays.tasks.category_names else -1
    contrast = ~o.tie & (r.is_refusal[o.winner] != r.is_refusal[o.loser])
    comparison_benign = arrays.tasks.category[o.task] != safety
    red_team = (a.refusal_appropriate >= 0) & (a.severity == 0)
    annotator = np.concatenate([o.annotator[contrast], a.annotator[red_team]])
    benign = np.concatenate([comparison_benign[contrast], np.ones(int(red_team.sum()), bool)])
    preferred = np.concatenate([r.is_refusal[o.winner[contrast]],
                                a.refusal_appropriate[red_team] == 1])
    return annotator, benign, preferred


def _json(value: object) -> object:
    """A figure as the report gives it: floats to 6 places, NaN and infinities as null."""
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) or math.isinf(value) else round(float(value), 6)
    if isinstance(value, np.integer | np.bool_):
        return value.item()
    return value


def figures(result: object, names: list[str], model: type[Figures]) -> Figures:
    """The figures ``model`` lists, read from a monitor's ``result``: its per-annotator
    arrays keyed by annotator name (left out when the project has no annotators), its
    scalars as JSON values. The arrays become plain lists once, not one object per entry."""
    values: dict[str, object] = {}
    for name in model.model_fields:
        if not hasattr(result, name):
            continue  # a field another part of the report fills (``cost.complete``)
        value = getattr(result, name)
        if isinstance(value, np.ndarray):
            if names:
                values[name] = dict(zip(names, map(_json, value.tolist()), strict=True))
        else:
            values[name] = _json(value)
    return model.model_validate(values)


_ANNOTATOR_INDEX = re.compile(r"\bannotator (\d+)\b")


def alert(found: Alert, names: list[str]) -> MonitorAlert:
    """An alert as the report shows it: ``monitor`` is the monitor's name (``fatigue``),
    ``check`` the finding within it (``speedup``), and annotators are named, not numbered."""
    monitor, _, check = found.monitor.partition(".")
    message = _ANNOTATOR_INDEX.sub(lambda m: names[int(m.group(1))], found.message)
    about = {} if found.annotator is None else {"annotator": names[found.annotator]}
    return MonitorAlert.model_validate({
        "monitor": monitor, "check": check or monitor, "severity": found.severity,
        "statistic": _json(found.statistic), "threshold": _json(found.threshold),
        "message": message, **about})


@dataclass(frozen=True)
class MonitorResults:
    """What every monitor found in the project (each result keeps its alerts)."""

    fatigue: monitors.Fatigue
    length_bias: monitors.LengthBias
    position_bias: monitors.PositionBias
    over_refusal: monitors.OverRefusal
    staleness: monitors.Staleness
    cost: monitors.Cost
    diversity: monitors.Diversity | None
    """None when no annotator reported an attribute (or there are no annotators)."""


def run(arrays: ProjectArrays, project: Project, pairs: PairItems, others: OthersAgreement,
        now_epoch: float, accepted_pairs: int,
        exported_times: NDArray[np.float64]) -> MonitorResults:
    """Every monitor over the project."""
    n = len(arrays.annotators.ids)
    a, o, r = arrays.annotations, arrays.outcomes, arrays.responses
    agrees, compared = _annotation_agreement(arrays, others)
    return MonitorResults(
        fatigue=monitors.fatigue(a.annotator, a.created_at, a.active_ms, agrees,
                                 compared=compared, n_annotators=n),
        length_bias=monitors.length_bias(o.annotator, r.length[o.winner], r.length[o.loser],
                                         tie=o.tie, pair=pairs.item, n_annotators=n),
        position_bias=monitors.position_bias(o.annotator, o.winner_position,
                                             o.loser_position, tie=o.tie, n_annotators=n),
        over_refusal=monitors.over_refusal(*_refusal_judgments(arrays), n_annotators=n),
        # clocks of several servers may disagree by a little: nothing is younger than zero
        staleness=monitors.staleness(
            exported_times, float(exported_times.max(initial=now_epoch))),
        cost=monitors.cost(
            a.annotator, a.active_ms, arrays.annotators.pay_rate_per_hour,
            accepted_pairs=accepted_pairs, budget=project.budget,
            planned_annotations=int(arrays.tasks.overlap.sum())),
        diversity=_diversity(arrays),
    )


def _diversity(arrays: ProjectArrays) -> monitors.Diversity | None:
    """Who the annotations come from, by every attribute some annotator reported."""
    people = arrays.annotators
    keys = sorted({k for d in people.demographics for k in d})
    if not len(people.ids) or not keys:
        return None
    attributes = {k: [d.get(k) for d in people.demographics] for k in keys}
    return monitors.diversity(arrays.annotations.annotator, attributes, people.consented)


def section(results: MonitorResults, names: list[str]) -> MonitorsSection:
    """The ``monitors`` section: every monitor's figures but the cost's (a section of its
    own), and the alerts of all of them, the cost monitor's last."""
    found = [results.fatigue, results.length_bias, results.position_bias,
             results.over_refusal, results.staleness,
             *([] if results.diversity is None else [results.diversity]), results.cost]
    diversity: dict[str, Any] = {} if results.diversity is None else {
        "diversity": figures(results.diversity, names, DiversityFigures)}
    return MonitorsSection(
        alerts=[alert(each, names) for result in found for each in result.alerts],
        fatigue=figures(results.fatigue, names, FatigueFigures),
        length_bias=figures(results.length_bias, names, LengthBiasFigures),
        position_bias=figures(results.position_bias, names, PositionBiasFigures),
        over_refusal=figures(results.over_refusal, names, OverRefusalFigures),
        staleness=figures(results.staleness, names, StalenessFigures),
        **diversity,
    )
