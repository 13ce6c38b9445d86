"""Every route of ``/api/v1`` that the SDK speaks, as a ``Call``: path, parameters, body and
the ``accord.wire`` model its answer is read as. Both clients build their requests here."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

import httpx

from accord.client.calls import (
    Call,
    Page,
    Params,
    Wait,
    document,
    get,
    many,
    nothing,
    one,
    paged,
    present,
    segment,
    wait_of,
)
from accord.wire.guidelines import GuidelineOut, MarkdownOut, PreviewOut
from accord.wire.oversight import AuditEventOut, DigestOut
from accord.wire.projects import ProgressOut, ProjectOut, UserOut
from accord.wire.report import QualityReport
from accord.wire.review import AdjudicationOut, EscalationOut, QueueItemOut
from accord.wire.work import (
    CalibrationRoundOut,
    NextTaskOut,
    SkipOut,
    SubmissionOut,
    WorkRulesOut,
)

Claim = NextTaskOut | Wait | None
"""What asking for the next task gives: a task, a reason to wait, or nothing left."""


class GuidelineFields(TypedDict, total=False):
    """Fields of a guideline document (``docs/guidelines.md``); those left out keep their
    value."""

    text: str
    dimensions: list[dict[str, Any]]
    priority: list[str]
    edge_cases: list[dict[str, str]]
    escalation_rules: list[dict[str, str]]
    examples: list[dict[str, Any]]
    change_note: str
    requires_recalibration: bool


class Judgment(TypedDict, total=False):
    """What ``submit`` sends, by task kind (``docs/sdk.md``): a comparison ``ranking`` (tie
    groups of response ids, best first), ``strength`` and ``ratings``; a demonstration
    ``response`` (multi-turn: ``turns``, ``{"role", "content"}`` each); red team
    ``attack``, ``model_response``, ``harm_categories``, ``severity`` and
    ``refusal_appropriate``; any kind ``rationale``, ``flags`` and ``active_ms``; a
    comparison whose ranking is the task's AI ``suggestion`` taken as it is,
    ``suggestion_accepted``."""

    ranking: list[list[str]]
    strength: int
    ratings: dict[str, dict[str, int]]
    rationale: str
    flags: list[str]
    active_ms: int
    response: str
    turns: list[dict[str, str]]
    attack: str
    model_response: str
    harm_categories: list[str]
    severity: int
    refusal_appropriate: bool
    suggestion_accepted: bool


def _project(project: str) -> str:
    return f"/projects/{segment(project)}"


def me() -> Call[UserOut]:
    return get("/me", one(UserOut))


def projects() -> Call[list[ProjectOut]]:
    return get("/projects", many(ProjectOut))


def project(name: str) -> Call[ProjectOut]:
    return get(_project(name), one(ProjectOut))


def progress(name: str) -> Call[ProgressOut]:
    return get(f"{_project(name)}/progress", one(ProgressOut))


def report(name: str, guideline_versions: list[int] | None, include_ai: bool,
           ) -> Call[QualityReport]:
    params: Params = [*(("guideline_version", v) for v in guideline_versions or ()),
                      ("include_ai", include_ai)]
    return get(f"{_project(name)}/report", one(QualityReport), params)


def _claim(answer: httpx.Response) -> Claim:
    if answer.status_code == 204:
        return wait_of(answer)
    return NextTaskOut.model_validate_json(answer.content)


def next_task(name: str) -> Call[Claim]:
    """Not idempotent on the wire, but the server resumes the lease the caller holds, so
    asking again after a lost answer gives the same assignment back."""
    return get(f"{_project(name)}/tasks/next", _claim)


def assignment_of(task: NextTaskOut | int) -> int:
    return task.assignment_id if isinstance(task, NextTaskOut) else task


def submit(task: NextTaskOut | int, judgment: Judgment) -> Call[SubmissionOut]:
    """Idempotent: the server answers a repeated submission with the stored annotation."""
    return Call("POST", f"/assignments/{assignment_of(task)}/submit", one(SubmissionOut),
                body=present(**judgment), idempotent=True)


def skip(task: NextTaskOut | int, reason: str) -> Call[SkipOut]:
    """Idempotent: the server answers a repeated skip as the first."""
    return Call("POST", f"/assignments/{assignment_of(task)}/skip", one(SkipOut),
                body={"reason": reason}, idempotent=True)


def adjudication_queue(name: str, *, sort: str | None = None, category: str | None = None,
                       reason: str | None = None, offset: int | None = None,
                       limit: int | None = None) -> Call[list[QueueItemOut]]:
    params = list(present(sort=sort, category=category, reason=reason, offset=offset,
                          limit=limit).items())
    return get(f"{_project(name)}/adjudication", many(QueueItemOut), params)


def adjudicate(name: str, task_id: str, ranking: list[list[str]],
               rationale: str) -> Call[AdjudicationOut]:
    return Call("POST", f"{_project(name)}/tasks/{segment(task_id)}/adjudicate",
                one(AdjudicationOut), body={"ranking": ranking, "rationale": rationale})


def escalations(name: str, status: str | None, severity: int | None,
                ) -> Call[list[EscalationOut]]:
    params = list(present(status=status, severity=severity).items())
    return get(f"{_project(name)}/escalations", many(EscalationOut), params)


def move_escalation(name: str, escalation_id: int, status: str, note: str,
                    severity: int | None) -> Call[None]:
    body = {"status": status, "note": note, **present(severity=severity)}
    return Call("POST", f"{_project(name)}/escalations/{escalation_id}", nothing, body=body)


def guidelines(name: str) -> Call[list[GuidelineOut]]:
    return get(f"{_project(name)}/guidelines", many(GuidelineOut))


def guideline(name: str, version: int) -> Call[GuidelineOut]:
    return get(f"{_project(name)}/guidelines/{version}", one(GuidelineOut))


def create_draft(name: str, fields: GuidelineFields) -> Call[GuidelineOut]:
    return Call("POST", f"{_project(name)}/guidelines", one(GuidelineOut), body=dict(fields))


def update_draft(name: str, version: int, fields: GuidelineFields) -> Call[GuidelineOut]:
    """Idempotent: the same fields written twice leave the draft as once."""
    return Call("PATCH", f"{_project(name)}/guidelines/{version}", one(GuidelineOut),
                body=dict(fields), idempotent=True)


def preview_draft(name: str, version: int, fields: GuidelineFields) -> Call[PreviewOut]:
    return Call("POST", f"{_project(name)}/guidelines/{version}/preview", one(PreviewOut),
                body=dict(fields), idempotent=True)


def publish(name: str, version: int) -> Call[GuidelineOut]:
    return Call("POST", f"{_project(name)}/guidelines/{version}/publish", one(GuidelineOut))


def guideline_diff(name: str, since: int | None, target: int | None) -> Call[dict[str, Any]]:
    params = list(present(**{"from": since, "to": target}).items())
    return get(f"{_project(name)}/guidelines/diff", document, params)


def add_to_draft(name: str, addition: dict[str, str]) -> Call[GuidelineOut]:
    """``addition``: an example (``kind``, ``task``, ``title``, ``better_response``,
    ``explanation``) or an edge case (``kind``, ``title``, ``text``)."""
    return Call("POST", f"{_project(name)}/guidelines/draft/additions", one(GuidelineOut),
                body=addition)


def calibration_rounds(name: str) -> Call[list[CalibrationRoundOut]]:
    return get(f"{_project(name)}/calibrations", many(CalibrationRoundOut))


def start_calibration(name: str, user: str) -> Call[CalibrationRoundOut]:
    return Call("POST", f"{_project(name)}/calibrations", one(CalibrationRoundOut),
                body={"user": user})


def rules(name: str) -> Call[WorkRulesOut]:
    return get(f"{_project(name)}/rules", one(WorkRulesOut))


def change_rules(name: str, rules: dict[str, Any] | None,
                 gold_rate: float | None) -> Call[WorkRulesOut]:
    """Idempotent: a PUT of the same sections leaves the rules as once."""
    return Call("PUT", f"{_project(name)}/rules", one(WorkRulesOut),
                body=present(rules=rules, gold_rate=gold_rate), idempotent=True)


def digest(name: str, *, category: str | None, guideline_version: int | None,
           since: date | None, until: date | None, dimension: str | None,
           limit: int) -> Call[DigestOut]:
    params = list(present(
        category=category, guideline_version=guideline_version,
        dimension=dimension, limit=limit,
        **{"from": since and since.isoformat(), "to": until and until.isoformat()},
    ).items())
    return get(f"{_project(name)}/digest", one(DigestOut), params)


def audit_page(name: str, action: str | None, page_size: int,
               after: str | None) -> Call[Page[AuditEventOut]]:
    """One page of the audit trail, newest first; the next starts after its last event."""
    params = list(present(action=action, limit=page_size, after=after).items())
    return get(f"{_project(name)}/audit", paged(AuditEventOut), params)


def judge_audit(name: str, judge: str, min_votes: int) -> Call[dict[str, Any]]:
    return get(f"{_project(name)}/judges/{segment(judge)}/audit", document,
               [("min_votes", min_votes)])


def markdown(text: str) -> Call[MarkdownOut]:
    return Call("POST", "/markdown", one(MarkdownOut), body={"text": text}, idempotent=True)
