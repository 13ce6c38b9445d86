"""The ``judges`` section: AI judges, counted apart from people, and their audits."""

from __future__ import annotations

from accord.wire.report.base import ReportModel


class JudgeCount(ReportModel):
    """An AI judge with annotations in the report's scope."""

    name: str
    """The judge's user name."""
    annotations: int
    """Its annotations in the scope."""


class AuditAgreement(ReportModel):
    """How often a judge gave the reference label, over some pairs."""

    pairs: int
    """Pairs with both a judge label and a reference label."""
    agreement: float | None
    """Share of those where the judge gave the reference label."""
    kappa: float | None
    """Cohen's kappa between the judge and the reference (three categories)."""


class Confusion(ReportModel):
    """The judge's labels against the reference labels."""

    labels: list[str]
    """The categories, in the order of the matrix's rows and columns."""
    rows: str
    """Whose labels the rows are."""
    columns: str
    """Whose labels the columns are."""
    matrix: list[list[int]]
    """Counts of pairs per (row label, column label)."""


class JudgeAudit(ReportModel):
    """One AI judge measured against people and gold (``core.judging.judge_audit``)."""

    project: str
    """The project's name."""
    judge: str
    """The judge's user name."""
    model: str | None
    """The model behind the judge, when its settings name one."""
    constitution: str | None
    """The constitution the judge follows, when its settings name one."""
    reference: str
    """What the judge is compared with."""
    judgments: int
    """The judge's comparison annotations."""
    swap_measured: int
    """Judgments that record both display orders."""
    swap_consistency: float | None
    """Share of those in which both orders named the same winner."""
    mean_confidence: float | None
    """Mean confidence of the judge's judgments."""
    pairs: int
    """Pairs with both a judge label and a reference label."""
    agreement: float | None
    """Share of those where the judge gave the reference label."""
    kappa: float | None
    """Cohen's kappa between the judge and the reference."""
    gold: AuditAgreement
    """The same figures on pairs whose reference is a gold answer."""
    human_consensus: AuditAgreement
    """The same figures on pairs whose reference is the people's consensus."""
    confusion: Confusion
    """The confusion table: pairs per (judge label, reference label)."""


class JudgesSection(ReportModel):
    """AI judges' annotations in the scope; the figures count them only when asked."""

    annotations: int
    """AI judges' annotations in the scope."""
    judges: list[JudgeCount]
    """Each AI judge with annotations in the scope."""
    counted_in_figures: bool
    """Whether the report's figures count the judges' annotations."""
    audit: list[JudgeAudit] | None
    """One audit per AI judge of the project, over the whole project; null when no judge is
    in the scope."""
