"""Reviewer and safety pages: the adjudication queue, a split task, and escalated items.

``/projects/{project}/review`` lists split decisions for reviewers who did not annotate
them; ``/projects/{project}/review/{task}`` shows every annotator's judgment side by side
with the pairwise disagreement matrix and a plain HTML form for the final decision (no
script needed, so it works from the keyboard: Tab, a digit per response, Enter).
``/projects/{project}/escalations`` is for safety specialists and managers (404 for anyone
else): filters by status and severity tier, and each item's content stays folded in a
``<details>`` element behind a content warning; a form moves it to in review or resolves it
with a resolution text, optionally re-tiering it. Forms post to
the page routes and are answered with a redirect (303), so a reload never re-posts; the
security middleware refuses cross-site posts.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from accord.core.errors import Conflict, InvalidInput
from accord.core.review import adjudication, escalation, review_queue
from accord.web.deps import Viewer
from accord.web.pages.rendering import render
from accord.web.sources import Now
from accord.web.statuses import status_of
from accord.web.values import Int64, whole_number

router = APIRouter()
MAX_PLACES = 64


def _places(form: FormData, count: int) -> list[int | None]:
    """``place-0`` … ``place-{count-1}`` as numbers; blanks and junk are None."""
    places: list[int | None] = []
    for i in range(min(count, MAX_PLACES)):
        place = whole_number(str(form.get(f"place-{i}", "")))
        places.append(place if place is not None and 0 < place <= MAX_PLACES else None)
    return places


PAGE_SIZE = 50


def _queue_query(request: Request) -> review_queue.QueueQuery:
    """The page's query string as a queue query; what is not understood is left at its
    default (a page never answers 422 for a hand-edited link)."""
    given = request.query_params
    sort = given.get("sort", "")
    reason = given.get("reason", "")
    number = whole_number(given.get("page", "")) or 1
    return review_queue.QueueQuery(
        sort=sort if sort in review_queue.SORTS else "priority",
        category=given.get("category") or None,
        reason=reason if reason in review_queue.REASONS else None,
        offset=(min(max(number, 1), 1_000_000) - 1) * PAGE_SIZE, limit=PAGE_SIZE)


@router.get("/projects/{project}/review")
async def review_queue_page(request: Request, project: str, viewer: Viewer,
                            decided: str = "") -> Response:
    query = _queue_query(request)

    def load(conn, user):
        return user, review_queue.page(conn, user, project, query)

    user, found = await viewer.run(load)
    pages = max(1, -(-found.total // PAGE_SIZE))
    number = query.offset // PAGE_SIZE + 1
    keep = {k: v for k, v in (("sort", query.sort), ("category", query.category or ""),
                              ("reason", query.reason or "")) if v and v != "priority"}

    def link(**changes) -> str:
        wanted = {**keep, **changes}
        return "?" + urlencode({k: v for k, v in wanted.items() if v not in ("", None, 1)})

    return await render(request, "review/queue.html", user, project_name=project,
                        items=found.items, total=found.total, query=query,
                        categories=found.categories, page=number, pages=pages, link=link,
                        sorts=review_queue.SORTS, reasons=review_queue.REASONS,
                        decided=decided)


async def _task_page(request: Request, viewer: Viewer, project: str, task_id: str, *,
                     error: str | None = None, status: int = 200, form: dict | None = None):
    def load(conn, user):
        return user, adjudication.split_task(conn, user, project, task_id)

    user, task = await viewer.run(load)
    return await render(request, "review/task.html", user, task=task, project_name=project,
                        error=error, form=form or {}, status=status)


@router.get("/projects/{project}/review/{task_id:path}")
async def review_task(request: Request, project: str, task_id: str, viewer: Viewer) -> Response:
    return await _task_page(request, viewer, project, task_id)


@router.post("/projects/{project}/review/{task_id:path}")
async def review_decide(request: Request, project: str, task_id: str, viewer: Viewer,
                        at: Now) -> Response:
    form = await request.form()
    count = max(whole_number(str(form.get("count", "0"))) or 0, 0)
    places = _places(form, count)
    rationale = str(form.get("rationale", ""))
    try:
        await viewer.run(adjudication.decide_by_places, project, task_id, places, rationale, at)
    except InvalidInput as problem:
        echo = {"places": places, "rationale": rationale}
        return await _task_page(request, viewer, project, task_id, error=problem.message,
                                status=422, form=echo)
    target = f"/projects/{quote(project, safe='')}/review?{urlencode({'decided': task_id})}"
    return RedirectResponse(target, status_code=303)


def _queue_filters(status: str, severity: str) -> tuple[str | None, int | None]:
    """The filter form's values: blanks mean "any"; junk is passed on to be refused."""
    tier = whole_number(severity)
    if severity.strip() and tier is None:
        raise InvalidInput(f"severity {severity!r} is not a tier (1 low … 4 critical)")
    return (status.strip() or None), tier


async def _escalations(request: Request, viewer: Viewer, project: str, *, status: str = "",
                       severity: str = "", error: str | None = None, code: int = 200):
    chosen = _queue_filters(status, severity)

    def load(conn, user):
        return user, escalation.escalated(conn, user, project, status=chosen[0],
                                          severity=chosen[1])

    user, items = await viewer.run(load)
    return await render(request, "review/escalations.html", user, project_name=project,
                        items=items, error=error, status=code, statuses=escalation.STATUSES,
                        tiers=escalation.SEVERITY_TIERS, chosen_status=chosen[0] or "",
                        chosen_severity=chosen[1])


@router.get("/projects/{project}/escalations")
async def escalations_page(request: Request, project: str, viewer: Viewer, status: str = "",
                           severity: str = "") -> Response:
    return await _escalations(request, viewer, project, status=status, severity=severity)


@router.post("/projects/{project}/escalations/{escalation_id}")
async def escalation_update(
    request: Request, project: str, escalation_id: Int64, viewer: Viewer, at: Now,
    status: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
    severity: Annotated[str, Form()] = "",
) -> Response:
    try:
        _, tier = _queue_filters("", severity)
        await viewer.run(escalation.set_status, project, escalation_id, status, note, at,
                         severity=tier)
    except (InvalidInput, Conflict) as problem:
        return await _escalations(request, viewer, project, error=problem.message,
                                  code=status_of(problem))
    return RedirectResponse(f"/projects/{quote(project, safe='')}/escalations",
                            status_code=303)
