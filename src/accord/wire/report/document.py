"""The whole report: what it counted, and its sections."""

from __future__ import annotations

from typing import Any

from accord.wire.report.agreement import AgreementSection
from accord.wire.report.annotators import AnnotatorRow
from accord.wire.report.authoring import AuthoringFigures
from accord.wire.report.base import Absent, ReportModel
from accord.wire.report.consensus import ConsensusSection
from accord.wire.report.demonstrations import DemonstrationsSection
from accord.wire.report.judges import JudgesSection
from accord.wire.report.mix import MixSection
from accord.wire.report.monitors import CostFigures, MonitorsSection
from accord.wire.report.overlap import OverlapSection
from accord.wire.report.prelabel import PrelabelSection


class ReportScope(ReportModel):
    """Which annotations the figures count."""

    guideline_versions: list[int] | None
    """The guideline version numbers whose annotations count; null counts every annotation."""
    include_ai: bool
    """Whether AI judges' annotations count in the figures (they always count in the model
    win rates)."""


class Counts(ReportModel):
    """How much the report rests on."""

    tasks: int
    """Tasks of the project, in every status."""
    annotations: int
    """Annotations the figures count."""
    pairwise_outcomes: int
    """Pairwise outcomes (one annotator's vote on one response pair) the figures count."""
    annotators: int
    """Annotators with at least one annotation the figures count."""
    accepted_pairs: int
    """Decided pairs of settled tasks: what a preference export would take."""
    ai_annotations: int
    """Annotations by AI judges within the scope, counted in the figures or not."""
    left_out_by_guideline_version: int
    """Annotations outside the guideline versions the scope keeps."""


class QualityReport(ReportModel):
    """A project's quality report: agreement, annotators, consensus, monitors and cost."""

    project: str
    """The project's name."""
    generated_at: str
    """When the report was computed (ISO 8601, UTC)."""
    scope: ReportScope
    """The cut the figures count: guideline versions kept, AI judges in or out."""
    counts: Counts
    """Tasks, annotations, outcomes and people behind the figures."""
    agreement: AgreementSection
    """How often annotators agree, with intervals."""
    annotators: list[AnnotatorRow]
    """One row per annotator with an annotation in the scope."""
    consensus: ConsensusSection
    """The consensus per task and the model ratings."""
    monitors: MonitorsSection
    """Every monitor's figures and all their alerts."""
    cost: CostFigures
    """Active hours and spend."""
    judges: JudgesSection
    """AI judges' annotations, counted apart from people's, and their audits."""
    authoring: AuthoringFigures | Absent = None
    """How demonstrations were authored and how many model drafts went in unchanged;
    absent for a project without demonstrations."""
    demonstrations: DemonstrationsSection | Absent = None
    """Each writer's demonstrations as review judged them (acceptance, rounds, edit
    distances, rubric scores, active time) and the reviewers' agreement on the
    double-reviewed share; absent for a project without demonstrations."""
    prelabel: PrelabelSection | Absent = None
    """Pre-labelling's experiment, in a project that shows an AI judge's suggestions."""
    overlap: OverlapSection | Absent = None
    """Adaptive overlap's spending and estimated accuracy; absent without the rule."""
    mix: MixSection | Absent = None
    """Prompt-mix targets against what each stage holds (read from the database: absent
    from a report computed from arrays alone)."""

    def as_json(self) -> dict[str, Any]:
        """The JSON document of ``accord report --json`` and of the API: every field the
        report set, so a field that this report leaves out is absent rather than null."""
        return self.model_dump(mode="json", exclude_unset=True)
