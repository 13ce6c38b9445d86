"""The pairwise Cohen's κ matrix drawn for people: a heatmap (inline SVG), the same numbers
as a table for screen readers and keyboards, and the weakest pairs as text lines.

The dashboard and the self-contained HTML report draw the same heatmap, so it is plain text
with presentation attributes only (no ``style`` attribute, no script). Each cell can take the
keyboard's focus and names its pair, κ and shared items (``aria-label`` and a ``<title>``
tooltip); a pair with too few shared items is drawn pale with a dashed border.
"""

from __future__ import annotations

from html import escape

from accord.wire.report.kappa_matrix import KappaMatrix, KappaPair

LABEL_WIDTH, TOP = 150, 16
LABEL_CHARACTERS = 20
WEAKEST = 10


def _cell_size(n: int) -> int:
    """Cells big enough to print κ in up to 12 annotators, smaller beyond (30 fit 640 px)."""
    return 40 if n <= 12 else 16


def colour(kappa: float | None) -> str:
    """κ from -1 (red) through 0 (white) to 1 (blue); grey when undefined."""
    if kappa is None:
        return "#c9ced6"
    k = min(max(kappa, -1.0), 1.0)
    if k >= 0:
        red, green, blue = 255 - 211 * k, 255 - 162 * k, 255 - 112 * k  # to #2c5d8f
    else:
        red, green, blue = 255 + 93 * k, 255 + 215 * k, 255 + 208 * k  # to #a2282f
    return f"#{round(red):02x}{round(green):02x}{round(blue):02x}"


def _said(pair: KappaPair) -> str:
    value = "undefined" if pair.kappa is None else f"{pair.kappa:.2f}"
    note = ", too few to trust" if pair.too_few else ""
    return f"{pair.a} and {pair.b}: kappa {value} over {pair.shared_items} shared items{note}"


def heatmap(matrix: KappaMatrix) -> str:
    """The lower triangle of the matrix, one focusable cell per pair that shared items."""
    n = len(matrix.annotators)
    if n < 2 or not matrix.pairs:
        return '<p class="muted">No two annotators have judged the same item yet.</p>'
    size = _cell_size(n)
    width, height = LABEL_WIDTH + n * size + 10, TOP + n * size + 10
    place = {name: i for i, name in enumerate(matrix.annotators)}
    parts = [f'<svg class="chart kappa-heatmap" role="group" aria-label="Cohen&#39;s kappa of '
             f'each annotator pair" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']
    for name, i in place.items():
        y = TOP + i * size + size / 2 + 4
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y:.1f}" text-anchor="end" '
                     f'font-size="12" fill="currentColor">'
                     f'{i + 1} {escape(name[:LABEL_CHARACTERS])}</text>')
    for pair in matrix.pairs:
        row, col = sorted((place[pair.a], place[pair.b]), reverse=True)
        x, y = LABEL_WIDTH + col * size, TOP + row * size
        said = escape(_said(pair))
        dashed = ' stroke-dasharray="3 2" fill-opacity="0.45"' if pair.too_few else ""
        parts.append(f'<g class="kappa-cell" tabindex="0" role="img" aria-label="{said}">'
                     f'<title>{said}</title><rect x="{x}" y="{y}" width="{size - 1}" '
                     f'height="{size - 1}" fill="{colour(pair.kappa)}" stroke="#667" '
                     f'stroke-width="0.5"{dashed}/>')
        if size >= 40 and pair.kappa is not None:
            ink = "#ffffff" if abs(pair.kappa) > 0.55 else "#1d2430"
            parts.append(f'<text x="{x + size / 2 - 0.5:.1f}" y="{y + size / 2 + 4:.1f}" '
                         f'text-anchor="middle" font-size="11" fill="{ink}">'
                         f'{pair.kappa:.2f}</text>')
        parts.append("</g>")
    for i in range(n - 1):  # each column's number, just above its first cell
        x = LABEL_WIDTH + i * size + size / 2
        parts.append(f'<text x="{x:.1f}" y="{TOP + (i + 1) * size - 3}" font-size="10" '
                     f'text-anchor="middle" fill="currentColor">{i + 1}</text>')
    parts.append("</svg>")
    return "".join(parts)


def table(matrix: KappaMatrix) -> str:
    """Every pair as a table row, weakest κ first: the heatmap's text alternative."""
    rows = sorted(matrix.pairs, key=_weakness)
    body = "".join(
        f'<tr><th scope="row">{escape(p.a)} and {escape(p.b)}</th>'
        f'<td class="num">{"—" if p.kappa is None else f"{p.kappa:.3f}"}</td>'
        f'<td class="num">{p.shared_items}</td><td>{"too few" if p.too_few else ""}</td></tr>'
        for p in rows)
    return ('<table class="data-table kappa-table"><caption>Cohen&#39;s kappa per annotator '
            'pair, weakest first</caption><thead><tr><th scope="col">Pair</th>'
            '<th scope="col" class="num">Kappa</th><th scope="col" class="num">Shared items'
            f'</th><th scope="col">Note</th></tr></thead><tbody>{body}</tbody></table>')


def _weakness(pair: KappaPair) -> tuple[bool, float, str, str]:
    """Trusted pairs before noisy ones, then lowest κ first (undefined last)."""
    return (pair.too_few, 2.0 if pair.kappa is None else pair.kappa, pair.a, pair.b)


def summary(matrix: KappaMatrix) -> str:
    """One sentence on what the matrix covers."""
    left = f"; {matrix.left_out} less active annotators left out" if matrix.left_out else ""
    return (f"{len(matrix.annotators)} most active annotators, {len(matrix.pairs)} pairs; "
            f"pairs sharing fewer than {matrix.min_overlap} items are marked too few{left}")


def weakest_lines(matrix: KappaMatrix, limit: int = WEAKEST) -> list[str]:
    """The pairs who agree least (among those sharing enough items), for the text report."""
    trusted = [p for p in sorted(matrix.pairs, key=_weakness) if not p.too_few]
    return [f"    {p.a} / {p.b}".ljust(40) + f"kappa {p.kappa:.3f} over {p.shared_items} items"
            for p in trusted[:limit] if p.kappa is not None]
