"""The report's ``prelabel`` section: the pre-labelling experiment's rows read from the
database, matched to the report's arrays, and measured by ``quality.monitors.prelabel``.

Only submitted assignments of people count (an AI judge draws no arm). Agreement with the
consensus is each assignment's share of pairs that agree with the consensus of the *other*
annotators of the pair (``consensus_of_others``), as everywhere in the report.
"""

from __future__ import annotations

import math

import numpy as np
from sqlalchemy import Connection, select

from accord.core.projects.project import Project
from accord.core.report.arrays import ProjectArrays
from accord.core.report.consensus_of_others import agreement_with_others
from accord.core.report.monitors import alert
from accord.core.report.pairs import pair_items
from accord.core.work import prelabel as prelabel_rule
from accord.db.tables import annotations, prelabel_draws
from accord.quality.monitors.prelabel import PrelabelEffects, prelabel_effects
from accord.wire.report.prelabel import PrelabelArm, PrelabelSection

BOOTSTRAP_RESAMPLES = 1000


def _figure(value: float) -> float | None:
    """A figure as the report gives it: 6 places, NaN and infinities as null."""
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else round(value, 6)


def has_experiment(conn: Connection, project: Project) -> bool:
    """Whether the report has a ``prelabel`` section: the setting is on, or draws exist."""
    if prelabel_rule.rule_of(project) is not None:
        return True
    return conn.execute(select(prelabel_draws.c.assignment_id)
                        .where(prelabel_draws.c.project_id == project.id).limit(1)
                        ).first() is not None


def _rows(conn: Connection, project: Project) -> list:
    return list(conn.execute(
        select(prelabel_draws.c.arm, prelabel_draws.c.matches_suggestion,
               prelabel_draws.c.accepted, annotations.c.id)
        .join(annotations, annotations.c.assignment_id == prelabel_draws.c.assignment_id)
        .where(prelabel_draws.c.project_id == project.id)
        .order_by(annotations.c.id)))


def _per_annotation(arrays: ProjectArrays) -> tuple[np.ndarray, np.ndarray]:
    """Each annotation's agreement with the others' consensus (NaN: nothing to compare)
    and its number of pairwise outcomes."""
    n = len(arrays.annotations.ids)
    others = agreement_with_others(pair_items(arrays), arrays.outcomes.outcome)
    of = arrays.outcomes.annotation
    compared = np.bincount(of[others.compared], minlength=n)
    agreed = np.bincount(of[others.compared & others.agrees], minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(compared > 0, agreed / compared, np.nan)
    return share, np.bincount(of, minlength=n)


def section(conn: Connection, project: Project, arrays: ProjectArrays,
            seed: int = 0) -> PrelabelSection:
    """The section from the project's draws and the report's (counted) arrays."""
    rows = _rows(conn, project)
    where = {int(a): i for i, a in enumerate(arrays.annotations.ids)}
    kept = [(row, where[row.id]) for row in rows if row.id in where]
    arms = [(row, i) for row, i in kept if row.arm in ("shown", "control")]
    index = np.array([i for _, i in arms], dtype=np.int64)
    share, pairs = _per_annotation(arrays)
    names = arrays.annotators.names
    effects = prelabel_effects(
        task=arrays.annotations.task[index], annotator=arrays.annotations.annotator[index],
        shown=[row.arm == "shown" for row, _ in arms],
        agrees_ai=[bool(row.matches_suggestion) for row, _ in arms],
        agrees_consensus=share[index], active_ms=arrays.annotations.active_ms[index],
        accepted=[bool(row.accepted) for row, _ in arms], pairs=pairs[index],
        pay_rate_per_hour=arrays.annotators.pay_rate_per_hour, n_annotators=len(names),
        n_resamples=BOOTSTRAP_RESAMPLES, seed=seed)
    rule = prelabel_rule.rule_of(project)
    return _model(effects, names, rule, sum(row.arm == "unavailable" for row, _ in kept))


def _arm(figures) -> PrelabelArm:
    return PrelabelArm(assignments=figures.assignments,
                       median_active_ms=_figure(figures.median_active_ms),
                       agreement_with_ai=_figure(figures.agreement_with_ai),
                       agreement_with_consensus=_figure(figures.agreement_with_consensus))


def _model(effects: PrelabelEffects, names: list[str], rule, unavailable: int
           ) -> PrelabelSection:
    seen = np.flatnonzero(effects.shown_per_annotator > 0)
    return PrelabelSection(
        judge=None if rule is None else rule.judge,
        show_rate=None if rule is None else rule.show_rate,
        shown=_arm(effects.shown), control=_arm(effects.control), unavailable=unavailable,
        anchoring=_figure(effects.difference),
        anchoring_interval=[_figure(x) for x in effects.difference_interval],
        follow_rate=_figure(effects.follow_rate),
        follow_rate_interval=[_figure(x) for x in effects.follow_rate_interval],
        consensus_difference=_figure(effects.consensus_difference),
        consensus_difference_interval=[_figure(x) for x in effects.consensus_difference_interval],
        shown_per_annotator={names[i]: int(effects.shown_per_annotator[i]) for i in seen},
        accepted_per_annotator={names[i]: int(effects.accepted_per_annotator[i]) for i in seen},
        acceptance_rate={names[i]: _figure(effects.acceptance_rate[i]) for i in seen},
        rubber_stamping_p_value={names[i]: _figure(effects.stamp_p_value[i]) for i in seen},
        honest_acceptance_rate=round(effects.honest_rate, 6),
        time_saved_ms_per_accept=_figure(effects.time_saved_ms),
        cost_saved=_figure(effects.saved_total),
        cost_saved_per_accepted_pair=_figure(effects.saved_per_accepted_pair),
        alerts=[alert(found, names) for found in effects.alerts],
    )
