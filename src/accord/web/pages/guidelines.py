"""Guideline pages: the managers' editor (draft, preview, publish) and the annotators'
"what changed" page.

``/projects/{project}/guidelines`` lists the versions for managers and starts a draft;
``…/guidelines/{version}/edit`` is the draft's form, whose Preview button renders the
unsaved form exactly as the workbench's guideline panel will show it (nothing is stored)
and whose Save button stores it; Publish (a form of its own) publishes the saved draft.
``…/guidelines/changes`` shows any member what changed since the version they last worked
under, or between two versions (``?from=2&to=3``). Forms post and are answered with 303.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from accord.core.errors import Conflict, InvalidInput
from accord.core.guidelines import diff as guideline_diff
from accord.core.guidelines import drafts as guideline_drafts
from accord.web.deps import Viewer
from accord.web.pages.guideline_form import LISTS, fields_from, rows_of
from accord.web.pages.rendering import render
from accord.web.sources import Now
from accord.web.statuses import status_of

router = APIRouter()


def _base(project: str) -> str:
    return f"/projects/{quote(project, safe='')}/guidelines"


@router.get("/projects/{project}/guidelines")
async def guideline_list(request: Request, project: str, viewer: Viewer,
                         published: int | None = None) -> Response:
    def load(conn, user):
        return user, *guideline_drafts.editor(conn, user, project)

    user, found, versions = await viewer.run(load)
    return await render(request, "guidelines/list.html", user, project_name=found.name,
                        versions=versions, published=published,
                        has_draft=any(v.status == "draft" for v in versions))


@router.post("/projects/{project}/guidelines/new")
async def guideline_new(project: str, viewer: Viewer, at: Now) -> Response:
    draft = await viewer.run(guideline_drafts.create_draft, project, {}, at)
    return RedirectResponse(f"{_base(project)}/{draft.version}/edit", status_code=303)


async def _editor(request: Request, viewer: Viewer, project: str, version: int, *,
                  form: dict | None = None, preview=None, error: str | None = None,
                  saved: bool = False, status: int = 200) -> Response:
    def load(conn, user):
        return user, guideline_drafts.draft_for_editing(conn, user, project, version)

    user, stored = await viewer.run(load)
    return await render(
        request, "guidelines/edit.html", user, project_name=project, stored=stored,
        form=form or rows_of(stored.document), preview=preview, error=error, saved=saved,
        lists=LISTS, status=status,
    )


@router.get("/projects/{project}/guidelines/{version:int}/edit")
async def guideline_edit(request: Request, project: str, version: int, viewer: Viewer,
                         saved: bool = False) -> Response:
    return await _editor(request, viewer, project, version, saved=saved)


@router.post("/projects/{project}/guidelines/{version:int}/edit")
async def guideline_save(request: Request, project: str, version: int, viewer: Viewer,
                         at: Now) -> Response:
    posted = await request.form()
    fields = fields_from(posted)
    shown = rows_of(fields)
    try:
        if posted.get("action") == "preview":
            panel = await viewer.run(guideline_drafts.preview, project, version, fields)
            return await _editor(request, viewer, project, version, form=shown, preview=panel)
        await viewer.run(guideline_drafts.update_draft, project, version, fields, at)
    except (InvalidInput, Conflict) as problem:
        return await _editor(request, viewer, project, version, form=shown,
                             error=problem.message, status=status_of(problem))
    return RedirectResponse(f"{_base(project)}/{version}/edit?saved=1", status_code=303)


@router.post("/projects/{project}/guidelines/{version:int}/publish")
async def guideline_publish(request: Request, project: str, version: int, viewer: Viewer,
                            at: Now) -> Response:
    try:
        done = await viewer.run(guideline_drafts.publish, project, version, at)
    except (InvalidInput, Conflict) as problem:
        return await _editor(request, viewer, project, version, error=problem.message,
                             status=status_of(problem))
    target = f"{_base(project)}?{urlencode({'published': done.version})}"
    return RedirectResponse(target, status_code=303)


@router.get("/projects/{project}/guidelines/changes")
async def guideline_changes(
    request: Request, project: str, viewer: Viewer,
    since: str = Query("", alias="from"), target: str = Query("", alias="to"),
) -> Response:
    numbers = {}
    for name, value in (("since", since), ("target", target)):
        if value.strip():
            if not value.strip().isdigit():
                raise InvalidInput(f"{'from' if name == 'since' else 'to'}: {value!r} is not "
                                   "a version number")
            numbers[name] = int(value)

    def load(conn, user):
        return user, guideline_diff.changes(conn, user, project, **numbers)

    user, changes = await viewer.run(load)
    return await render(request, "guidelines/changes.html", user, project_name=project,
                        changes=changes)
