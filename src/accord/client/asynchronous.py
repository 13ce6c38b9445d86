"""``AsyncClient``: ``Client``'s surface for asyncio (``await`` each call, ``async for`` the
loop and the audit trail). Requests come from the same ``routes`` as ``Client``'s, so the
two cannot drift apart; see ``sync.py`` for what each method does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import Any, Unpack

from accord.client import routes
from accord.client.admin import (
    AsyncInvites,
    AsyncMembers,
    AsyncProjectAdministration,
    AsyncUsers,
)
from accord.client.calls import Call
from accord.client.connection import Connection
from accord.client.data_async import AsyncExports, AsyncImports
from accord.client.retries import RetryPolicy
from accord.client.routes import GuidelineFields, Judgment
from accord.client.streams import AsyncPages, AsyncTasks, OpenAssignments
from accord.client.transport import DEFAULT_TIMEOUT, AsyncTransport
from accord.wire.guidelines import GuidelineOut, PreviewOut
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

Run = Callable[[Call[Any]], Awaitable[Any]]


class _Resource:
    def __init__(self, run: Run) -> None:
        self._run = run


class AsyncProjects(AsyncProjectAdministration, _Resource):
    async def list(self) -> list[ProjectOut]:
        return await self._run(routes.projects())

    async def get(self, project: str) -> ProjectOut:
        return await self._run(routes.project(project))

    async def progress(self, project: str) -> ProgressOut:
        return await self._run(routes.progress(project))


class AsyncReview(_Resource):
    async def queue(self, project: str, *, sort: str | None = None,
                    category: str | None = None, reason: str | None = None,
                    offset: int | None = None, limit: int | None = None
                    ) -> list[QueueItemOut]:
        return await self._run(routes.adjudication_queue(
            project, sort=sort, category=category, reason=reason, offset=offset, limit=limit))

    async def adjudicate(self, project: str, task_id: str, ranking: list[list[str]],
                         rationale: str) -> AdjudicationOut:
        return await self._run(routes.adjudicate(project, task_id, ranking, rationale))


class AsyncEscalations(_Resource):
    async def list(self, project: str, *, status: str | None = None,
                   severity: int | None = None) -> list[EscalationOut]:
        return await self._run(routes.escalations(project, status, severity))

    async def start_review(self, project: str, escalation_id: int) -> None:
        await self._run(routes.move_escalation(project, escalation_id, "in_review", "", None))

    async def resolve(self, project: str, escalation_id: int, note: str, *,
                      severity: int | None = None) -> None:
        await self._run(routes.move_escalation(project, escalation_id, "resolved", note,
                                               severity))


class AsyncGuidelines(_Resource):
    async def list(self, project: str) -> list[GuidelineOut]:
        return await self._run(routes.guidelines(project))

    async def get(self, project: str, version: int) -> GuidelineOut:
        return await self._run(routes.guideline(project, version))

    async def create_draft(self, project: str,
                           **fields: Unpack[GuidelineFields]) -> GuidelineOut:
        return await self._run(routes.create_draft(project, fields))

    async def update_draft(self, project: str, version: int,
                           **fields: Unpack[GuidelineFields]) -> GuidelineOut:
        return await self._run(routes.update_draft(project, version, fields))

    async def preview(self, project: str, version: int,
                      **fields: Unpack[GuidelineFields]) -> PreviewOut:
        return await self._run(routes.preview_draft(project, version, fields))

    async def publish(self, project: str, version: int) -> GuidelineOut:
        return await self._run(routes.publish(project, version))

    async def diff(self, project: str, *, since: int | None = None,
                   to: int | None = None) -> dict[str, Any]:
        return await self._run(routes.guideline_diff(project, since, to))

    async def add_example(self, project: str, *, task: str, title: str, better_response: str,
                          explanation: str) -> GuidelineOut:
        return await self._run(routes.add_to_draft(project, {
            "kind": "example", "task": task, "title": title,
            "better_response": better_response, "explanation": explanation}))

    async def add_edge_case(self, project: str, *, title: str, text: str) -> GuidelineOut:
        return await self._run(routes.add_to_draft(
            project, {"kind": "edge_case", "title": title, "text": text}))


class AsyncCalibration(_Resource):
    async def rounds(self, project: str) -> list[CalibrationRoundOut]:
        return await self._run(routes.calibration_rounds(project))

    async def start(self, project: str, user: str) -> CalibrationRoundOut:
        return await self._run(routes.start_calibration(project, user))


class AsyncRules(_Resource):
    async def get(self, project: str) -> WorkRulesOut:
        return await self._run(routes.rules(project))

    async def set(self, project: str, *, rules: Mapping[str, Any] | None = None,
                  gold_rate: float | None = None) -> WorkRulesOut:
        return await self._run(routes.change_rules(
            project, None if rules is None else dict(rules), gold_rate))


class AsyncClient:
    """``async with AsyncClient(base_url, token) as client:``; or ``AsyncClient.from_env()``."""

    def __init__(self, base_url: str, token: str, *, timeout: float = DEFAULT_TIMEOUT,
                 retry: RetryPolicy = RetryPolicy(),
                 sleep: Callable[[float], Awaitable[None]] | None = None,
                 random: Callable[[], float] | None = None) -> None:
        options: dict[str, Any] = {"retry": retry, "timeout": timeout}
        options.update({k: v for k, v in (("sleep", sleep), ("random", random)) if v})
        self._transport = AsyncTransport(Connection.of(base_url, token), **options)
        run = self._transport.run
        self.projects = AsyncProjects(run)
        self.review = AsyncReview(run)
        self.escalations = AsyncEscalations(run)
        self.guidelines = AsyncGuidelines(run)
        self.calibration = AsyncCalibration(run)
        self._open = OpenAssignments()
        self.rules = AsyncRules(run)
        self.members = AsyncMembers(run)
        self.users = AsyncUsers(run)
        self.invites = AsyncInvites(run)
        self.imports = AsyncImports(self._transport)
        self.exports = AsyncExports(self._transport)

    @classmethod
    def from_env(cls, **options: Any) -> AsyncClient:
        connection = Connection.from_env()
        return cls(connection.api_url, connection.token, **options)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._transport.close()

    async def me(self) -> UserOut:
        return await self._transport.run(routes.me())

    async def report(self, project: str, *, guideline_versions: list[int] | None = None,
                     include_ai: bool = False) -> QualityReport:
        return await self._transport.run(routes.report(project, guideline_versions,
                                                       include_ai))

    async def next_task(self, project: str) -> NextTaskOut | None:
        claim = await self._transport.run(routes.next_task(project))
        return claim if isinstance(claim, NextTaskOut) else None

    def tasks(self, project: str) -> AsyncTasks:
        """``async for task in client.tasks(project)``."""
        return AsyncTasks(self._transport.run, project, self._open)

    async def submit(self, task: NextTaskOut | int,
                     **judgment: Unpack[Judgment]) -> SubmissionOut:
        with self._open.answering(routes.assignment_of(task)):
            return await self._transport.run(routes.submit(task, judgment))

    async def skip(self, task: NextTaskOut | int, reason: str) -> SkipOut:
        with self._open.answering(routes.assignment_of(task)):
            return await self._transport.run(routes.skip(task, reason))

    async def digest(self, project: str, *, category: str | None = None,
                     guideline_version: int | None = None, since: date | None = None,
                     until: date | None = None, dimension: str | None = None,
                     limit: int = 20) -> DigestOut:
        return await self._transport.run(routes.digest(
            project, category=category, guideline_version=guideline_version, since=since,
            until=until, dimension=dimension, limit=limit))

    def audit(self, project: str, *, action: str | None = None,
              page_size: int = 200) -> AsyncPages[AuditEventOut]:
        """``async for event in client.audit(project)``: pages fetched as needed."""
        return AsyncPages(self._transport.run,
                          lambda after: routes.audit_page(project, action, page_size, after))

    async def judge_audit(self, project: str, judge: str, *,
                          min_votes: int = 1) -> dict[str, Any]:
        return await self._transport.run(routes.judge_audit(project, judge, min_votes))

    async def markdown(self, text: str) -> str:
        return (await self._transport.run(routes.markdown(text))).html
