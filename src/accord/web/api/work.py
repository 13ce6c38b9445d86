"""The annotation loop: claim the next task, submit, skip.

When no task is handed out the answer is ``204 No Content``. If a project rule holds work
back, headers say why: ``Accord-Wait`` (``calibration_failed``, ``calibration_unavailable``
or ``break``) and ``Accord-Wait-Message`` (a sentence for a person); a break adds
``Accord-Wait-Until`` (ISO 8601, UTC) and ``Retry-After`` (seconds). A task of a calibration
round carries ``Accord-Calibration: 2/5`` (its place in the round); production tasks, gold
or not, carry nothing of the kind.
"""

from __future__ import annotations

import math
from dataclasses import asdict

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from accord.core.errors import ErrorKind
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.core.work.claims import Wait
from accord.web.api.documented import caller_errors
from accord.web.api.schemas import (
    AnnotationIn,
    CalibrationFeedbackOut,
    NextTaskOut,
    SkipIn,
    SkipOut,
    SubmissionOut,
    TaskOut,
)
from accord.web.deps import Caller
from accord.web.sources import Now, chance
from accord.web.values import Int64

router = APIRouter(tags=["annotation"])

WAIT_HEADERS = {
    "Accord-Wait": "why no task was given: calibration_failed, calibration_unavailable, break",
    "Accord-Wait-Message": "the reason as a sentence for a person",
    "Accord-Wait-Until": "for a break, when it ends (ISO 8601, UTC)",
    "Retry-After": "for a break, seconds until it ends",
}


def as_json(model: BaseModel, headers: dict[str, str] | None = None) -> Response:
    """``model`` serialised once by pydantic: returned as a model, FastAPI would validate it
    against the route's ``response_model`` again and then serialise it (the schema the API
    documents stays the route's ``response_model``)."""
    return Response(model.model_dump_json(), media_type="application/json", headers=headers)


def waiting(wait: Wait, at) -> Response:
    """204 with the reason in headers: clients that only know 204 still stop cleanly."""
    headers = {"Accord-Wait": wait.reason, "Accord-Wait-Message": wait.message}
    if wait.until is not None:
        headers["Accord-Wait-Until"] = wait.until.isoformat()
        headers["Retry-After"] = str(max(1, math.ceil((wait.until - at).total_seconds())))
    return Response(status_code=204, headers=headers)


@router.get(
    "/projects/{project}/tasks/next",
    summary="Claim the next task",
    response_model=NextTaskOut,
    responses={204: {"description": "no task for the caller now; when a project rule holds "
                                    "work back, the Accord-Wait headers say why",
                     "headers": {k: {"description": v} for k, v in WAIT_HEADERS.items()}},
               **caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID)},
)
async def next_task(project: str, me: Caller, at: Now, request: Request) -> Response:
    """Lease the caller's next task in the project (or resume the one they hold), with its
    responses in the order this annotator is shown them."""
    claim = await me.run(claims.next_task, project, at, chance(request))
    if claim is None:
        return Response(status_code=204)
    if isinstance(claim, Wait):
        return waiting(claim, at)
    position = claim.calibration
    return as_json(
        NextTaskOut(
            assignment_id=claim.assignment_id,
            lease_expires_at=claim.lease_expires_at,
            task=TaskOut.model_validate(claim.task, from_attributes=True),
        ),
        None if position is None else {"Accord-Calibration": f"{position.position}/{position.of}"},
    )


@router.post("/assignments/{assignment_id}/submit", summary="Submit a judgment",
             response_model=SubmissionOut,
             responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND,
                                     ErrorKind.CONFLICT, ErrorKind.INVALID))
async def submit(assignment_id: Int64, body: AnnotationIn, me: Caller, at: Now) -> Response:
    """Store the judgment for the caller's assignment; submitting it again returns the stored
    one (``Idempotent-Replayed: true``); a late one is kept while the task has a free slot."""
    judgment = Judgment(**body.model_dump(exclude={"suggestion_accepted"}))
    stored = await me.run(submissions.submit, assignment_id, judgment, at,
                          body.suggestion_accepted)
    feedback = stored.calibration
    return as_json(
        SubmissionOut(
            annotation_id=stored.annotation_id,
            assignment_id=stored.assignment_id,
            task_id=stored.task_id,
            late=stored.late,
            created_at=stored.created_at,
            annotation=stored.annotation,
            calibration=None if feedback is None else CalibrationFeedbackOut(**asdict(feedback)),
        ),
        {"Idempotent-Replayed": "true"} if stored.replayed else None,
    )


@router.post("/assignments/{assignment_id}/skip", summary="Skip an assigned task",
             response_model=SkipOut,
             responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND,
                                     ErrorKind.CONFLICT, ErrorKind.INVALID))
async def skip(assignment_id: Int64, body: SkipIn, me: Caller, at: Now) -> SkipOut:
    """Give the task back with a reason; it returns to the pool for others, never to you."""
    await me.run(submissions.skip, assignment_id, body.reason, at)
    return SkipOut(assignment_id=assignment_id)
