"""A project's quality report: agreement, annotators, consensus, monitors and cost.

``build_report`` reads the project into arrays (``core.report.inputs``), hands them to the
pure quality engine (``accord.quality``) through ``compute_report``, and returns one typed
``QualityReport`` (``accord.wire.report``) whose top-level sections are ``agreement``,
``annotators``, ``consensus``, ``monitors`` and ``cost``, beside ``counts``, ``scope`` and
``judges``; its ``as_json()`` is the JSON document of the API and of ``accord report
--json``. With ``store_consensus`` it also writes each settled task's consensus and moves
tasks below the agreement threshold to ``needs_adjudication``.

A ``Scope`` says which annotations count (``report.scope``): by default every human
annotation; a cut by guideline version leaves the others out (and stores nothing: a consensus
of part of the judgments must not replace the whole one), and AI judges' annotations count
only when asked for.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy import Connection

from accord.core.judging import judge_audit
from accord.core.projects.categories import shown_labels
from accord.core.projects.project import Project
from accord.core.report import (
    agreement,
    annotators,
    authoring,
    consensus,
    gold,
    judges,
    monitors,
    store,
)
from accord.core.report import demonstrations as writers_report
from accord.core.report import inputs as quality_inputs
from accord.core.report import overlap as adaptive_overlap
from accord.core.report import prelabel as prelabel_report
from accord.core.report.accepted import accepted_examples
from accord.core.report.arrays import ProjectArrays
from accord.core.report.consensus_of_others import agreement_with_others
from accord.core.report.cost import complete_cost
from accord.core.report.cost_inputs import cost_inputs
from accord.core.report.mix import build_mix
from accord.core.report.pairs import pair_items
from accord.core.report.scope import Scope, select_annotations, version_ids
from accord.wire.report import Counts, QualityReport
from accord.wire.report.agreement import AgreementSection
from accord.wire.report.judges import JudgeAudit
from accord.wire.report.monitors import CostFigures, MonitorAlert, MonitorsSection

SECTIONS = ("agreement", "annotators", "consensus", "monitors", "cost")


def _exported(arrays: ProjectArrays, result: consensus.Consensus) -> tuple[int, np.ndarray]:
    """Pairs an export would take (decided pairs of settled tasks) and their annotation times."""
    settled, majorities = result.settled, result.majorities
    accepted = int((majorities.decided & settled[majorities.task]).sum())
    times = arrays.annotations.created_at[settled[arrays.annotations.task]]
    return accepted, times


def compute_report(arrays: ProjectArrays, project: Project, now: datetime,
                   gold_reference: gold.GoldReference | None = None, scope: Scope = Scope(),
                   guideline_version_ids: list[int] | None = None,
                   ) -> tuple[QualityReport, consensus.Consensus]:
    """The report from a project's arrays alone, and the consensus behind it.

    No database: ``build_report`` reads the arrays and the gold references first and stores
    the consensus after, so this is exactly the report's computation (what
    ``bench/quality.py`` times on arrays built in memory). ``guideline_version_ids``: the
    database ids of ``scope.guideline_versions``. The judges' audits (``judges.audit``) need
    the database and stay null here.
    """
    selection = select_annotations(arrays, scope, guideline_version_ids or [])
    everything, arrays = arrays, selection.counted
    pairs = pair_items(arrays)
    agreed = consensus.compute(arrays, pairs, models_from=selection.cut)
    others = agreement_with_others(pairs, arrays.outcomes.outcome)
    accepted, exported_times = _exported(arrays, agreed)
    results = monitors.run(arrays, project, pairs, others, now.timestamp(), accepted,
                           exported_times)
    names = arrays.annotators.names
    counted = np.bincount(arrays.annotations.annotator, minlength=len(names)) > 0
    report = QualityReport(
        project=project.name,
        generated_at=now.isoformat(),
        scope=scope.described(),
        counts=Counts(tasks=len(arrays.tasks.ids), annotations=len(arrays.annotations.ids),
                      pairwise_outcomes=len(arrays.outcomes.task),
                      annotators=int(counted.sum()), accepted_pairs=accepted,
                      ai_annotations=int(selection.ai.sum()),
                      left_out_by_guideline_version=(len(everything.annotations.ids)
                                                     - len(selection.cut.annotations.ids))),
        agreement=agreement.agreement_section(arrays, pairs),
        annotators=annotators.section(arrays, agreed, others,
                                      gold.accuracy(arrays, pairs, gold_reference),
                                      results.cost, cut=selection.cut),
        consensus=consensus.section(arrays, agreed, project.agreement_threshold,
                                    win_rates_from=selection.cut),
        monitors=monitors.section(results, names),
        cost=monitors.figures(results.cost, names, CostFigures),
        judges=judges.section(selection, scope),
    )
    return report, agreed


def build_report(conn: Connection, project: Project, now: datetime, *,
                 store_consensus: bool = True, scope: Scope = Scope()) -> QualityReport:
    """The report of ``project`` under ``scope``; ``store_consensus`` writes the consensus
    back, unless the scope cuts by guideline version."""
    kept_versions = version_ids(conn, project, scope.guideline_versions)
    arrays = quality_inputs.load(conn, project)
    report, agreed = compute_report(arrays, project, now,
                                    gold.reference(conn, arrays, project.id), scope,
                                    kept_versions)
    section, judged = report.consensus, report.judges
    accepted = accepted_examples(conn, project.id, arrays, agreed)
    agreement = _with_category_labels(report.agreement, shown_labels(conn, project.id))
    if store_consensus and not scope.is_cut:
        stored = store.store(conn, arrays, agreed, project.agreement_threshold, now)
        section = section.model_copy(update={"stored": stored})
    if judged.judges:
        # Each AI judge measured against people (agreement, Cohen's kappa, swap
        # consistency) over the whole project: an audit is the judge's, not the cut's.
        audits = [JudgeAudit.model_validate(audit)
                  for audit in judge_audit.audit_section(conn, project)]
        judged = judged.model_copy(update={"audit": audits})
    # What "accepted" means is decided once (core.report.accepted) for the mix and the cost.
    complete = complete_cost(cost_inputs(conn, project.id), accepted, project.budget)
    update = {"consensus": section, "judges": judged, "agreement": agreement,
              "mix": build_mix(conn, project, accepted),
              "cost": report.cost.model_copy(update={"complete": complete})}
    written = authoring.section(conn, project)
    if written is not None:
        update["authoring"] = written
    reviewed = writers_report.section(conn, project)
    if reviewed is not None:
        update["demonstrations"] = reviewed
    if prelabel_report.has_experiment(conn, project):
        counted = select_annotations(arrays, scope, kept_versions).counted
        update["prelabel"] = prelabel_report.section(conn, project, counted)
        update["monitors"] = _with_alerts(report.monitors, update["prelabel"].alerts)
    overlap = adaptive_overlap.section(conn, project)
    if overlap is not None:
        # Set only with the rule on, so as_json() leaves the section out otherwise.
        update["overlap"] = overlap
    return report.model_copy(update=update)


def _with_alerts(section: MonitorsSection, more: list[MonitorAlert]) -> MonitorsSection:
    """The monitors' section with ``more`` alerts among its list (before the cost monitor's,
    which stay last), so every page and digest that shows the alerts shows them too."""
    if not more:
        return section
    alerts = section.alerts
    cost_from = next((i for i, found in enumerate(alerts) if found.monitor == "cost"),
                     len(alerts))
    return section.model_copy(
        update={"alerts": [*alerts[:cost_from], *more, *alerts[cost_from:]]})


def _with_category_labels(section: AgreementSection,
                          labels: dict[str, str]) -> AgreementSection:
    """The section with each category's label beside its key, for readers to show."""
    by_category = {key: figures.model_copy(update={"label": labels.get(key, key)})
                   for key, figures in section.by_category.items()}
    return section.model_copy(update={"by_category": by_category})
