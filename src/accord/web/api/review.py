"""Review over the API: split decisions and a reviewer's final ranking; escalated items and
their status, for safety specialists (to anyone else the escalation routes answer 404)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from fastapi import APIRouter, Query, Response
from pydantic import Field

from accord.core.errors import ErrorKind
from accord.core.review import adjudication, escalation
from accord.web.api.documented import caller_errors
from accord.web.api.schemas import Strict
from accord.web.deps import Caller
from accord.web.sources import Now

router = APIRouter(tags=["review"])


class QueueItemOut(Strict):
    task_id: str
    category: str
    annotations: int
    agreement: float | None
    completed_at: datetime | None


class AdjudicationIn(Strict):
    """The final ranking (tie groups of response ids, best first) and why."""

    ranking: list[list[str]] = Field(description='tie groups of response ids: [["b"], ["a"]]')
    rationale: str


class AdjudicationOut(Strict):
    task_id: str
    status: str
    reviewer: str
    ranking: list[list[str]]
    rationale: str
    created_at: datetime


@router.get("/projects/{project}/adjudication", summary="Split decisions to adjudicate",
            response_model=list[QueueItemOut],
            responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND,
                                    ErrorKind.INVALID))
async def adjudication_queue(project: str, me: Caller) -> list[QueueItemOut]:
    """Tasks whose annotators disagree, for reviewers; those you annotated are left out."""
    items = await me.run(adjudication.queue, project)
    return [QueueItemOut(**asdict(item)) for item in items]


@router.post("/projects/{project}/tasks/{task_id}/adjudicate", summary="Settle a split task",
             response_model=AdjudicationOut,
             responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND,
                                     ErrorKind.CONFLICT, ErrorKind.INVALID))
async def adjudicate(project: str, task_id: str, body: AdjudicationIn, me: Caller,
                     at: Now) -> AdjudicationOut:
    """Store a reviewer's final ranking and why; the task becomes ``resolved``."""
    decision = await me.run(adjudication.decide, project, task_id, body.ranking,
                            body.rationale, at)
    return AdjudicationOut(task_id=task_id, status="resolved", **asdict(decision))


class EscalationOut(Strict):
    id: int
    task_id: str
    category: str
    severity: int
    status: str
    reason: str
    raised_by: str | None
    resolution: str | None
    created_at: datetime
    messages: list[dict]
    responses: list[tuple[str, str]]
    assigned_to: str | None
    resolved_at: datetime | None
    tier: str = Field(description="severity as a word: low, medium, high, critical")


class EscalationUpdateIn(Strict):
    status: str = Field(description="in_review or resolved")
    note: str = Field("", description="what was done; required to resolve")
    severity: int | None = Field(None, description="re-tier the item: 1 low … 4 critical")


@router.get("/projects/{project}/escalations", summary="Escalated items",
            response_model=list[EscalationOut],
            responses=caller_errors(ErrorKind.NOT_FOUND, ErrorKind.INVALID))
async def escalation_queue(
    project: str, me: Caller,
    status: str | None = Query(None, description="open, in_review or resolved"),
    severity: int | None = Query(None, description="1 low, 2 medium, 3 high, 4 critical"),
) -> list[EscalationOut]:
    """Escalated items with their content, unresolved and most severe first."""
    items = await me.run(escalation.escalated, project, status=status, severity=severity)
    return [EscalationOut(**asdict(item), tier=item.tier) for item in items]


@router.post("/projects/{project}/escalations/{escalation_id}", summary="Move an escalation on",
             status_code=204,
             responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND,
                                     ErrorKind.CONFLICT, ErrorKind.INVALID))
async def escalation_update(project: str, escalation_id: int, body: EscalationUpdateIn,
                            me: Caller, at: Now) -> Response:
    """Put it in review, or resolve it with a note; ``severity`` re-tiers it on the way."""
    await me.run(escalation.set_status, project, escalation_id, body.status, body.note, at,
                 severity=body.severity)
    return Response(status_code=204)
