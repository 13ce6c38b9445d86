"""Guideline versions over the API: list, read, draft, edit, preview, publish, and what changed.

Members read published versions; managers also see, write and publish the draft. The body
of a draft or an edit is the guideline document (``core.guidelines.document``): any subset
of ``text``, ``dimensions``, ``priority``, ``edge_cases``, ``escalation_rules``,
``examples``, ``change_note``, ``requires_recalibration``; fields left out keep their value.
"""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, Query
from pydantic import Field

from accord.core.errors import ErrorKind, NotFound
from accord.core.guidelines import diff as guideline_diff
from accord.core.guidelines import drafts as guideline_drafts
from accord.core.guidelines.current import Guideline
from accord.core.guidelines.document import MAX_ENTRIES
from accord.core.guidelines.drafts import GuidelineVersion
from accord.web.api.documented import caller_errors
from accord.web.api.schemas import Strict
from accord.web.deps import Caller
from accord.web.pages.rendering import render_page
from accord.web.sources import Now
from accord.web.values import Document, Int64, Text
from accord.wire.guidelines import EntryOut, ExampleOut, GuidelineOut, PreviewOut
from accord.wire.guidelines import GuidelineDimensionOut as DimensionOut

router = APIRouter(tags=["guidelines"])
READ = caller_errors(ErrorKind.NOT_FOUND, ErrorKind.INVALID)
"""Reading is for every member; a draft only for managers (to others it does not exist)."""
WRITE = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT,
                      ErrorKind.INVALID)
"""Drafts are written by managers; a published version never changes (409)."""


class GuidelineIn(Strict):
    """Fields of a guideline document; those left out keep their value."""

    text: Text | None = None
    dimensions: list[Document] | None = Field(
        None, max_length=MAX_ENTRIES,
        description='[{"name": "honesty", "min": 1, "max": 5, "definition": "…"}]')
    priority: list[Text] | None = Field(None, max_length=MAX_ENTRIES,
                                        description="every dimension's name, most important "
                                                    "first")
    edge_cases: list[dict[Text, Text]] | None = Field(None, max_length=MAX_ENTRIES,
                                                      description='[{"title", "text"}]')
    escalation_rules: list[dict[Text, Text]] | None = Field(None, max_length=MAX_ENTRIES)
    examples: list[Document] | None = Field(
        None, max_length=MAX_ENTRIES,
        description='[{"task": "q-17", "title", "better_response": "b", "explanation"}]')
    change_note: Text | None = None
    requires_recalibration: bool | None = None

    def fields(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


def version_out(version: GuidelineVersion) -> GuidelineOut:
    doc = version.document
    return GuidelineOut(
        version=version.version, status=version.status, text=doc.text,
        dimensions=[DimensionOut(**d) for d in doc.dimensions], priority=doc.priority,
        edge_cases=[EntryOut(**e) for e in doc.edge_cases],
        escalation_rules=[EntryOut(**e) for e in doc.escalation_rules],
        examples=[ExampleOut(**e) for e in doc.examples], change_note=doc.change_note,
        requires_recalibration=version.requires_recalibration, created_by=version.created_by,
        created_at=version.created_at, published_at=version.guideline.published_at,
    )


def render_panel(guideline: Guideline) -> str:
    """The workbench's guideline panel for ``guideline``: what an annotator reads."""
    return render_page("guidelines/_panel.html", {"guideline": guideline,
                                                   "definitions": guideline.dimensions})


@router.get("/projects/{project}/guidelines", summary="List guideline versions",
            response_model=list[GuidelineOut], responses=READ)
async def list_guidelines(project: str, me: Caller) -> list[GuidelineOut]:
    """Every version, newest first; the draft only for managers."""
    return [version_out(v) for v in await me.run(guideline_drafts.list_versions, project)]


@router.post("/projects/{project}/guidelines", summary="Start a draft",
             response_model=GuidelineOut, status_code=201, responses=WRITE)
async def create_draft(project: str, body: GuidelineIn, me: Caller, at: Now) -> GuidelineOut:
    """Start the project's draft from the current version, with the given fields."""
    return version_out(await me.run(guideline_drafts.create_draft, project, body.fields(), at))


@router.get("/projects/{project}/guidelines/diff", summary="What changed between versions",
            response_model=None, responses=READ)
async def diff_guidelines(
    project: str, me: Caller,
    since: Int64 | None = Query(None, alias="from", description="older version (default: the "
                              "one you last worked under, else the previous one)"),
    target: Int64 | None = Query(None, alias="to", description="newer version (default: current)"),
) -> dict:
    """What changed between two versions: text hunks and the structured parts."""
    changes = await me.run(guideline_diff.changes, project, since=since, target=target)
    if changes is None:
        raise NotFound(f'no guideline has been published for "{project}" yet')
    return guideline_diff.as_dict(changes)


@router.get("/projects/{project}/guidelines/{version:int}", summary="Read a guideline version",
            response_model=GuidelineOut, responses=READ)
async def get_guideline(project: str, version: Int64, me: Caller) -> GuidelineOut:
    """One version with everything in it; a draft only for managers."""
    return version_out(await me.run(guideline_drafts.get_version, project, version))


@router.patch("/projects/{project}/guidelines/{version:int}", summary="Edit the draft",
              response_model=GuidelineOut, responses=WRITE)
async def update_draft(project: str, version: Int64, body: GuidelineIn, me: Caller,
                       at: Now) -> GuidelineOut:
    """Change fields of the draft; a published version answers 409 and stays as it was."""
    return version_out(await me.run(guideline_drafts.update_draft, project, version,
                                    body.fields(), at))


@router.post("/projects/{project}/guidelines/{version:int}/preview", summary="Preview the draft",
             response_model=PreviewOut,
             responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND,
                                     ErrorKind.INVALID))
async def preview_draft(project: str, version: Int64, body: GuidelineIn,
                        me: Caller) -> PreviewOut:
    """The draft, with the unsaved fields given, rendered as annotators will see it."""
    shown = await me.run(guideline_drafts.preview, project, version, body.fields())
    html = await anyio.to_thread.run_sync(render_panel, shown)
    return PreviewOut(version=version, html=html)


@router.post("/projects/{project}/guidelines/{version:int}/publish", summary="Publish the draft",
             response_model=GuidelineOut, responses=WRITE)
async def publish_draft(project: str, version: Int64, me: Caller, at: Now) -> GuidelineOut:
    """Publish the draft: it becomes the current version and never changes again."""
    return version_out(await me.run(guideline_drafts.publish, project, version, at))
