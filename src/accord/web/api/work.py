"""The annotation loop: claim the next task, submit, skip."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Response

from accord.core import work
from accord.core.judgments import Judgment
from accord.db.types import utcnow
from accord.web.api.schemas import AnnotationIn, NextTaskOut, SkipIn, SkipOut, SubmissionOut
from accord.web.deps import Caller

router = APIRouter(tags=["annotation"])


@router.get(
    "/projects/{project}/tasks/next",
    response_model=NextTaskOut,
    responses={204: {"description": "nothing is left for the caller"}},
)
async def next_task(project: str, me: Caller):
    claim = await me.run(work.next_task, project, utcnow())
    if claim is None:
        return Response(status_code=204)
    return NextTaskOut(
        assignment_id=claim.assignment_id,
        lease_expires_at=claim.lease_expires_at,
        task=asdict(claim.task),
    )


@router.post("/assignments/{assignment_id}/submit", response_model=SubmissionOut)
async def submit(assignment_id: int, body: AnnotationIn, me: Caller, response: Response):
    judgment = Judgment(**body.model_dump())
    stored = await me.run(work.submit, assignment_id, judgment, utcnow())
    if stored.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return SubmissionOut(
        annotation_id=stored.annotation_id,
        assignment_id=stored.assignment_id,
        task_id=stored.task_id,
        late=stored.late,
        created_at=stored.created_at,
        annotation=stored.annotation,
    )


@router.post("/assignments/{assignment_id}/skip", response_model=SkipOut)
async def skip(assignment_id: int, body: SkipIn, me: Caller) -> SkipOut:
    await me.run(work.skip, assignment_id, body.reason, utcnow())
    return SkipOut(assignment_id=assignment_id)
