"""The quality report as one self-contained HTML file: inline CSS and SVG, no script, no
network. Every string from the project (names, messages) is escaped."""

from __future__ import annotations

from html import escape

WIDTH, BAR_HEIGHT, LABEL_WIDTH = 640, 22, 180

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


def _f(value, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def bar_chart(rows: list[tuple[str, float | None]], *, low: float = 0.0, high: float = 1.0,
              title: str) -> str:
    """Horizontal bars for values in [low, high]; a missing value draws no bar."""
    height = BAR_HEIGHT * len(rows) + 10
    span = (high - low) or 1.0
    parts = [f'<svg role="img" aria-label="{escape(title)}" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}">']
    for i, (label, value) in enumerate(rows):
        y = i * BAR_HEIGHT + 5
        parts.append(f'<text x="0" y="{y + 15}">{escape(label[:28])}</text>')
        if value is not None:
            share = min(max((value - low) / span, 0.0), 1.0)
            width = share * (WIDTH - LABEL_WIDTH - 60)
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="14" '
                         'fill="#5b7db1" rx="2"/>')
            parts.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 15}">'
                         f'{value:.3f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def interval_chart(rows: list[dict]) -> str:
    """Model ratings as points with their bootstrap intervals."""
    if not rows:
        return '<p class="muted">No model was compared with another.</p>'
    low = min(r["lower"] for r in rows) - 20
    high = max(r["upper"] for r in rows) + 20
    scale = (WIDTH - LABEL_WIDTH - 20) / ((high - low) or 1)
    height = BAR_HEIGHT * len(rows) + 10
    parts = [f'<svg role="img" aria-label="model ratings" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}">']
    for i, r in enumerate(rows):
        y = i * BAR_HEIGHT + 15
        x0, x1 = LABEL_WIDTH + (r["lower"] - low) * scale, LABEL_WIDTH + (r["upper"] - low) * scale
        x = LABEL_WIDTH + (r["rating"] - low) * scale
        parts.append(f'<text x="0" y="{y + 4}">{escape(r["model"][:28])}</text>'
                     f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y}" y2="{y}" stroke="#889" '
                     f'stroke-width="2"/><circle cx="{x:.1f}" cy="{y}" r="4" fill="#5b7db1"/>')
    parts.append("</svg>")
    return "".join(parts)


def _annotator_table(rows: list[dict]) -> str:
    head = ("<tr><th>annotator</th><th class=num>annotations</th><th class=num>reliability</th>"
            "<th class=num>agrees with consensus</th><th class=num>median s/task</th>"
            "<th class=num>gold accuracy</th></tr>")
    body = "".join(
        f"<tr><td>{escape(r['name'])}</td><td class=num>{r['annotations']}</td>"
        f"<td class=num>{_f(r['reliability'])}</td>"
        f"<td class=num>{_f(r['agreement_with_consensus'])}</td>"
        f"<td class=num>{_f(r['median_seconds_per_task'], 1)}</td>"
        f"<td class=num>{_f(r.get('gold_accuracy'))}</td></tr>" for r in rows)
    return f"<table>{head}{body}</table>"


def _win_rate_table(rows: list[dict]) -> str:
    """AlpacaEval's leaderboard columns for each model against its baseline."""
    if not rows:
        return ""
    head = ("<h3>Win rates (AlpacaEval)</h3><table><tr><th>model</th><th>baseline</th>"
            "<th class=num>win rate %</th><th class=num>standard error</th>"
            "<th class=num>wins</th><th class=num>losses</th><th class=num>draws</th>"
            "<th class=num>discrete win rate %</th></tr>")
    body = "".join(
        f"<tr><td>{escape(r['model'])}</td><td>{escape(r['baseline'])}</td>"
        f"<td class=num>{_f(r['win_rate'], 2)}</td><td class=num>{_f(r['standard_error'], 2)}</td>"
        f"<td class=num>{r['n_wins']}</td><td class=num>{r['n_wins_base']}</td>"
        f"<td class=num>{r['n_draws']}</td><td class=num>{_f(r['discrete_win_rate'], 2)}</td>"
        "</tr>" for r in rows)
    return f"{head}{body}</table>"


def _alerts(alerts: list[dict]) -> str:
    if not alerts:
        return "<p>No alerts.</p>"
    items = "".join(
        f'<li class="{escape(a["severity"])}"><strong>{escape(a["monitor"])}</strong> '
        f'({escape(a["severity"])}): {escape(a["message"])}</li>' for a in alerts)
    return f"<ul>{items}</ul>"


def render_html(report: dict) -> str:
    a, c = report["agreement"], report["consensus"]
    categories = [(name, f["krippendorff_alpha"]) for name, f in a["by_category"].items()]
    reliability = [(r["name"], r["reliability"]) for r in report["annotators"]]
    counts = report["counts"]
    return "".join([
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>Accord quality report: {escape(report['project'])}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Quality report: {escape(report['project'])}</h1>",
        f"<p class=muted>{escape(report['generated_at'])}: {counts['tasks']} tasks, "
        f"{counts['annotations']} annotations by {counts['annotators']} annotators, "
        f"{counts['accepted_pairs']} pairs ready to export.</p>",
        "<h2>Agreement</h2>",
        f"<p>Krippendorff's alpha {_f(a['krippendorff_alpha'])} (95% CI "
        f"{_f(a['krippendorff_alpha_interval'][0])} to {_f(a['krippendorff_alpha_interval'][1])})"
        f", Fleiss' kappa {_f(a['fleiss_kappa'])}, mean Cohen's kappa "
        f"{_f(a['cohen_kappa']['mean'])}, percent agreement "
        f"{_f(a['percent_agreement']['ties_counted'])} with ties and "
        f"{_f(a['percent_agreement']['ties_dropped'])} without.</p>",
        "<h3>Krippendorff's alpha by category</h3>",
        bar_chart(categories, low=-0.2, high=1.0, title="alpha by category"),
        "<h2>Annotators</h2>",
        bar_chart(reliability, title="reliability by annotator"),
        _annotator_table(report["annotators"]),
        "<h2>Consensus</h2>",
        f"<p>{c['tasks_settled']} tasks settled; {c['tasks_needing_adjudication']} need "
        f"adjudication (agreement below {c['agreement_threshold']}).</p>",
        "<h3>Models (Bradley-Terry rating, 95% interval)</h3>",
        interval_chart(c["models"]),
        _win_rate_table(c.get("win_rates", [])),
        "<h2>Alerts</h2>",
        _alerts(report["monitors"]["alerts"]),
        "<h2>Cost</h2>",
        f"<p>{_f(report['cost'].get('total_spend'), 2)} spent; "
        f"{_f(report['cost'].get('per_accepted_pair'), 4)} per accepted pair.</p>",
        "</body></html>",
    ])
