"""The ``agreement.cohen_kappa.matrix`` field: who disagrees with whom.

The mean κ hides the pair of annotators who read the guidelines differently; the matrix keeps
every pair's κ with the number of items it rests on, for the most active annotators only, so
that it stays readable (and small) at hundreds of annotators.
"""

from __future__ import annotations

from accord.wire.report.base import ReportModel


class KappaPair(ReportModel):
    """Cohen's kappa of two annotators on the comparison items both judged."""

    a: str
    """The first annotator's login name (the earlier of the two in ``annotators``)."""
    b: str
    """The second annotator's login name."""
    kappa: float | None
    """Cohen's kappa over the shared items (three categories: first, second, tie); null when
    it is undefined (no disagreement possible by chance)."""
    shared_items: int
    """(task, response pair) items both annotators judged."""
    too_few: bool
    """True when ``shared_items`` is below the matrix's ``min_overlap``: the κ is shown but
    too noisy to trust, and is left out of the mean."""


class KappaMatrix(ReportModel):
    """Pairwise Cohen's kappa among the most active annotators."""

    annotators: list[str]
    """The annotators in the matrix, most comparison judgments first (at most ``limit``)."""
    limit: int
    """The most annotators a matrix holds; the rest are counted in ``left_out``."""
    left_out: int
    """Annotators with comparison judgments who are not in the matrix."""
    min_overlap: int
    """Shared items a pair needs for its κ to count (below it, ``too_few``)."""
    pairs: list[KappaPair]
    """Every pair of ``annotators`` sharing at least one item, in the order of
    ``annotators``; a pair absent here shared no item."""
