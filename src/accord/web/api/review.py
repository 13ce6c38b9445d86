"""Review over the API: split decisions and a reviewer's final ranking; escalated items and
their status, for safety specialists (to anyone else the escalation routes answer 404)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import Field, StringConstraints

from accord.core.errors import ErrorKind
from accord.core.review import adjudication, escalation, review_queue
from accord.core.tasks.judgments import MAX_RANKED
from accord.web.api.documented import caller_errors
from accord.web.api.schemas import Strict, TieGroup
from accord.web.deps import Caller
from accord.web.sources import Now
from accord.web.values import INT64_MAX, STORABLE, Int64, Text
from accord.wire.review import AdjudicationOut, EscalationOut, QueueItemOut

router = APIRouter(tags=["review"])


class AdjudicationIn(Strict):
    """The final ranking (tie groups of response ids, best first) and why."""

    ranking: list[TieGroup] = Field(max_length=MAX_RANKED,
                                    description='tie groups of response ids: [["b"], ["a"]]')
    rationale: Annotated[str, StringConstraints(max_length=adjudication.MAX_RATIONALE), STORABLE]
    active_ms: Int64 | None = Field(None, description="time the reviewer actively spent, in "
                                    "milliseconds, at most a day (counted in the report's "
                                    "complete cost)")


TOTAL_HEADER = "X-Total-Count"


@router.get("/projects/{project}/adjudication", summary="Split decisions to adjudicate",
            response_model=list[QueueItemOut],
            responses={200: {"headers": {TOTAL_HEADER: {
                "description": "items waiting under the filters, on every page",
                "schema": {"type": "integer"}}}},
                **caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID)})
async def adjudication_queue(
    project: str, me: Caller, response: Response,
    sort: Literal["priority", "agreement", "oldest", "category"] = Query(
        "priority", description="priority (the default), agreement (least first), oldest "
                                "(completed first) or category"),
    category: Text | None = Query(None, description="only this category (its key)"),
    reason: Literal["split", "suspect label"] | None = Query(
        None, description="only split tasks, or only suspect labels"),
    offset: int = Query(0, ge=0, le=INT64_MAX, description="items to pass over"),
    limit: int = Query(review_queue.MAX_LIMIT, ge=1, le=review_queue.MAX_LIMIT,
                       description="items per page"),
) -> list[QueueItemOut]:
    """Tasks whose annotators disagree, and suspect labels, for reviewers; those you
    annotated are left out. Sorted, filtered and paged by the database; the
    ``X-Total-Count`` header says how many wait under the filters."""
    query = review_queue.QueueQuery(sort=sort, category=category, reason=reason,
                                    offset=offset, limit=limit)
    found = await me.run(review_queue.page, project, query)
    response.headers[TOTAL_HEADER] = str(found.total)
    return [QueueItemOut(**asdict(item)) for item in found.items]


@router.post("/projects/{project}/tasks/{task_id}/adjudicate", summary="Settle a split task",
             response_model=AdjudicationOut,
             responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND,
                                     ErrorKind.CONFLICT, ErrorKind.INVALID))
async def adjudicate(project: str, task_id: str, body: AdjudicationIn, me: Caller,
                     at: Now) -> AdjudicationOut:
    """Store a reviewer's final ranking and why; the task becomes ``resolved``."""
    decision = await me.run(adjudication.decide, project, task_id, body.ranking,
                            body.rationale, at, active_ms=body.active_ms)
    return AdjudicationOut(task_id=task_id, status="resolved", **asdict(decision))


class EscalationUpdateIn(Strict):
    status: Text = Field(description="in_review or resolved")
    note: Annotated[str, StringConstraints(max_length=escalation.MAX_NOTE), STORABLE] = Field(
        "", description="what was done; required to resolve")
    severity: Int64 | None = Field(None, description="re-tier the item: 1 low … 4 critical")


@router.get("/projects/{project}/escalations", summary="Escalated items",
            response_model=list[EscalationOut],
            responses=caller_errors(ErrorKind.NOT_FOUND, ErrorKind.INVALID))
async def escalation_queue(
    project: str, me: Caller,
    status: Text | None = Query(None, description="open, in_review or resolved"),
    severity: Int64 | None = Query(None, description="1 low, 2 medium, 3 high, 4 critical"),
) -> list[EscalationOut]:
    """Escalated items with their content, unresolved and most severe first."""
    items = await me.run(escalation.escalated, project, status=status, severity=severity)
    return [EscalationOut(**asdict(item), tier=item.tier) for item in items]


@router.post("/projects/{project}/escalations/{escalation_id}", summary="Move an escalation on",
             status_code=204,
             responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND,
                                     ErrorKind.CONFLICT, ErrorKind.INVALID))
async def escalation_update(project: str, escalation_id: Int64, body: EscalationUpdateIn,
                            me: Caller, at: Now) -> Response:
    """Put it in review, or resolve it with a note; ``severity`` re-tiers it on the way."""
    await me.run(escalation.set_status, project, escalation_id, body.status, body.note, at,
                 severity=body.severity)
    return Response(status_code=204)
