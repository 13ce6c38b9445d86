"""Demonstrations under review over the API: the reviewers' queue, one demonstration, a
review's decision, the writer's own demonstrations and their revision, and the rules."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field, StringConstraints

from accord.core.demonstrations import lifecycle, reading, rubric, writers
from accord.core.errors import ErrorKind
from accord.core.tasks.judgments import MAX_DIMENSIONS
from accord.web.api.documented import caller_errors
from accord.web.api.paging import After
from accord.web.api.schemas import Label, Scores, Strict
from accord.web.deps import Caller
from accord.web.sources import Now
from accord.web.values import STORABLE, WHOLE, CategoryFilter, Int64, Text
from accord.wire.demonstrations import (
    DemonstrationOut,
    DemonstrationPage,
    DemonstrationQualityOut,
    DemonstrationReviewOut,
    DemonstrationStateOut,
    DemonstrationSummaryOut,
    DemonstrationVersionOut,
    ReviewRulesOut,
    WriterQualityOut,
)

router = APIRouter(tags=["demonstrations"])
READS = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID)
CHANGES = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT,
                        ErrorKind.INVALID)
DemoText = Annotated[str, StringConstraints(max_length=lifecycle.MAX_TEXT), STORABLE]
SAYS_SOMETHING = r"^[^\x00]*[^\s\x00\x1c-\x1f][^\x00]*$"
"""Holds a character that is not a space to Python's ``strip`` (and, as all stored text,
no NUL)."""
WrittenText = Annotated[str, StringConstraints(max_length=lifecycle.MAX_TEXT,
                                               pattern=SAYS_SOMETHING), STORABLE]
"""A text that must say something: at least one character that is not a space."""
Comment = Annotated[str, StringConstraints(max_length=lifecycle.MAX_COMMENT), STORABLE]
Reason = Annotated[str, StringConstraints(max_length=lifecycle.MAX_COMMENT,
                                          pattern=SAYS_SOMETHING), STORABLE]
CheckName = Annotated[str, StringConstraints(max_length=rubric.MAX_CHECK_LENGTH), STORABLE]
TRIMMED = r"^[^\s\x00\x1c-\x1f](?:[^\x00]*[^\s\x00\x1c-\x1f])?$"
"""No space at either end (what Python's ``strip`` removes, the separators \\x1c-\\x1f
among them) and no NUL."""
RuleCheck = Annotated[str, StringConstraints(max_length=rubric.MAX_CHECK_LENGTH,
                                             pattern=TRIMMED), STORABLE]
"""A required check's name as a rule holds it: no space at either end, no NUL."""
PageSize = Annotated[int, Query(ge=1, le=reading.MAX_PAGE, description="items per page")]


class Turn(Strict):
    role: Label
    content: DemoText


class _Review(Strict):
    """What every review sends: the version reviewed, a score per quality dimension and a
    verdict on every required check of the project's rubric (a name the rubric does not
    hold, or one left out, is refused with 409: the rubric is the project's, not the
    request's)."""

    version: Int64 = Field(description="the version you reviewed (a newer one is refused)")
    scores: Scores
    checks: Annotated[dict[CheckName, bool], Field(max_length=rubric.MAX_CHECKS)]
    active_ms: Annotated[int, Field(ge=0, le=7 * 24 * 3600 * 1000), WHOLE] = 0


class AcceptIn(_Review):
    """Accept the version as it is; every required check must be ticked."""

    decision: Literal["accept"]
    comment: Comment = ""


class AcceptWithEditsIn(_Review):
    """Accept with the reviewer's edit, which becomes the final version."""

    decision: Literal["accept_with_edits"]
    comment: Comment = ""
    edited_text: WrittenText = Field(description="the accepted text, changed from the version")


class SendBackIn(_Review):
    """Send the version back to its writer, saying what to change."""

    decision: Literal["send_back"]
    comment: Reason = Field(description="what to change")


class RejectIn(_Review):
    """Reject the demonstration, saying why."""

    decision: Literal["reject"]
    comment: Reason = Field(description="why it is rejected")


ReviewIn = Annotated[AcceptIn | AcceptWithEditsIn | SendBackIn | RejectIn,
                     Field(discriminator="decision")]
"""A review: its ``decision`` says which fields it takes (a comment to send back or reject,
the edited text to accept with edits)."""


class RevisionIn(Strict):
    """The writer's new text of a demonstration sent back to them."""

    version: Int64 = Field(description="the version that was sent back")
    text: DemoText
    turns: Annotated[list[Turn], Field(max_length=lifecycle.MAX_TURNS)] | None = None


class ReviewRulesIn(Strict):
    """The whole rules: a field left out takes its default (the four default checks, no
    double review, one accept for every category)."""

    rubric_checks: list[RuleCheck] = Field(
        default_factory=lambda: list(rubric.DEFAULT_CHECKS), max_length=rubric.MAX_CHECKS,
        json_schema_extra={"uniqueItems": True}, description="each named once")
    double_share: Annotated[float, Field(ge=0, le=1)] = 0.0
    two_accepts_for: list[CategoryFilter] = Field(default_factory=list,
                                         max_length=rubric.MAX_CATEGORIES)
    seed: Annotated[int, Field(ge=0, lt=2**31), WHOLE] = 0


def _page(page) -> DemonstrationPage:
    return DemonstrationPage(items=[DemonstrationSummaryOut(**asdict(s)) for s in page.items],
                             next=page.next)


def rules_out(rules: rubric.ReviewRules) -> ReviewRulesOut:
    return ReviewRulesOut(dimensions=[d.as_dict() for d in rules.dimensions][:MAX_DIMENSIONS],
                          **rules.as_dict())


@router.get("/projects/{project}/demonstrations/queue", summary="Demonstrations to review",
            response_model=DemonstrationPage, responses=READS)
async def review_queue(project: str, me: Caller, category: Text | None = None,
                       status: Text | None = Query("in_review", description=(
                           "in_review (those waiting for you), sent_back, accepted or "
                           "rejected")),
                       limit: PageSize = reading.DEFAULT_PAGE,
                       after: After = None) -> DemonstrationPage:
    """Demonstrations oldest first, for reviewers; your own writing and versions you already
    reviewed are left out."""
    return _page(await me.run(reading.queue, project, category=category, status=status,
                              limit=limit, after=after))


@router.get("/projects/{project}/demonstrations/mine", summary="My demonstrations",
            response_model=DemonstrationPage, responses=READS)
async def my_demonstrations(project: str, me: Caller, status: Text | None = None,
                            limit: PageSize = reading.DEFAULT_PAGE,
                            after: After = None) -> DemonstrationPage:
    """The demonstrations you wrote, oldest first, with where each stands; open one for its
    reviewers' feedback."""
    return _page(await me.run(reading.mine, project, status=status, limit=limit, after=after))


@router.get("/projects/{project}/demonstrations/rules", summary="The review rules",
            response_model=ReviewRulesOut, responses=READS)
async def review_rules(project: str, me: Caller) -> ReviewRulesOut:
    """The rubric every demonstration is reviewed against, for every member."""
    return rules_out(await me.run(reading.rules, project))


@router.put("/projects/{project}/demonstrations/rules", summary="Set the review rules",
            response_model=ReviewRulesOut, responses=CHANGES)
async def set_review_rules(project: str, body: ReviewRulesIn, me: Caller,
                           at: Now) -> ReviewRulesOut:
    """Managers set the required checks, the share reviewed twice and the categories that
    need two accepts (audited)."""
    return rules_out(await me.run(rubric.configure, project, body.model_dump(), at))


@router.get("/projects/{project}/demonstrations/writers", summary="Writers' quality",
            response_model=DemonstrationQualityOut, responses=READS)
async def writers_quality(project: str, me: Caller) -> DemonstrationQualityOut:
    """Per writer: acceptance rate, rounds to acceptance, edit distances, rubric scores and
    active time; and reviewer agreement (Krippendorff's alpha) on the double-reviewed share.
    For reviewers and managers."""
    found = await me.run(writers.quality_for, project)
    return DemonstrationQualityOut(
        writers=[WriterQualityOut(**asdict(w)) for w in found.writers],
        double_reviewed=found.double_reviewed, reviewer_alpha=found.reviewer_alpha,
        reviewer_alpha_by_dimension=found.reviewer_alpha_by_dimension)


@router.get("/projects/{project}/demonstrations/{demonstration_id}",
            summary="One demonstration", response_model=DemonstrationOut, responses=READS)
async def one_demonstration(project: str, demonstration_id: Int64,
                            me: Caller) -> DemonstrationOut:
    """Its prompt, every version with the diff from the one before, and its reviews (blind:
    reviews of the version in review are shown only to their reviewer)."""
    found = await me.run(reading.demonstration, project, demonstration_id)
    return DemonstrationOut(
        demonstration=DemonstrationSummaryOut(**asdict(found.summary)),
        messages=found.messages,
        versions=[DemonstrationVersionOut(**asdict(v)) for v in found.versions],
        reviews=[DemonstrationReviewOut(**asdict(r)) for r in found.reviews],
        hidden_reviews=found.hidden_reviews, reject_reason=found.reject_reason,
        rubric=rules_out(found.rubric), can_review=found.can_review,
        can_revise=found.can_revise)


@router.post("/projects/{project}/demonstrations/{demonstration_id}/review",
             summary="Review a demonstration", response_model=DemonstrationStateOut,
             responses=CHANGES)
async def review(project: str, demonstration_id: Int64, body: ReviewIn, me: Caller,
                 at: Now) -> DemonstrationStateOut:
    """Accept, accept with edits, send back with a comment, or reject with a reason. A
    demonstration you wrote is refused (403); a version that moved on meanwhile, 409."""
    settled = await me.run(
        lifecycle.decide, project, demonstration_id, version=body.version,
        decision=body.decision, scores=body.scores, checks=body.checks, comment=body.comment,
        edited_text=getattr(body, "edited_text", None), active_ms=body.active_ms, now=at)
    return _state(settled)


@router.post("/projects/{project}/demonstrations/{demonstration_id}/revise",
             summary="Revise a demonstration sent back", response_model=DemonstrationStateOut,
             responses=CHANGES)
async def revise(project: str, demonstration_id: Int64, body: RevisionIn, me: Caller,
                 at: Now) -> DemonstrationStateOut:
    """The writer's new version; the demonstration goes back to review."""
    turns = None if body.turns is None else [t.model_dump() for t in body.turns]
    settled = await me.run(lifecycle.revise, project, demonstration_id, version=body.version,
                           text=body.text, turns=turns, now=at)
    return _state(settled)


def _state(settled: lifecycle.Settled) -> DemonstrationStateOut:
    return DemonstrationStateOut(
        id=settled.demonstration_id, status=settled.status, version=settled.version,
        rounds=settled.rounds, reviews_in=settled.reviews_in,
        reviews_needed=settled.reviews_needed)
