"""A project's quality report: agreement, annotators, consensus, monitors and cost.

``build_report`` reads the project into arrays (``core.quality_inputs``), hands them to the
pure quality engine (``accord.quality``) through ``compute_report``, and returns one
JSON-ready document whose top-level sections are ``agreement``, ``annotators``,
``consensus``, ``monitors`` and ``cost``. With ``store=True`` it also writes each settled
task's consensus and moves tasks below the agreement threshold to ``needs_adjudication``.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy import Connection

from accord.core import quality_inputs
from accord.core.projects import Project
from accord.core.report import agreement, annotators, consensus, gold, monitors, store
from accord.core.report.pairs import pair_items

SECTIONS = ("agreement", "annotators", "consensus", "monitors", "cost")


def _exported(arrays, result: consensus.Consensus) -> tuple[int, np.ndarray]:
    """Pairs an export would take (decided pairs of settled tasks) and their annotation times."""
    statuses = np.array(arrays.tasks.status, dtype=object)
    settled = np.isin(statuses, consensus.SETTLED_STATUSES) if len(statuses) else np.zeros(0, bool)
    majorities = result.majorities
    accepted = int((majorities.decided & settled[majorities.task]).sum()) if len(majorities) else 0
    times = arrays.annotations.created_at[settled[arrays.annotations.task]] \
        if len(arrays.annotations.task) else np.zeros(0)
    return accepted, times


def compute_report(arrays: quality_inputs.ProjectArrays, project: Project, now: datetime,
                   gold_reference: gold.GoldReference | None = None
                   ) -> tuple[dict, consensus.Consensus]:
    """The report's sections from a project's arrays alone, and the consensus behind them.

    No database: ``build_report`` reads the arrays and the gold references first and stores
    the consensus after, so this is exactly the report's computation (what
    ``bench/quality.py`` times on arrays built in memory).
    """
    pairs = pair_items(arrays)
    agreed = consensus.compute(arrays, pairs)
    agrees = consensus.agrees_with_consensus(pairs, agreed, arrays.outcomes.outcome)
    accepted, exported_times = _exported(arrays, agreed)
    results = monitors.run(arrays, project, pairs, agrees, now.timestamp(), accepted,
                           exported_times)
    names = arrays.annotators.names
    cost = results.pop("cost")
    alerts = [monitors.alert_json(alert, names)
              for result in (*results.values(), cost) for alert in result.alerts]
    report = {
        "project": project.name,
        "generated_at": now.isoformat(),
        "counts": {"tasks": len(arrays.tasks.ids), "annotations": len(arrays.annotations.ids),
                   "pairwise_outcomes": len(arrays.outcomes.task),
                   "annotators": len(names), "accepted_pairs": accepted},
        "agreement": agreement.agreement_section(arrays, pairs),
        "annotators": annotators.section(arrays, agreed, agrees,
                                         gold.accuracy(arrays, pairs, gold_reference),
                                         cost.spend),
        "consensus": consensus.section(arrays, agreed, project.agreement_threshold),
        "monitors": {"alerts": alerts,
                     **{name: monitors.summary(result, names) for name, result in results.items()}},
        "cost": monitors.summary(cost, names),
    }
    return report, agreed


def build_report(conn: Connection, project: Project, now: datetime, *,
                 store_consensus: bool = True) -> dict:
    arrays = quality_inputs.load(conn, project)
    report, agreed = compute_report(arrays, project, now,
                                    gold.reference(conn, arrays, project.id))
    if store_consensus:
        report["consensus"]["stored"] = store.store(conn, arrays, agreed,
                                                    project.agreement_threshold, now)
    return report
