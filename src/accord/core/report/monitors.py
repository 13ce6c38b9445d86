"""The report's ``monitors`` and ``cost`` sections: each monitor's figures and its alerts.

The monitors themselves live in ``quality.monitors``; this module feeds them a project's
arrays. Two inputs are Accord's own conventions and are reported with the figures:

- over-refusal looks at comparisons on prompts outside the ``safety`` category where one
  response opens like a refusal (``refusals.REFUSAL_OPENINGS``, a heuristic) and the
  other does not, and at red-team judgments of severity 0 (harmless) where the annotator said
  whether a refusal would have been right;
- an annotation "agrees with consensus" (for fatigue) when most of its pairwise outcomes equal
  the reliability-weighted outcome of their pair; annotations without pairs count as agreeing.
"""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
from numpy.typing import NDArray

from accord.core.projects.project import Project
from accord.core.report.arrays import ProjectArrays
from accord.core.report.pairs import PairItems
from accord.quality import monitors
from accord.quality.monitors import Alert

BENIGN_EXCLUDED_CATEGORY = "safety"


def _annotation_agreement(arrays: ProjectArrays, agrees: NDArray[np.bool_]) -> NDArray[np.bool_]:
    a, o = arrays.annotations, arrays.outcomes
    if len(agrees) == 0:
        return np.ones(len(a.ids), dtype=bool)
    hits = np.bincount(o.annotation, weights=agrees, minlength=len(a.ids))
    votes = np.bincount(o.annotation, minlength=len(a.ids))
    return np.where(votes > 0, hits * 2 >= votes, True)


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


def _json(value):
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) or math.isinf(value) else round(float(value), 6)
    if isinstance(value, np.integer | np.bool_):
        return value.item()
    return value


def summary(result, names: list[str]) -> dict:
    """A monitor's figures: scalars as they are, per-annotator arrays keyed by name."""
    out = {}
    for field in dataclasses.fields(result):
        value = getattr(result, field.name)
        if field.name == "alerts":
            continue
        if isinstance(value, np.ndarray):
            if value.ndim == 1 and len(value) == len(names) and len(names) > 0:
                out[field.name] = {n: _json(v) for n, v in zip(names, value, strict=True)}
        elif isinstance(value, int | float | str | bool | np.generic) or value is None:
            out[field.name] = _json(value)
    return out


_ANNOTATOR_INDEX = re.compile(r"\bannotator (\d+)\b")


def alert_json(alert: Alert, names: list[str]) -> dict:
    """An alert as the report shows it: ``monitor`` is the monitor's name (``fatigue``),
    ``check`` the finding within it (``speedup``), and annotators are named, not numbered."""
    monitor, _, check = alert.monitor.partition(".")
    message = _ANNOTATOR_INDEX.sub(lambda m: names[int(m.group(1))], alert.message)
    body = {"monitor": monitor, "check": check or monitor, "severity": alert.severity,
            "statistic": _json(alert.statistic), "threshold": _json(alert.threshold),
            "message": message}
    if alert.annotator is not None:
        body["annotator"] = names[alert.annotator]
    return body


def run(arrays: ProjectArrays, project: Project, pairs: PairItems, agrees: NDArray[np.bool_],
        now_epoch: float, accepted_pairs: int, exported_times: NDArray[np.float64]) -> dict:
    """Every monitor over the project; returns {name: result} (results keep their alerts)."""
    n = len(arrays.annotators.ids)
    a, o, r = arrays.annotations, arrays.outcomes, arrays.responses
    results = {
        "fatigue": monitors.fatigue(a.annotator, a.created_at, a.active_ms,
                                    _annotation_agreement(arrays, agrees), n_annotators=n),
        "length_bias": monitors.length_bias(o.annotator, r.length[o.winner], r.length[o.loser],
                                            tie=o.tie, pair=pairs.item, n_annotators=n),
        "position_bias": monitors.position_bias(o.annotator, o.winner_position,
                                                o.loser_position, tie=o.tie, n_annotators=n),
        "over_refusal": monitors.over_refusal(*_refusal_judgments(arrays), n_annotators=n),
        # clocks of several servers may disagree by a little: nothing is younger than zero
        "staleness": monitors.staleness(
            exported_times, float(exported_times.max(initial=now_epoch))),
        "cost": monitors.cost(
            a.annotator, a.active_ms, arrays.annotators.pay_rate_per_hour,
            accepted_pairs=accepted_pairs, budget=project.budget,
            planned_annotations=int(arrays.tasks.overlap.sum())),
    }
    if n:
        keys = sorted({k for d in arrays.annotators.demographics for k in d})
        attributes = {k: [d.get(k) for d in arrays.annotators.demographics] for k in keys}
        if attributes:
            results["diversity"] = monitors.diversity(a.annotator, attributes,
                                                      arrays.annotators.consented)
    return results
