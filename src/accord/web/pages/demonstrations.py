"""Demonstration review pages: the reviewers' queue, one demonstration (its review form for a
reviewer; its feedback and revise form for its writer), and a writer's own demonstrations.

Plain HTML forms that post to these routes and are answered with a redirect (303), so they
work from the keyboard alone: Tab through the scores (a number per dimension), Space ticks a
check, and each decision is its own button. A refused form is shown again with what was typed
and the reason (422, or 409 when the demonstration moved on meanwhile).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from accord.core.demonstrations import lifecycle, reading
from accord.core.demonstrations.states import STATES
from accord.core.errors import Conflict, InvalidInput
from accord.web.deps import Viewer
from accord.web.pages.rendering import render
from accord.web.sources import Now
from accord.web.statuses import status_of
from accord.web.values import Int64, whole_number

router = APIRouter()
PAGE = 100


def _base(project: str) -> str:
    return f"/projects/{quote(project, safe='')}/demonstrations"


@router.get("/projects/{project}/demonstrations")
async def review_queue(request: Request, project: str, viewer: Viewer, status: str = "in_review",
                       category: str = "", after: str = "", done: str = "") -> Response:
    chosen = status if status in STATES else "in_review"

    def load(conn, user):
        return user, reading.queue(conn, user, project, status=chosen,
                                   category=category.strip() or None, limit=PAGE,
                                   after=after or None)

    user, page = await viewer.run(load)
    return await render(request, "demonstrations/queue.html", user, project_name=project,
                        page=page, chosen_status=chosen, category=category, statuses=STATES,
                        done=done)


@router.get("/projects/{project}/demonstrations/mine")
async def my_demonstrations(request: Request, project: str, viewer: Viewer,
                            after: str = "", revised: str = "") -> Response:
    def load(conn, user):
        return user, reading.mine(conn, user, project, limit=PAGE, after=after or None)

    user, page = await viewer.run(load)
    return await render(request, "demonstrations/mine.html", user, project_name=project,
                        page=page, revised=revised)


async def _page(request: Request, viewer: Viewer, project: str, demonstration_id: int, *,
                error: str | None = None, status: int = 200, form: dict | None = None):
    def load(conn, user):
        return user, reading.demonstration(conn, user, project, demonstration_id)

    user, found = await viewer.run(load)
    return await render(request, "demonstrations/demonstration.html", user,
                        project_name=project, demo=found, error=error, form=form or {},
                        status=status)


@router.get("/projects/{project}/demonstrations/{demonstration_id}")
async def demonstration_page(request: Request, project: str, demonstration_id: Int64,
                             viewer: Viewer) -> Response:
    return await _page(request, viewer, project, demonstration_id)


def _review_form(form: FormData) -> dict:
    """The review form's fields: ``score-{dimension}``, ``check-{n}`` with ``check-name-{n}``,
    the decision (the button pressed), the comment and the edited text."""
    scores = {key[len("score-"):]: whole_number(str(value))
              for key, value in form.multi_items() if key.startswith("score-")}
    names = {key[len("check-name-"):]: str(value) for key, value in form.multi_items()
             if key.startswith("check-name-")}
    checks = {name: f"check-{n}" in form for n, name in names.items()}
    return {"version": whole_number(str(form.get("version", ""))) or 0,
            "decision": str(form.get("decision", "")), "scores": scores, "checks": checks,
            "comment": str(form.get("comment", "")), "text": str(form.get("edited_text", "")),
            "active_ms": whole_number(str(form.get("active_ms", ""))) or 0}


@router.post("/projects/{project}/demonstrations/{demonstration_id}/review")
async def review(request: Request, project: str, demonstration_id: Int64, viewer: Viewer,
                 at: Now) -> Response:
    fields = _review_form(await request.form())
    edited = fields["text"] if fields["decision"] == "accept_with_edits" else None
    try:
        await viewer.run(lifecycle.decide, project, demonstration_id,
                         version=fields["version"], decision=fields["decision"],
                         scores=fields["scores"], checks=fields["checks"],
                         comment=fields["comment"], edited_text=edited,
                         active_ms=fields["active_ms"], now=at)
    except (InvalidInput, Conflict) as problem:
        return await _page(request, viewer, project, demonstration_id, error=problem.message,
                           status=status_of(problem), form=fields)
    query = urlencode({"done": str(demonstration_id)})
    return RedirectResponse(f"{_base(project)}?{query}", status_code=303)


@router.post("/projects/{project}/demonstrations/{demonstration_id}/revise")
async def revise(request: Request, project: str, demonstration_id: Int64, viewer: Viewer,
                 at: Now) -> Response:
    form = await request.form()
    version = whole_number(str(form.get("version", ""))) or 0
    text = str(form.get("text", ""))
    try:
        await viewer.run(lifecycle.revise, project, demonstration_id, version=version,
                         text=text, now=at)
    except (InvalidInput, Conflict) as problem:
        return await _page(request, viewer, project, demonstration_id, error=problem.message,
                           status=status_of(problem), form={"text": text})
    query = urlencode({"revised": str(demonstration_id)})
    return RedirectResponse(f"{_base(project)}/mine?{query}", status_code=303)
