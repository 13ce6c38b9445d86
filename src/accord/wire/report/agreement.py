"""The ``agreement`` section: how often annotators agree, on comparisons and on ratings."""

from __future__ import annotations

from accord.wire.report.base import Interval, ReportModel
from accord.wire.report.kappa_matrix import KappaMatrix


class PercentAgreementFigures(ReportModel):
    """The share of agreeing annotator pairs within each (task, response pair)."""

    ties_counted: float | None
    """With a tie as a verdict of its own."""
    ties_dropped: float | None
    """Over the verdicts that are not ties."""
    ties_counted_interval: Interval
    """Cluster-bootstrap 95% interval of ``ties_counted`` over items."""


class CohenKappaFigures(ReportModel):
    """Cohen's kappa of every two annotators who judged enough items in common."""

    mean: float | None
    """The mean over those annotator pairs; null when there are none."""
    annotator_pairs: int
    """Annotator pairs that judged at least ``min_overlap`` items in common."""
    min_overlap: int
    """Items in common an annotator pair needs to count."""
    matrix: KappaMatrix
    """Each pair's kappa among the most active annotators, with the items it rests on."""


class CategoryAgreement(ReportModel):
    """Agreement within one prompt category."""

    krippendorff_alpha: float | None
    """Krippendorff's alpha (nominal) of the category's pair items."""
    percent_agreement: float | None
    """Percent agreement, ties counted, of the category's pair items."""
    label: str | None = None
    """The category as its source wrote it ("Open QA"); the key above is what filters and
    rules match on."""


class DimensionAgreement(ReportModel):
    """Agreement on one quality dimension's ratings, per (task, response)."""

    krippendorff_alpha_ordinal: float | None
    """Krippendorff's alpha with the ordinal metric."""
    krippendorff_alpha_interval: float | None
    """Krippendorff's alpha with the interval metric."""
    ratings: int
    """Ratings given on the dimension."""


class AgreementSection(ReportModel):
    """Agreement on comparisons, measured per (task, response pair) with three categories
    (first preferred, second preferred, tie), and on quality dimensions."""

    unit: str
    """What one item is."""
    items: int
    """(task, response pair) items with at least one judgment."""
    judgments: int
    """Pairwise outcomes over those items."""
    percent_agreement: PercentAgreementFigures
    """Percent agreement, with and without ties."""
    cohen_kappa: CohenKappaFigures
    """Cohen's kappa between annotators, averaged."""
    fleiss_kappa: float | None
    """Fleiss' kappa over the items; null when it cannot be measured."""
    fleiss_kappa_interval: Interval
    """Cluster-bootstrap 95% interval of Fleiss' kappa."""
    krippendorff_alpha: float | None
    """Krippendorff's alpha (nominal) over the items; null when it cannot be measured."""
    krippendorff_alpha_interval: Interval
    """Cluster-bootstrap 95% interval of Krippendorff's alpha."""
    by_category: dict[str, CategoryAgreement]
    """Per prompt category with pair items, in order of category name."""
    by_dimension: dict[str, DimensionAgreement]
    """Per quality dimension of the project's ratings."""
