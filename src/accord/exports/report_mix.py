"""The report's ``mix`` section as text and as HTML: target, actual share and gap per
category and stage, and a bar of the accepted share with the target marked."""

from __future__ import annotations

from html import escape

from accord.charts import TargetShare, target_chart
from accord.wire.report.mix import STAGES, MixSection


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _gap(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:+.1f} pts"


def mix_lines(mix: MixSection | None) -> list[str]:
    """Text lines: one per category, each stage's share and the accepted gap."""
    if mix is None or not mix.categories:
        return []
    lines = ["", "Prompt mix (target; share imported / generated / annotated / accepted; "
                 "gap accepted)"]
    for key, row in mix.categories.items():
        shares = " / ".join(_share(getattr(row, stage).share) for stage in STAGES)
        lines.append(f"  {row.label or key:<20} {_share(row.target):>6}; {shares}; "
                     f"{_gap(row.accepted.gap)}")
    return lines


def mix_chart(mix: MixSection) -> str:
    """The accepted share of each category against its target."""
    return target_chart([TargetShare(row.label, row.accepted.share, row.target)
                         for row in mix.categories.values()],
                        title="accepted share of each category against its target")


def mix_html(mix: MixSection | None) -> str:
    """The section as a table (target, then count, share and gap per stage) and the chart."""
    if mix is None or not mix.categories:
        return ""
    head = "".join(f"<th class=num>{stage}</th>" for stage in STAGES)
    rows = []
    for row in mix.categories.values():
        cells = "".join(
            f"<td class=num>{getattr(row, s).count} ({_share(getattr(row, s).share)}; "
            f"gap {_gap(getattr(row, s).gap)})</td>" for s in STAGES)
        rows.append(f"<tr><td>{escape(row.label)}</td><td class=num>{_share(row.target)}</td>"
                    f"{cells}</tr>")
    return ("<h2>Prompt mix</h2><p class=muted>Count, share of the stage and gap to the "
            "target (positive: under-filled) per stage; the bars are accepted shares, the "
            "tick the target.</p>"
            f"<table><tr><th>category</th><th class=num>target</th>{head}</tr>"
            f"{''.join(rows)}</table>{mix_chart(mix)}")
