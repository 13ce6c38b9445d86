"""``/projects/{project}/dashboard``: progress, agreement and people, for a project's
reviewers and managers (those who may read its report).

The numbers come from ``core.report.dashboard`` (which reads the quality report without storing
anything); the charts are inline SVG drawn here on the server (``pages.charts``), so the
page needs no script and no network.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import Response

from accord.core.admin.settings import agreement_target_of
from accord.core.report.dashboard import dashboard
from accord.exports import report_kappa, report_overlap, report_writers
from accord.exports.report_cost import summary
from accord.exports.report_mix import mix_chart
from accord.web.deps import Viewer
from accord.web.pages import charts
from accord.web.pages.rendering import render
from accord.web.pages.risk_panel import COLUMNS, ordered_alerts, risk_page
from accord.web.report_refresh import ask_for_refresh, freshness_line
from accord.web.sources import Now

router = APIRouter()


@router.get("/projects/{project}/dashboard")
async def dashboard_page(request: Request, project: str, viewer: Viewer, at: Now,
                         sort: str | None = None, order: str | None = None,
                         page: str | None = None) -> Response:
    def load(conn, user):
        return user, dashboard(conn, user, project, at)

    user, board = await viewer.run(load)
    ask_for_refresh(request, board.project.id, board.stored)
    report = board.report
    risk = risk_page(report, sort, order, page)
    band = agreement_target_of(board.project)
    return await render(
        request, "dashboard.html", user, board=board, report=report,
        report_freshness=freshness_line(board.stored, at),
        progress_chart=charts.progress_chart(board.by_category),
        agreement_chart=charts.agreement_chart(board.agreement_by_day, band),
        band=band,
        risk=risk, risk_columns=COLUMNS,
        alerts=ordered_alerts(report.monitors.alerts),
        reliability_chart=charts.reliability_chart(report.annotators),
        models_chart=charts.models_chart(report.consensus.models),
        kappa_heatmap=Markup(report_kappa.heatmap(report.agreement.cohen_kappa.matrix)),
        kappa_table=Markup(report_kappa.table(report.agreement.cohen_kappa.matrix)),
        kappa_summary=report_kappa.summary(report.agreement.cohen_kappa.matrix),
        overlap_summary=report_overlap.summary(report.overlap) if report.overlap else None,
        overlap_chart=(Markup(report_overlap.judgments_chart(report.overlap))
                       if report.overlap else None),
        writer_columns=report_writers.COLUMNS,
        writer_rows=report_writers.rows(report.demonstrations) if report.demonstrations else None,
        writer_agreement=(report_writers.agreement(report.demonstrations)
                          if report.demonstrations else None),
        mix_chart=Markup(mix_chart(report.mix)) if report.mix and report.mix.categories else None,
        cost_summary=summary(report.cost.complete) if report.cost.complete else "",
    )
