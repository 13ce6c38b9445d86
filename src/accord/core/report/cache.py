"""The stored quality report: what the dashboard and the report API read instead of
recomputing the whole report on every view.

A full report reads every annotation of the project (2.5 s at 100,000 annotations), so a page
that rebuilt it per view got slower with every annotation. Instead the last report computed
for a project is kept (``report_snapshots``), one per *scope* (``report.scope``): a report cut
by guideline version, or one counting AI judges, is a different document, and serving one
for another would show a lead figures that are not the ones asked for. The key is the scope
itself (``scope_key``), so no scope ever reads another's report.

Each stored report remembers the newest annotation it counted. A reader gets the report with
its age and the number of annotations that arrived since (``StoredReport``); when that number
is above zero, the web layer asks its background refresher (``web.report_refresh``) for a new
one. The first view of a project with no stored report computes it once, in the request.
Storing the report never moves a task: it is built with ``store_consensus=False``, exactly
what the pages and the API computed before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select

from accord.core.importing.items import canonical_hash
from accord.core.projects.project import Project
from accord.core.report import build_report
from accord.core.report.scope import Scope
from accord.db.tables import annotations, report_snapshots
from accord.wire.report import QualityReport


@dataclass(frozen=True)
class StoredReport:
    """A stored report and how current it is."""

    report: QualityReport
    computed_at: datetime
    last_annotation_id: int
    """The newest annotation the report counted (0: none)."""
    annotations_since: int
    """Annotations of the project that arrived after the report was computed."""

    def age_seconds(self, now: datetime) -> int:
        """Whole seconds between the computation and ``now`` (never negative)."""
        return max(0, int((now - self.computed_at).total_seconds()))

    @property
    def is_stale(self) -> bool:
        """Whether annotations arrived that the report does not count."""
        return self.annotations_since > 0


def scope_key(scope: Scope) -> str:
    """The scope as a stable key: the same scope always maps to the same key, two different
    scopes never do."""
    versions = ",".join(str(v) for v in sorted(set(scope.guideline_versions)))
    return f"versions={versions};ai={int(scope.include_ai)}"


def stored_key(project: Project, scope: Scope) -> str:
    """The row a report is stored under: its scope, and a digest of every project setting
    the report reads (rules, thresholds, dimensions, budget, the guideline in force), so a
    changed setting never serves a report computed under the old one: the first view after
    it computes a new one."""
    settings = {"settings": project.settings, "overlap": project.overlap,
                "ranking_mode": project.ranking_mode, "allow_ties": project.allow_ties,
                "dimensions": [d.as_dict() for d in project.dimensions],
                "agreement_threshold": project.agreement_threshold,
                "gold_rate": project.gold_rate, "budget": project.budget,
                "guideline": project.guideline}
    digest = canonical_hash(settings)[:16]
    return f"{scope_key(scope)};settings={digest}"


def newest_annotation_id(conn: Connection, project_id: int) -> int:
    """The id of the project's newest annotation (0 when it has none)."""
    newest = conn.execute(select(func.max(annotations.c.id))
                          .where(annotations.c.project_id == project_id)).scalar()
    return int(newest or 0)


def annotations_after(conn: Connection, project_id: int, annotation_id: int) -> int:
    """How many of the project's annotations are newer than ``annotation_id``."""
    return int(conn.execute(
        select(func.count()).select_from(annotations)
        .where(annotations.c.id > annotation_id, annotations.c.project_id == project_id)
    ).scalar_one())


def read(conn: Connection, project: Project, scope: Scope) -> StoredReport | None:
    """The stored report of ``project`` under ``scope``, or None when none was computed."""
    row = conn.execute(
        select(report_snapshots.c.report, report_snapshots.c.computed_at,
               report_snapshots.c.last_annotation_id)
        .where(report_snapshots.c.project_id == project.id,
               report_snapshots.c.scope_key == stored_key(project, scope))
    ).first()
    if row is None:
        return None
    return StoredReport(
        report=QualityReport.model_validate_json(row.report),
        computed_at=row.computed_at,
        last_annotation_id=int(row.last_annotation_id),
        annotations_since=annotations_after(conn, project.id, int(row.last_annotation_id)),
    )


def refresh(conn: Connection, project: Project, now: datetime,
            scope: Scope = Scope()) -> StoredReport:
    """Compute the report of ``project`` under ``scope`` now and store it.

    The newest annotation id is read before the report, in the same transaction, so the
    stored report counts at least the annotations it says it counts. A report computed from
    older data than the one already stored (two refreshes that overlapped) does not replace
    it.
    """
    newest = newest_annotation_id(conn, project.id)
    report = build_report(conn, project, now, store_consensus=False, scope=scope)
    key = stored_key(project, scope)
    where = (report_snapshots.c.project_id == project.id,
             report_snapshots.c.scope_key == key)
    stored = conn.execute(select(report_snapshots.c.last_annotation_id).where(*where)).scalar()
    if stored is None or int(stored) <= newest:
        conn.execute(delete(report_snapshots).where(*where))
        conn.execute(insert(report_snapshots).values(
            project_id=project.id, scope_key=key, computed_at=now, last_annotation_id=newest,
            report=report.model_dump_json(exclude_unset=True)))
    return StoredReport(report, now, newest, annotations_after(conn, project.id, newest))


def current(conn: Connection, project: Project, now: datetime,
            scope: Scope = Scope()) -> StoredReport:
    """The stored report of ``project`` under ``scope``; the first time, computed and stored."""
    found = read(conn, project, scope)
    return found if found is not None else refresh(conn, project, now, scope)
