"""The report's ``demonstrations`` section (writers' figures, reviewer agreement) as text
lines, as HTML, and as the formatted rows that the HTML report and the dashboard both show."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from accord.wire.report.demonstrations import DemonstrationsSection, WriterFigures

COLUMNS = ("Writer", "Written", "Accepted", "Rejected", "Acceptance rate",
           "Rounds to acceptance", "Edit distance from draft", "Edit distance to accepted",
           "Mean rubric scores", "Active minutes")
"""The table's headers, in the order of ``WriterRow.cells()``."""


def _f(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


@dataclass(frozen=True)
class WriterRow:
    """One writer's figures as the text a reader sees."""

    writer: str
    written: str
    accepted: str
    rejected: str
    acceptance_rate: str
    rounds: str
    from_draft: str
    to_accepted: str
    scores: str
    active_minutes: str

    def cells(self) -> list[str]:
        """Every cell after the writer's name, in ``COLUMNS`` order."""
        return [self.written, self.accepted, self.rejected, self.acceptance_rate, self.rounds,
                self.from_draft, self.to_accepted, self.scores, self.active_minutes]


def row(figures: WriterFigures) -> WriterRow:
    scores = ", ".join(f"{name} {value:.2f}" for name, value in figures.mean_scores.items())
    return WriterRow(
        writer=figures.writer, written=str(figures.written), accepted=str(figures.accepted),
        rejected=str(figures.rejected), acceptance_rate=_f(figures.acceptance_rate),
        rounds=_f(figures.mean_rounds_to_acceptance),
        from_draft=_f(figures.mean_edit_distance_from_draft, 1),
        to_accepted=_f(figures.mean_edit_distance_to_accepted, 1),
        scores=scores or "n/a", active_minutes=f"{figures.active_ms / 60_000:.1f}")


def rows(section: DemonstrationsSection) -> list[WriterRow]:
    return [row(figures) for figures in section.writers]


def agreement(section: DemonstrationsSection) -> str:
    """One sentence: reviewer agreement and the double-reviewed versions it rests on."""
    by_dimension = ", ".join(f"{name} {_f(alpha, 3)}"
                             for name, alpha in section.reviewer_alpha_by_dimension.items())
    return (f"Reviewer agreement (Krippendorff's alpha, interval) {_f(section.reviewer_alpha, 3)}"
            f" over {section.double_reviewed} double-reviewed demonstration versions"
            + (f"; by dimension {by_dimension}" if by_dimension else ""))


def text_lines(section: DemonstrationsSection | None) -> list[str]:
    """The section for ``accord report`` (nothing without demonstrations)."""
    if section is None:
        return []
    lines = ["", "Writers (demonstrations as review judged them)",
             f"  {agreement(section)}",
             "  writer               written  accepted  rejected  acceptance  rounds  "
             "from draft  to accepted  active min  mean scores"]
    for r in rows(section):
        lines.append(f"  {r.writer:<20} {r.written:>7}  {r.accepted:>8}  {r.rejected:>8}  "
                     f"{r.acceptance_rate:>10}  {r.rounds:>6}  {r.from_draft:>10}  "
                     f"{r.to_accepted:>11}  {r.active_minutes:>10}  {r.scores}")
    return lines


def html(section: DemonstrationsSection | None) -> str:
    """The section for the self-contained HTML report (empty without demonstrations)."""
    if section is None:
        return ""
    head = "".join(f"<th{' class=num' if i else ''}>{escape(name.lower())}</th>"
                   for i, name in enumerate(COLUMNS))
    body = "".join(
        f"<tr><td>{escape(r.writer)}</td>"
        + "".join(f"<td class=num>{escape(cell)}</td>" for cell in r.cells()) + "</tr>"
        for r in rows(section))
    return (f"<h2>Writers</h2><p>{escape(agreement(section))}.</p>"
            f"<table><tr>{head}</tr>{body}</table>")
