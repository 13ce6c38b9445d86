"""Charts as inline SVG text: numbers and labels in, SVG out.

The pages and the self-contained HTML report draw the same charts, and neither may reach the
network or run a script, so the charts are drawn on the server as text. Only presentation
attributes (``fill``, ``stroke``) are used, never a ``style`` attribute, so a chart lives
under the pages' ``style-src 'self'``. Every label is escaped here; what a chart means, and
what to show when there is nothing to draw, is the caller's business.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import NamedTuple

WIDTH, BAR_HEIGHT, LABEL_WIDTH = 640, 22, 180
LABEL_CHARACTERS = 28


class Estimate(NamedTuple):
    """A value with the interval around it, e.g. a rating and its bootstrap interval."""

    label: str
    value: float
    lower: float
    upper: float


def bar_chart(rows: Sequence[tuple[str, float | None]], *, low: float = 0.0, high: float = 1.0,
              title: str) -> str:
    """Horizontal bars for values in [low, high]; a missing value draws no bar."""
    height = BAR_HEIGHT * len(rows) + 10
    span = (high - low) or 1.0
    parts = [f'<svg role="img" aria-label="{escape(title)}" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}">']
    for i, (label, value) in enumerate(rows):
        y = i * BAR_HEIGHT + 5
        parts.append(f'<text x="0" y="{y + 15}">{escape(label[:LABEL_CHARACTERS])}</text>')
        if value is not None:
            share = min(max((value - low) / span, 0.0), 1.0)
            width = share * (WIDTH - LABEL_WIDTH - 60)
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="14" '
                         'fill="#5b7db1" rx="2"/>')
            parts.append(f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 15}">'
                         f'{value:.3f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def interval_chart(rows: Sequence[Estimate], *, title: str) -> str:
    """Each estimate as a point on the line of its interval, on one scale with some margin
    (20 units each side) around the widest interval."""
    low = min((r.lower for r in rows), default=0.0) - 20
    high = max((r.upper for r in rows), default=0.0) + 20
    scale = (WIDTH - LABEL_WIDTH - 20) / ((high - low) or 1)
    height = BAR_HEIGHT * len(rows) + 10
    parts = [f'<svg role="img" aria-label="{escape(title)}" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}">']
    for i, r in enumerate(rows):
        y = i * BAR_HEIGHT + 15
        x0, x1 = LABEL_WIDTH + (r.lower - low) * scale, LABEL_WIDTH + (r.upper - low) * scale
        x = LABEL_WIDTH + (r.value - low) * scale
        parts.append(f'<text x="0" y="{y + 4}">{escape(r.label[:LABEL_CHARACTERS])}</text>'
                     f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y}" y2="{y}" stroke="#889" '
                     f'stroke-width="2"/><circle cx="{x:.1f}" cy="{y}" r="4" fill="#5b7db1"/>')
    parts.append("</svg>")
    return "".join(parts)


class TargetShare(NamedTuple):
    """A share with the target it should reach (None: no target), both in [0, 1]."""

    label: str
    share: float | None
    target: float | None


def target_chart(rows: Sequence[TargetShare], *, title: str) -> str:
    """Each share as a bar with its target marked by a dark tick, values written beside it
    (``25.0% of 30.0%``) so that the chart reads without colour or a mouse."""
    height = BAR_HEIGHT * len(rows) + 10
    span = WIDTH - LABEL_WIDTH - 130
    parts = [f'<svg role="img" aria-label="{escape(title)}" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}">']
    for i, row in enumerate(rows):
        y = i * BAR_HEIGHT + 5
        parts.append(f'<text x="0" y="{y + 15}">{escape(row.label[:LABEL_CHARACTERS])}</text>')
        share = min(max(row.share or 0.0, 0.0), 1.0)
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{share * span:.1f}" '
                     'height="14" fill="#5b7db1" rx="2"/>')
        said = "—" if row.share is None else f"{row.share:.1%}"
        if row.target is not None:
            x = LABEL_WIDTH + min(max(row.target, 0.0), 1.0) * span
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + 20}" '
                         'stroke="#1d2430" stroke-width="3"/>')
            said += f" of {row.target:.1%}"
        parts.append(f'<text x="{LABEL_WIDTH + span + 8}" y="{y + 15}">{escape(said)}</text>')
    parts.append("</svg>")
    return "".join(parts)
