"""The quality report as text for a terminal: the figures a lead reads first."""

from __future__ import annotations

from accord.exports.report_cost import cost_lines
from accord.exports.report_mix import mix_lines
from accord.wire.report import QualityReport
from accord.wire.report.judges import JudgesSection


def _f(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _judge_lines(judges: JudgesSection) -> list[str]:
    """AI judges, counted apart from people, each with its audit against them."""
    if not judges.judges:
        return []
    counted = "counted in the figures above" if judges.counted_in_figures else \
        "not counted in the figures above"
    lines = ["", f"AI judges ({judges.annotations} annotations, {counted})"]
    audits = {audit.judge: audit for audit in judges.audit or []}
    for judge in judges.judges:
        audit = audits.get(judge.name)
        figures = "" if audit is None else (
            f"  agrees with people {_f(audit.agreement)}  kappa {_f(audit.kappa)} on "
            f"{audit.pairs} pairs  swap consistency {_f(audit.swap_consistency)}")
        lines.append(f"  {judge.name:<20} {judge.annotations:>6} annotations{figures}")
    return lines


def render_text(report: QualityReport) -> str:
    a, c, counts = report.agreement, report.consensus, report.counts
    lines = [
        f"Quality report for {report.project} ({report.generated_at})",
        f"  {counts.tasks} tasks, {counts.annotations} annotations, "
        f"{counts.annotators} annotators, {counts.accepted_pairs} pairs ready to export",
        "",
        "Agreement (per task and response pair)",
        f"  percent agreement   {_f(a.percent_agreement.ties_counted)} with ties, "
        f"{_f(a.percent_agreement.ties_dropped)} without",
        f"  Krippendorff alpha  {_f(a.krippendorff_alpha)}  95% CI "
        + "..".join(_f(x) for x in a.krippendorff_alpha_interval),
        f"  Fleiss kappa        {_f(a.fleiss_kappa)}",
        f"  Cohen kappa (mean)  {_f(a.cohen_kappa.mean)} over "
        f"{a.cohen_kappa.annotator_pairs} annotator pairs",
    ]
    for name, figures in a.by_category.items():
        lines.append(f"    {figures.label or name:<16} alpha {_f(figures.krippendorff_alpha)}  "
                     f"agreement {_f(figures.percent_agreement)}")
    lines += ["", "Consensus",
              f"  {c.tasks_settled} tasks settled, {c.tasks_needing_adjudication} need "
              f"adjudication (agreement below {c.agreement_threshold})"]
    for model in c.models:
        lines.append(f"    {model.model:<24} {model.rating:7.1f}  "
                     f"[{model.lower:.1f}, {model.upper:.1f}]  "
                     f"{model.comparisons} comparisons")
    if c.win_rates:
        lines.append("  Win rates (AlpacaEval: % against the baseline, standard error, wins/losses/"
                     "draws)")
    for row in c.win_rates:
        lines.append(f"    {row.model:<24} {_f(row.win_rate, 2):>6} ± "
                     f"{_f(row.standard_error, 2)} vs {row.baseline}  "
                     f"{row.n_wins}/{row.n_wins_base}/{row.n_draws}")
    lines += ["", "Annotators (reliability: Dawid-Skene accuracy)"]
    for person in sorted(report.annotators, key=lambda r: -(r.reliability or 0)):
        lines.append(f"  {person.name:<20} {person.annotations:>6} annotations  reliability "
                     f"{_f(person.reliability)}  agrees with consensus "
                     f"{_f(person.agreement_with_consensus)} "
                     f"on {person.consensus_pairs or 0} pairs")
    lines += _judge_lines(report.judges)
    lines += mix_lines(report.mix)
    alerts = report.monitors.alerts
    lines += ["", f"Alerts ({len(alerts)})"]
    lines += [f"  [{x.severity}] {x.monitor}: {x.message}" for x in alerts] or ["  none"]
    cost = report.cost
    lines += ["", f"Cost: {_f(cost.total_spend, 2)} spent, "
              f"{_f(cost.per_accepted_pair, 4)} per accepted pair"]
    lines += cost_lines(cost.complete)
    return "\n".join(lines) + "\n"
