"""The quality report as one self-contained HTML file: inline CSS and SVG, no script, no
network. Every string from the project (names, messages) is escaped."""

from __future__ import annotations

from html import escape

from accord.charts import Estimate, bar_chart, interval_chart
from accord.exports import report_kappa, report_overlap, report_writers
from accord.exports.report_cost import cost_html
from accord.exports.report_mix import mix_html
from accord.wire.report import QualityReport
from accord.wire.report.annotators import AnnotatorRow
from accord.wire.report.authoring import AuthoringFigures
from accord.wire.report.consensus import ModelRating, WinRate
from accord.wire.report.monitors import MonitorAlert
from accord.wire.report.prelabel import PrelabelSection

STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2430;margin:2rem auto;
max-width:980px;padding:0 1rem;background:#fbfbfa}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%}td,th{padding:.3rem .5rem;text-align:left;
border-bottom:1px solid #eee}th{font-weight:600}
.num{text-align:right;font-variant-numeric:tabular-nums}
.warning{color:#8a5300}.critical{color:#a3211b}.info{color:#3d5a80}
svg text{font:12px system-ui,sans-serif;fill:#1d2430}.muted{color:#667}
"""


def _f(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _models_chart(models: list[ModelRating]) -> str:
    """Model ratings as points with their bootstrap intervals."""
    if not models:
        return '<p class="muted">No model was compared with another.</p>'
    return interval_chart([Estimate(m.model, m.rating, m.lower, m.upper, m.comparisons)
                           for m in models],
                          title="model ratings")


def _annotator_table(rows: list[AnnotatorRow]) -> str:
    head = ("<tr><th>annotator</th><th class=num>annotations</th><th class=num>reliability</th>"
            "<th class=num>agrees with consensus</th><th class=num>pairs compared</th>"
            "<th class=num>median s/task</th>"
            "<th class=num>gold accuracy</th></tr>")
    body = "".join(
        f"<tr><td>{escape(r.name)}</td><td class=num>{r.annotations}</td>"
        f"<td class=num>{_f(r.reliability)}</td>"
        f"<td class=num>{_f(r.agreement_with_consensus)}</td>"
        f"<td class=num>{r.consensus_pairs or 0}</td>"
        f"<td class=num>{_f(r.median_seconds_per_task, 1)}</td>"
        f"<td class=num>{_f(r.gold_accuracy)}</td></tr>" for r in rows)
    return f"<table>{head}{body}</table>"


def _win_rate_table(rows: list[WinRate]) -> str:
    """AlpacaEval's leaderboard columns for each model against its baseline."""
    if not rows:
        return ""
    head = ("<h3>Win rates (AlpacaEval)</h3><table><tr><th>model</th><th>baseline</th>"
            "<th class=num>win rate %</th><th class=num>standard error</th>"
            "<th class=num>wins</th><th class=num>losses</th><th class=num>draws</th>"
            "<th class=num>discrete win rate %</th></tr>")
    body = "".join(
        f"<tr><td>{escape(r.model)}</td><td>{escape(r.baseline)}</td>"
        f"<td class=num>{_f(r.win_rate, 2)}</td><td class=num>{_f(r.standard_error, 2)}</td>"
        f"<td class=num>{r.n_wins}</td><td class=num>{r.n_wins_base}</td>"
        f"<td class=num>{r.n_draws}</td><td class=num>{_f(r.discrete_win_rate, 2)}</td>"
        "</tr>" for r in rows)
    return f"{head}{body}</table>"


def _alerts(alerts: list[MonitorAlert]) -> str:
    if not alerts:
        return "<p>No alerts.</p>"
    items = "".join(
        f'<li class="{escape(a.severity)}"><strong>{escape(a.monitor)}</strong> '
        f'({escape(a.severity)}): {escape(a.message)}</li>' for a in alerts)
    return f"<ul>{items}</ul>"


def _authoring(figures: AuthoringFigures | None) -> str:
    """Demonstrations by authoring mode and the model drafts submitted unchanged."""
    if figures is None:
        return ""
    modes = ", ".join(f"{count} {escape(mode.replace('_', '-'))}"
                      for mode, count in figures.by_mode.items())
    text = f"<h2>Demonstrations</h2><p>{figures.demonstrations} demonstrations: {modes}."
    if figures.by_mode.get("post_edit"):
        text += (f" {figures.unchanged_drafts} model drafts submitted unchanged "
                 f"({_f(figures.unchanged_share, 2)} of post-edits); mean edit distance "
                 f"{_f(figures.mean_edit_distance, 1)} characters.")
    return text + "</p>"


def _seconds(ms: float | None) -> float | None:
    return None if ms is None else ms / 1000


def _prelabel(section: PrelabelSection | None) -> str:
    """Pre-labelling's experiment: both arms, the anchoring effect and acceptance."""
    if section is None:
        return ""
    rows = "".join(
        f"<tr><td>{name}</td><td class=num>{arm.assignments}</td>"
        f"<td class=num>{_f(_seconds(arm.median_active_ms), 1)}</td>"
        f"<td class=num>{_f(arm.agreement_with_ai)}</td>"
        f"<td class=num>{_f(arm.agreement_with_consensus)}</td></tr>"
        for name, arm in (("shown", section.shown), ("control", section.control)))
    people = "".join(
        f"<tr><td>{escape(name)}</td><td class=num>{count}</td>"
        f"<td class=num>{section.accepted_per_annotator[name]}</td>"
        f"<td class=num>{_f(section.acceptance_rate[name])}</td>"
        f"<td class=num>{_f(section.rubber_stamping_p_value[name])}</td></tr>"
        for name, count in section.shown_per_annotator.items())
    low, high = section.follow_rate_interval
    return "".join([
        "<h2>Pre-labelling</h2>",
        f"<p>AI judge {escape(section.judge or 'off now')}, suggestions on "
        f"{_f(section.show_rate, 2)} of assignments ({section.unavailable} had no judgment).</p>",
        "<table><tr><th>arm</th><th class=num>assignments</th><th class=num>median s</th>"
        "<th class=num>agrees with AI</th><th class=num>agrees with consensus</th></tr>",
        rows, "</table>",
        f"<p>Anchoring: agreement with the AI {_f(section.anchoring)} higher when shown "
        f"(95% CI {' to '.join(_f(x) for x in section.anchoring_interval)}); followed because "
        f"shown on {_f(section.follow_rate)} of shown assignments (95% CI {_f(low)} to "
        f"{_f(high)}). Saved {_f(section.cost_saved_per_accepted_pair, 4)} per accepted "
        "pair.</p>",
        "<table><tr><th>annotator</th><th class=num>shown</th><th class=num>accepted</th>"
        "<th class=num>acceptance rate</th><th class=num>rubber-stamping p</th></tr>",
        people, "</table>", _alerts(section.alerts),
    ])


def render_html(report: QualityReport) -> str:
    a, c, counts = report.agreement, report.consensus, report.counts
    categories = [(f.label or name, f.krippendorff_alpha) for name, f in a.by_category.items()]
    reliability = [(r.name, r.reliability) for r in report.annotators]
    low, high = a.krippendorff_alpha_interval
    return "".join([
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>Accord quality report: {escape(report.project)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Quality report: {escape(report.project)}</h1>",
        f"<p class=muted>{escape(report.generated_at)}: {counts.tasks} tasks, "
        f"{counts.annotations} annotations by {counts.annotators} annotators, "
        f"{counts.accepted_pairs} pairs ready to export.</p>",
        "<h2>Agreement</h2>",
        f"<p>Krippendorff's alpha {_f(a.krippendorff_alpha)} (95% CI {_f(low)} to {_f(high)})"
        f", Fleiss' kappa {_f(a.fleiss_kappa)}, mean Cohen's kappa "
        f"{_f(a.cohen_kappa.mean)}, percent agreement "
        f"{_f(a.percent_agreement.ties_counted)} with ties and "
        f"{_f(a.percent_agreement.ties_dropped)} without.</p>",
        "<h3>Cohen's kappa per annotator pair</h3>",
        f"<p class=muted>{escape(report_kappa.summary(a.cohen_kappa.matrix))}.</p>",
        report_kappa.heatmap(a.cohen_kappa.matrix),
        f"<details><summary>The pairs as a table</summary>"
        f"{report_kappa.table(a.cohen_kappa.matrix)}</details>",
        "<h3>Krippendorff's alpha by category</h3>",
        bar_chart(categories, low=-0.2, high=1.0, title="alpha by category"),
        "<h2>Annotators</h2>",
        bar_chart(reliability, title="reliability by annotator"),
        _annotator_table(report.annotators),
        "<h2>Consensus</h2>",
        f"<p>{c.tasks_settled} tasks settled; {c.tasks_needing_adjudication} need "
        f"adjudication (agreement below {c.agreement_threshold}).</p>",
        "<h3>Models (Bradley-Terry rating, 95% interval)</h3>",
        _models_chart(c.models),
        _win_rate_table(c.win_rates),
        _authoring(report.authoring),
        report_writers.html(report.demonstrations),
        report_overlap.html(report.overlap),
        mix_html(report.mix),
        "<h2>Alerts</h2>",
        _alerts(report.monitors.alerts),
        _prelabel(report.prelabel),
        "<h2>Cost</h2>",
        f"<p>{_f(report.cost.total_spend, 2)} spent; "
        f"{_f(report.cost.per_accepted_pair, 4)} per accepted pair.</p>",
        cost_html(report.cost.complete),
        "</body></html>",
    ])
