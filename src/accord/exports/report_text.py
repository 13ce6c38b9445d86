"""The quality report as text for a terminal: the figures a lead reads first."""

from __future__ import annotations

from accord.exports import report_kappa, report_overlap, report_writers
from accord.exports.report_cost import cost_lines
from accord.exports.report_mix import mix_lines
from accord.wire.report import QualityReport
from accord.wire.report.authoring import AuthoringFigures
from accord.wire.report.judges import JudgesSection
from accord.wire.report.prelabel import PrelabelSection


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


def _authoring_lines(figures: AuthoringFigures | None) -> list[str]:
    """Demonstrations by authoring mode and the model drafts submitted unchanged."""
    if figures is None:
        return []
    modes = ", ".join(f"{count} {mode.replace('_', '-')}"
                      for mode, count in figures.by_mode.items())
    lines = ["", f"Demonstrations ({figures.demonstrations}: {modes})"]
    if figures.by_mode.get("post_edit"):
        lines.append(f"  unchanged drafts    {figures.unchanged_drafts} "
                     f"({_f(figures.unchanged_share, 2)} of post-edits); mean edit distance "
                     f"{_f(figures.mean_edit_distance, 1)} characters")
        lines += [f"    {name:<20} {count} unchanged"
                  for name, count in figures.unchanged_by_annotator.items()]
    return lines


def _interval(bounds: list[float | None]) -> str:
    return "..".join(_f(x) for x in bounds)


def _prelabel_lines(section: PrelabelSection | None) -> list[str]:
    """Pre-labelling's experiment: each arm, the anchoring effect, who accepts what."""
    if section is None:
        return []
    shown, control = section.shown, section.control
    lines = ["", f"Pre-labelling (AI judge {section.judge or 'off now'}, shown on "
             f"{_f(section.show_rate, 2)} of assignments; {section.unavailable} with no "
             "judgment)",
             "  arm        assignments  median s  agrees with AI  agrees with consensus"]
    for name, arm in (("shown", shown), ("control", control)):
        seconds = None if arm.median_active_ms is None else arm.median_active_ms / 1000
        lines.append(f"  {name:<10} {arm.assignments:>11}  {_f(seconds, 1):>8}  "
                     f"{_f(arm.agreement_with_ai):>14}  {_f(arm.agreement_with_consensus):>21}")
    lines += [f"  anchoring (shown - control, agrees with AI) {_f(section.anchoring)}  95% CI "
              f"{_interval(section.anchoring_interval)}",
              f"  followed because shown {_f(section.follow_rate)}  95% CI "
              f"{_interval(section.follow_rate_interval)}",
              f"  consensus difference {_f(section.consensus_difference)}  95% CI "
              f"{_interval(section.consensus_difference_interval)}",
              f"  saved per accepted pair {_f(section.cost_saved_per_accepted_pair, 4)} "
              f"({_f(section.cost_saved, 2)} in all)"]
    for name, shown_count in section.shown_per_annotator.items():
        lines.append(f"    {name:<20} accepted {section.accepted_per_annotator[name]:>5} of "
                     f"{shown_count:<5} ({_f(section.acceptance_rate[name], 2)})")
    lines += [f"  [{x.severity}] {x.monitor}.{x.check}: "
              f"{(x.annotator + ' ') if x.annotator else ''}{x.message}" for x in section.alerts]
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
    weakest = report_kappa.weakest_lines(a.cohen_kappa.matrix)
    if weakest:
        lines += ["  Annotator pairs who agree least (Cohen kappa)", *weakest]
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
    lines += _authoring_lines(report.authoring)
    lines += report_writers.text_lines(report.demonstrations)
    lines += _prelabel_lines(report.prelabel)
    lines += report_overlap.text_lines(report.overlap)
    lines += mix_lines(report.mix)
    alerts = report.monitors.alerts
    lines += ["", f"Alerts ({len(alerts)})"]
    lines += [f"  [{x.severity}] {x.monitor}: {x.message}" for x in alerts] or ["  none"]
    cost = report.cost
    lines += ["", f"Cost: {_f(cost.total_spend, 2)} spent, "
              f"{_f(cost.per_accepted_pair, 4)} per accepted pair"]
    lines += cost_lines(cost.complete)
    return "\n".join(lines) + "\n"
