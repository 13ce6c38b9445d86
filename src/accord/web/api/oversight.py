"""The audit trail and the disagreement digest over the API, for managers (the digest for
reviewers too), and turning a digest entry into part of the next guideline draft."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query
from pydantic import Field

from accord.core.errors import ErrorKind
from accord.core.guidelines import drafts as guideline_drafts
from accord.core.review import audit, digest
from accord.web.api.documented import caller_errors
from accord.web.api.guidelines import GuidelineOut, version_out
from accord.web.api.paging import After
from accord.web.api.schemas import Strict
from accord.web.deps import Caller
from accord.web.sources import Now
from accord.web.values import Int64, Text
from accord.wire.oversight import (
    AuditEventOut,
    AuditPage,
    CategoryOut,
    DigestEntryOut,
    DigestOut,
    JudgmentOut,
)

router = APIRouter(tags=["oversight"])
OVERSIGHT = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID)


@router.get("/projects/{project}/audit", summary="The audit trail",
            response_model=AuditPage, responses=OVERSIGHT)
async def audit_trail(
    project: str, me: Caller,
    action: Text | None = Query(None, description="one action, or a prefix ending in '.'"),
    limit: int = Query(audit.DEFAULT_EVENTS, ge=1, le=audit.MAX_EVENTS,
                       description="events per page"),
    after: After = None,
) -> AuditPage:
    """Decisions that changed a task's consensus or the rules, newest first, ``limit`` at a
    time: pass the page's ``next`` as ``after`` for the next page (``next`` is null on the
    last)."""
    page = await me.run(audit.events, project, action=action, limit=limit, after=after)
    return AuditPage(items=[AuditEventOut(**event.__dict__) for event in page.items],
                     next=page.next)


@router.get("/projects/{project}/digest", summary="The disagreement digest",
            response_model=DigestOut, responses=OVERSIGHT)
async def disagreement_digest(
    project: str, me: Caller,
    category: Text | None = None,
    guideline_version: Int64 | None = Query(None, description="annotations made under it"),
    since: date | None = Query(None, alias="from", description="first day (UTC), inclusive"),
    until: date | None = Query(None, alias="to", description="last day (UTC), inclusive"),
    dimension: Text | None = Query(None, description="order by this dimension's agreement"),
    limit: int = Query(20, ge=1, le=digest.MAX_ENTRIES),
) -> DigestOut:
    """The most disputed finished tasks, lowest agreement first, with every rationale."""
    result = await me.run(
        digest.digest, project, category=category, guideline_version=guideline_version,
        since=since, until=until, dimension=dimension, limit=limit)
    return DigestOut(
        entries=[DigestEntryOut(**{**e.__dict__,
                                   "judgments": [JudgmentOut(**j.__dict__) for j in e.judgments]})
                 for e in result.entries],
        categories=[CategoryOut(**c.__dict__) for c in result.categories],
        dimensions=result.dimensions,
    )


class DraftAdditionIn(Strict):
    """A decision from the digest, for the next draft: a worked example on a task (``task``,
    ``title``, ``better_response``, ``explanation``) or an edge case (``title``, ``text``)."""

    kind: Text = Field(description="example or edge_case")
    title: Text
    task: Text | None = None
    better_response: Text = ""
    explanation: Text = ""
    text: Text = ""

    def entry(self) -> dict[str, Any]:
        if self.kind == "edge_case":
            return {"title": self.title, "text": self.text}
        return {"task": self.task, "title": self.title,
                "better_response": self.better_response, "explanation": self.explanation}


@router.post("/projects/{project}/guidelines/draft/additions", summary="Add to the next draft",
             response_model=GuidelineOut,
             responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND,
                                     ErrorKind.CONFLICT, ErrorKind.INVALID))
async def add_to_draft(project: str, body: DraftAdditionIn, me: Caller,
                       at: Now) -> GuidelineOut:
    """Append to the current draft (created from the current version if there is none)."""
    draft = await me.run(guideline_drafts.add_to_draft, project, body.kind, body.entry(), at)
    return version_out(draft)
