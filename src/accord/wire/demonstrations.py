"""Demonstrations under review as they travel: the review queue, one demonstration with its
versions and reviews, a review's outcome, and the project's review rules."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class DemonstrationSummaryOut(BaseModel):
    """One demonstration in a list (the review queue, a writer's own)."""

    id: int
    task_id: str
    category: str
    writer: str
    status: str = Field(description="in_review, sent_back, accepted or rejected")
    version: int = Field(description="the current version's number (1 as written)")
    rounds: int = Field(description="review rounds settled so far")
    reviews_needed: int = Field(description="2 for a blind double review, else 1")
    reviews_in: int = Field(description="reviews of the current version so far")
    created_at: datetime
    updated_at: datetime


class DemonstrationPage(BaseModel):
    """One page of demonstrations, oldest first; ``next`` is null on the last page."""

    items: list[DemonstrationSummaryOut]
    next: str | None = Field(description="pass as `?after=` to read the next page")


class DemonstrationVersionOut(BaseModel):
    number: int
    text: str
    turns: list[dict] | None = Field(description="the turns of a multi-turn demonstration")
    author: str
    reason: str = Field(description="written, revised or reviewer_edit")
    edit_distance: int | None = Field(description="characters changed from the previous "
                                                  "version; null for version 1")
    diff: str = Field(description="unified diff from the previous version; empty for 1")
    created_at: datetime


class DemonstrationReviewOut(BaseModel):
    id: int
    version: int = Field(description="the version reviewed")
    reviewer: str
    scores: dict[str, int] = Field(description="a score per quality dimension")
    checks: dict[str, bool] = Field(description="each required check: passed or not")
    decision: str = Field(description="accept, accept_with_edits, send_back or reject")
    comment: str
    edited_text: str | None
    blind: bool = Field(description="one of two independent reviews of the version")
    created_at: datetime


class ReviewRulesOut(BaseModel):
    """The rubric and who needs two reviews (``projects.settings.demonstration_review``)."""

    dimensions: list[dict] = Field(description="the quality dimensions scored: name, min, max")
    rubric_checks: list[str]
    double_share: float = Field(description="share reviewed twice, blind (seeded draw)")
    two_accepts_for: list[str] = Field(description="categories that need two accepts")
    seed: int


class DemonstrationOut(BaseModel):
    """One demonstration for its writer or a reviewer. Reviews of the version in review are
    shown only to their own reviewer (``hidden_reviews`` counts the others)."""

    demonstration: DemonstrationSummaryOut
    messages: list[dict]
    versions: list[DemonstrationVersionOut]
    reviews: list[DemonstrationReviewOut]
    hidden_reviews: int
    reject_reason: str | None
    rubric: ReviewRulesOut
    can_review: bool
    can_revise: bool


class DemonstrationStateOut(BaseModel):
    """Where a review or a revision left the demonstration."""

    id: int
    status: str
    version: int
    rounds: int
    reviews_in: int
    reviews_needed: int


class WriterQualityOut(BaseModel):
    writer: str
    written: int
    accepted: int
    rejected: int
    acceptance_rate: float | None = Field(description="accepted / (accepted + rejected)")
    mean_rounds_to_acceptance: float | None
    mean_edit_distance_from_draft: float | None = Field(
        description="characters changed from a model's draft, over post-edited ones")
    mean_edit_distance_to_accepted: float | None = Field(
        description="characters changed from the first version to the accepted text")
    mean_scores: dict[str, float] = Field(description="mean rubric score per dimension")
    active_ms: int = Field(description="active writing time")


class DemonstrationQualityOut(BaseModel):
    """Each writer's figures, and reviewer agreement on the double-reviewed share."""

    writers: list[WriterQualityOut]
    double_reviewed: int = Field(description="versions scored by two reviewers")
    reviewer_alpha: float | None = Field(
        description="Krippendorff's alpha (interval) over their rubric scores")
    reviewer_alpha_by_dimension: dict[str, float | None]
