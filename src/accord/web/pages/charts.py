"""Charts for the pages as inline SVG, drawn on the server: no script, no network, no styles.

Only presentation attributes (``fill``, ``stroke``) are used, never a ``style`` attribute,
so the charts live under ``style-src 'self'``. Every label is escaped here; the result is
``Markup`` so the template prints it as is. The annotator and model charts are the ones the
HTML report draws (``accord.charts``); progress and agreement by day are the dashboard's own.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from accord.charts import Estimate, bar_chart, interval_chart
from accord.core.report.dashboard import DayAgreement
from accord.wire.report.annotators import AnnotatorRow
from accord.wire.report.consensus import ModelRating

WIDTH, LABEL_WIDTH, ROW = 640, 150, 24
STATUS_COLOURS = {
    "open": "#9aa7b4", "complete": "#3d7a4f", "needs_adjudication": "#c08a1e",
    "escalated": "#a2282f", "resolved": "#2c5d8f",
}


def progress_chart(by_category: dict[str, dict[str, int]]) -> Markup:
    """One stacked bar per category: its tasks by status, scaled to the largest category."""
    if not by_category:
        return Markup('<p class="muted">No tasks yet.</p>')
    largest = max(sum(counts.values()) for counts in by_category.values()) or 1
    span = WIDTH - LABEL_WIDTH - 50
    height = ROW * len(by_category) + 34
    parts = [f'<svg class="chart progress-chart" role="img" aria-label="tasks by category and '
             f'status" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">']
    for i, (category, counts) in enumerate(by_category.items()):
        y = i * ROW + 4
        parts.append(f'<text x="0" y="{y + 14}" fill="currentColor">{escape(category[:22])}</text>')
        x = float(LABEL_WIDTH)
        for status, count in counts.items():
            if not count:
                continue
            width = count / largest * span
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{y}" width="{width:.1f}" height="16" '
                         f'fill="{STATUS_COLOURS.get(status, "#777")}"><title>{escape(category)}'
                         f': {count} {escape(status)}</title></rect>')
            x += width
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 14}" fill="currentColor">'
                     f'{sum(counts.values())}</text>')
    legend_y = ROW * len(by_category) + 20
    x = 0
    for status, colour in STATUS_COLOURS.items():
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="{legend_y}" fill="currentColor" font-size="12">'
                     f'{status.replace("_", " ")}</text>')
        x += 28 + 7 * len(status)
    parts.append("</svg>")
    return Markup("".join(parts))


def agreement_chart(days: list[DayAgreement], band: dict[str, float] | None = None) -> Markup:
    """Agreement per day as points joined by a line, on a 0 to 1 scale with gridlines every
    0.25, the project's target band shaded behind them and each day's value on hover."""
    if not days:
        return Markup('<p class="muted">No task has been completed by two annotators yet.</p>')
    height, top, bottom, left = 200, 10, 30, 40
    inner_w, inner_h = WIDTH - left - 10, height - top - bottom
    step = inner_w / max(len(days) - 1, 1)
    points = [(left + (i * step if len(days) > 1 else inner_w / 2),
               top + (1 - d.agreement) * inner_h) for i, d in enumerate(days)]
    parts = [f'<svg class="chart agreement-chart" role="img" aria-label="agreement by day" '
             f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">']
    if band is not None:
        y_high, y_low = top + (1 - band["high"]) * inner_h, top + (1 - band["low"]) * inner_h
        parts.append(f'<rect class="target-band" x="{left}" y="{y_high:.1f}" '
                     f'width="{inner_w}" height="{y_low - y_high:.1f}" fill="#3d7a4f" '
                     f'fill-opacity="0.15"><title>target band {band["low"]:.2f} to '
                     f'{band["high"]:.2f}</title></rect>'
                     f'<text x="{WIDTH - 12}" y="{y_high - 3:.1f}" text-anchor="end" '
                     f'fill="currentColor" font-size="11">target {band["low"]:.2f} to '
                     f'{band["high"]:.2f}</text>')
    for value in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = top + (1 - value) * inner_h
        parts.append(f'<line x1="{left}" x2="{WIDTH - 10}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#9aa7b4" stroke-width="0.5"/><text x="0" y="{y + 4:.1f}" '
                     f'fill="currentColor" font-size="12">{value:.2f}</text>')
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#2c5d8f" stroke-width="2"/>')
    for (x, y), day in zip(points, days, strict=True):
        parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#2c5d8f">'
                     f'<title>{day.day.isoformat()}: {day.agreement:.2f} over {day.pairs} '
                     f'annotator pairs</title></circle>')
    first, last = days[0].day.isoformat(), days[-1].day.isoformat()
    parts.append(f'<text x="{left}" y="{height - 8}" fill="currentColor" font-size="12">{first}'
                 f'</text><text x="{WIDTH - 10}" y="{height - 8}" text-anchor="end" '
                 f'fill="currentColor" font-size="12">{last}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


RELIABILITY_ROWS = 20
"""The least reliable annotators the chart draws: at 500 annotators a bar each would make the
chart thousands of pixels tall, and the lead acts on the bottom of the list."""


def reliability_chart(annotators: list[AnnotatorRow]) -> Markup:
    """The ``RELIABILITY_ROWS`` least reliable annotators as bars, lowest first, with a line
    saying how many of how many are drawn and a link to the sortable table of everyone."""
    measured = sorted((row for row in annotators if row.reliability is not None),
                      key=lambda row: (row.reliability, row.name))
    if not measured:
        return Markup('<p class="muted">No annotator has a reliability estimate yet.</p>')
    shown = measured[:RELIABILITY_ROWS]
    note = (f'<p class="hint">The {len(shown)} least reliable of {len(measured)} annotators; '
            '<a href="?sort=reliability&amp;order=asc#risk-title">every annotator, sorted by '
            'reliability</a>.</p>') if len(shown) < len(measured) else ""
    chart = bar_chart([(row.name, row.reliability) for row in shown],
                      title="reliability by annotator, least reliable first")
    return Markup(note + chart)


def models_chart(models: list[ModelRating]) -> Markup:
    """Model ratings as points with their bootstrap intervals, as in the HTML report."""
    if not models:
        return Markup('<p class="muted">No model was compared with another.</p>')
    return Markup(interval_chart([Estimate(m.model, m.rating, m.lower, m.upper,
                                           m.comparisons) for m in models], title="model ratings"))
