"""``/projects/{project}/digest``: the disagreement digest for the weekly guideline review,
and ``/projects/{project}/audit``: the audit trail.

The digest lists the most disputed finished tasks (``core.review.digest``) with every annotator's
ranking, ratings and rationale; filters are a plain GET form (category, guideline version,
date range, dimension). Under each task a manager can turn the team's decision into a
worked example or an edge case of the next draft (``guideline_drafts.add_to_draft``: the
current draft, or a new one copied from the current version). The audit page lists the
decisions that changed a consensus or the rules, newest first, for managers.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from accord.core.admin.settings import agreement_target_of
from accord.core.errors import InvalidInput
from accord.core.guidelines import drafts as guideline_drafts
from accord.core.people import access
from accord.core.projects.project import project_for_member
from accord.core.review import audit, digest
from accord.web.deps import Viewer
from accord.web.pages.rendering import render
from accord.web.sources import Now
from accord.web.values import whole_number

router = APIRouter()
FILTERS = ("category", "guideline_version", "from", "to", "dimension")


def _date(value: str, name: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _filters(query: dict[str, str]) -> dict:
    version = query.get("guideline_version", "").strip()
    number = whole_number(version)
    if version and (number is None or number < 0):
        raise InvalidInput(f"guideline version: {version!r} is not a version number")
    return {"category": query.get("category", "").strip() or None,
            "guideline_version": number,
            "since": _date(query.get("from", ""), "from"),
            "until": _date(query.get("to", ""), "to"),
            "dimension": query.get("dimension", "").strip() or None}


@router.get("/projects/{project}/digest")
async def digest_page(request: Request, project: str, viewer: Viewer,
                      added: str = "") -> Response:
    query = {k: str(v) for k, v in request.query_params.items() if k in FILTERS}
    chosen = _filters(query)

    def load(conn, user):
        found = digest.digest(conn, user, project, **chosen)
        member_of, roles = project_for_member(conn, project, user)
        return user, found, access.can_manage(user, roles), agreement_target_of(member_of)

    user, found, can_add, band = await viewer.run(load)
    return await render(request, "digest.html", user, project_name=project, digest=found,
                        query=query, can_add=can_add, added=added, band=band)


@router.post("/projects/{project}/digest/add")
async def digest_add(
    project: str, viewer: Viewer, at: Now,
    kind: Annotated[str, Form()] = "example", task: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "", better_response: Annotated[str, Form()] = "",
    explanation: Annotated[str, Form()] = "", back: Annotated[str, Form()] = "",
) -> Response:
    if kind == "edge_case":
        entry = {"title": title, "text": explanation}
    else:
        entry = {"task": task or None, "title": title, "better_response": better_response,
                 "explanation": explanation}
    draft = await viewer.run(guideline_drafts.add_to_draft, project, kind, entry, at)
    # Back to the same filtered digest: only the filters' own keys are carried over.
    kept = [(k, v) for k, v in parse_qsl(back.lstrip("?")) if k in FILTERS]
    query = urlencode([*kept, ("added", f"version {draft.version}: {title}")])
    return RedirectResponse(f"/projects/{quote(project, safe='')}/digest?{query}",
                            status_code=303)


@router.get("/projects/{project}/audit")
async def audit_page(request: Request, project: str, viewer: Viewer,
                     action: str = "") -> Response:
    def load(conn, user):
        return user, audit.events(conn, user, project, action=action or None).items

    user, events = await viewer.run(load)
    return await render(request, "audit.html", user, project_name=project, events=events,
                        action=action)

