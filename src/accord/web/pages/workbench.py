"""``/projects/{project}/annotate``: the caller's task, whatever its kind, with the guideline.

The page is rendered whole on the server (Markdown sanitised there); its scripts submit and
skip through the JSON API, then load this page again for the next task.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from sqlalchemy import Connection
from starlette.responses import Response

from accord.core.guidelines.current import project_definitions
from accord.core.people.users import User
from accord.core.tasks import judgments
from accord.core.work.calibration import AnswerReview, review_answer
from accord.core.work.workbench import Workbench, break_after_minutes, open_task
from accord.web.deps import Viewer
from accord.web.pages.rendering import render
from accord.web.sources import Now, chance
from accord.web.values import Int64

router = APIRouter()

TEMPLATES = {
    "comparison": "workbench/comparison.html",
    "demonstration": "workbench/demonstration.html",
    "red_team": "workbench/red_team.html",
}
STRENGTHS = ((1, "slightly better"), (2, "clearly better"), (3, "much better"))
SEVERITIES = ((0, "none"), (1, "low"), (2, "moderate"), (3, "high"), (4, "critical"))
FLAG_LABELS = {
    "unsafe": "Unsafe content",
    "both_bad": "All responses are bad",
    "contested_fact": "Contested fact",
    "outside_expertise": "Outside my expertise",
}
SKIP_LABELS = {
    "outside_expertise": "Outside my expertise",
    "unsafe": "Unsafe content I should not handle",
    "broken": "Broken or unreadable task",
    "unclear": "The task is unclear",
    "other": "Something else",
}


@dataclass(frozen=True)
class WorkbenchPage:
    user: User
    bench: Workbench


def _open(conn: Connection, user: User, project: str, now: datetime,
          rng: random.Random | None) -> WorkbenchPage:
    return WorkbenchPage(user, open_task(conn, user, project, now, rng))


def _review(conn: Connection, user: User, project: str, assignment_id: int,
            now: datetime) -> tuple[User, AnswerReview]:
    return user, review_answer(conn, user, project, assignment_id, now)


def _script_data(bench: Workbench) -> dict:
    """What the page's scripts need, as JSON: ids and settings, never rendered content."""
    claim = bench.claim
    assert claim is not None
    return {
        "assignmentId": claim.assignment_id,
        "taskId": claim.task.id,
        "kind": claim.task.kind,
        "responses": [r.id for r in claim.task.responses],
        "allowTies": bench.project.allow_ties,
        "requireRationale": bench.project.require_rationale,
        "dimensions": [d.as_dict() for d in bench.project.dimensions],
        "breakAfterMinutes": break_after_minutes(bench.project),
        "suggestion": claim.task.suggestion.ranking if claim.task.suggestion else None,
    }


def _suggested_positions(bench: Workbench) -> list[list[int]]:
    """The AI's ranking as the response numbers this annotator sees (1 = shown first)."""
    claim = bench.claim
    if claim is None or claim.task.suggestion is None:
        return []
    number = {r.id: i for i, r in enumerate(claim.task.responses, 1)}
    return [sorted(number[rid] for rid in group) for group in claim.task.suggestion.ranking]


@router.get("/projects/{project}/annotate")
async def annotate(request: Request, project: str, viewer: Viewer, at: Now) -> Response:
    page = await viewer.run(_open, project, at, chance(request))
    bench = page.bench
    definitions = (
        bench.guideline.dimensions if bench.guideline else project_definitions(bench.project)
    )
    common = {"bench": bench, "project": bench.project, "guideline": bench.guideline,
              "definitions": definitions}
    if bench.claim is None:
        return await render(request, "workbench/empty.html", page.user, **common,
                            wait=bench.wait)
    return await render(
        request, TEMPLATES[bench.claim.task.kind], page.user, **common,
        task=bench.claim.task, claim=bench.claim, seed=bench.seed,
        data=_script_data(bench), strengths=STRENGTHS, severities=SEVERITIES,
        flags=[(f, FLAG_LABELS[f]) for f in judgments.FLAGS],
        skip_reasons=[(r, SKIP_LABELS[r]) for r in judgments.SKIP_REASONS],
        harm_categories=judgments.harm_categories(bench.project),
        suggested=_suggested_positions(bench),
    )


@router.get("/projects/{project}/calibration/{assignment_id}")
async def calibration_answer(request: Request, project: str, assignment_id: Int64,
                             viewer: Viewer, at: Now) -> Response:
    """After a calibration answer: the annotator's ranking beside the reference, and why."""
    user, review = await viewer.run(_review, project, assignment_id, at)
    position = {r.id: i for i, r in enumerate(review.task.responses, start=1)}
    return await render(
        request, "workbench/calibration_feedback.html", user, project=review.project,
        review=review, feedback=review.feedback,
        yours=[[position[rid] for rid in group] for group in review.ranking],
        reference=[[position[rid] for rid in group if rid in position]
                   for group in review.feedback.reference],
    )
