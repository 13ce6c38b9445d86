"""Charts as inline SVG text: numbers and labels in, SVG out.

The pages and the self-contained HTML report draw the same charts, and neither may reach the
network or run a script, so the charts are drawn on the server as text. Only presentation
attributes (``fill``, ``stroke``) are used, never a ``style`` attribute, so a chart lives
under the pages' ``style-src 'self'``. Every label is escaped here; what a chart means, and
what to show when there is nothing to draw, is the caller's business.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import NamedTuple

WIDTH, BAR_HEIGHT, LABEL_WIDTH = 640, 22, 180
LABEL_CHARACTERS = 28


class Estimate(NamedTuple):
    """A value with the interval around it, e.g. a rating and its bootstrap interval, and the
    number of observations it rests on (None: not counted)."""

    label: str
    value: float
    lower: float
    upper: float
    observations: int | None = None


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


INTERVAL_TEXT_WIDTH = 190
"""Room on the right of an interval chart for ``1012 (987 to 1040), n=311``."""


def _ticks(low: float, high: float, wanted: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 times a power of ten) covering [low, high]."""
    raw = (high - low) / max(wanted - 1, 1) or 1.0
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def interval_chart(rows: Sequence[Estimate], *, title: str) -> str:
    """Each estimate as a point on the line of its interval, on one scale with some margin
    (20 units each side) around the widest interval; an axis with round ticks below, and each
    row's value, interval and count written at its right so it reads without a mouse."""
    low = min((r.lower for r in rows), default=0.0) - 20
    high = max((r.upper for r in rows), default=0.0) + 20
    plot = WIDTH - LABEL_WIDTH - INTERVAL_TEXT_WIDTH
    scale = plot / ((high - low) or 1)
    axis_y = BAR_HEIGHT * len(rows) + 8
    height = axis_y + 24
    parts = [f'<svg role="img" aria-label="{escape(title)}" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}">',
             f'<line x1="{LABEL_WIDTH}" x2="{LABEL_WIDTH + plot}" y1="{axis_y}" y2="{axis_y}" '
             'stroke="#667" stroke-width="1"/>']
    for tick in _ticks(low, high):
        x = LABEL_WIDTH + (tick - low) * scale
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{axis_y + 4}" stroke="#ccd" '
                     f'stroke-width="0.5"/><text x="{x:.1f}" y="{axis_y + 17}" '
                     f'text-anchor="middle" font-size="11">{tick:g}</text>')
    for i, r in enumerate(rows):
        y = i * BAR_HEIGHT + 15
        x0, x1 = LABEL_WIDTH + (r.lower - low) * scale, LABEL_WIDTH + (r.upper - low) * scale
        x = LABEL_WIDTH + (r.value - low) * scale
        said = f"{r.value:.0f} ({r.lower:.0f} to {r.upper:.0f})"
        if r.observations is not None:
            said += f", n={r.observations}"
        parts.append(f'<text x="0" y="{y + 4}">{escape(r.label[:LABEL_CHARACTERS])}</text>'
                     f'<line x1="{x0:.1f}" x2="{x1:.1f}" y1="{y}" y2="{y}" stroke="#889" '
                     f'stroke-width="2"/><circle cx="{x:.1f}" cy="{y}" r="4" fill="#5b7db1">'
                     f'<title>{escape(r.label)}: {escape(said)}</title></circle>'
                     f'<text x="{LABEL_WIDTH + plot + 8}" y="{y + 4}">{escape(said)}</text>')
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
