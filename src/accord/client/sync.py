"""``Client``: the API from ordinary Python (scripts, notebooks, pipelines).

Each method builds its request in ``routes`` and sends it through ``SyncTransport``, which
retries 429 and 503 (and failed connections of idempotent requests) and raises the server's
errors as ``AccordError``s. Answers are the server's own models from ``accord.wire``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar, Unpack

from accord.client import routes
from accord.client.admin import Invites, Members, ProjectAdministration, Users
from accord.client.calls import Call
from accord.client.connection import Connection
from accord.client.data import Exports, Imports
from accord.client.retries import RetryPolicy
from accord.client.routes import GuidelineFields, Judgment
from accord.client.streams import OpenAssignments, Pages, Tasks
from accord.client.transport import DEFAULT_TIMEOUT, SyncTransport
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

T = TypeVar("T")
Run = Callable[[Call[Any]], Any]


class _Resource:
    def __init__(self, run: Run) -> None:
        self._run = run


class Projects(ProjectAdministration, _Resource):
    def list(self) -> list[ProjectOut]:
        """The projects you are a member of (every project for an admin), with your roles."""
        return self._run(routes.projects())

    def get(self, project: str) -> ProjectOut:
        return self._run(routes.project(project))

    def progress(self, project: str) -> ProgressOut:
        """Tasks by status, annotations stored and leases active now."""
        return self._run(routes.progress(project))


class Review(_Resource):
    def queue(self, project: str, *, sort: str | None = None, category: str | None = None,
              reason: str | None = None, offset: int | None = None,
              limit: int | None = None) -> list[QueueItemOut]:
        """Split decisions and suspect labels waiting for a reviewer (those you annotated
        left out): ``sort`` priority, agreement, oldest or category; ``reason`` split or
        suspect label; ``offset``/``limit`` page (the server's default: the first 200)."""
        return self._run(routes.adjudication_queue(
            project, sort=sort, category=category, reason=reason, offset=offset, limit=limit))

    def adjudicate(self, project: str, task_id: str, ranking: list[list[str]],
                   rationale: str) -> AdjudicationOut:
        """Settle a split task with the final ranking; the task becomes ``resolved``."""
        return self._run(routes.adjudicate(project, task_id, ranking, rationale))


class Escalations(_Resource):
    def list(self, project: str, *, status: str | None = None,
             severity: int | None = None) -> list[EscalationOut]:
        """Escalated items (safety specialists and managers), most severe first."""
        return self._run(routes.escalations(project, status, severity))

    def start_review(self, project: str, escalation_id: int) -> None:
        self._run(routes.move_escalation(project, escalation_id, "in_review", "", None))

    def resolve(self, project: str, escalation_id: int, note: str, *,
                severity: int | None = None) -> None:
        """Resolve with a note saying what was done; ``severity`` re-tiers it on the way."""
        self._run(routes.move_escalation(project, escalation_id, "resolved", note, severity))


class Guidelines(_Resource):
    def list(self, project: str) -> list[GuidelineOut]:
        """Every version, newest first; the draft only for managers."""
        return self._run(routes.guidelines(project))

    def get(self, project: str, version: int) -> GuidelineOut:
        return self._run(routes.guideline(project, version))

    def create_draft(self, project: str, **fields: Unpack[GuidelineFields]) -> GuidelineOut:
        """Start the draft from the current version, with the fields given."""
        return self._run(routes.create_draft(project, fields))

    def update_draft(self, project: str, version: int,
                     **fields: Unpack[GuidelineFields]) -> GuidelineOut:
        return self._run(routes.update_draft(project, version, fields))

    def preview(self, project: str, version: int,
                **fields: Unpack[GuidelineFields]) -> PreviewOut:
        """The draft with unsaved ``fields``, rendered as annotators will see it."""
        return self._run(routes.preview_draft(project, version, fields))

    def publish(self, project: str, version: int) -> GuidelineOut:
        return self._run(routes.publish(project, version))

    def diff(self, project: str, *, since: int | None = None,
             to: int | None = None) -> dict[str, Any]:
        """What changed between two versions (default: your last one and the current)."""
        return self._run(routes.guideline_diff(project, since, to))

    def add_example(self, project: str, *, task: str, title: str, better_response: str,
                    explanation: str) -> GuidelineOut:
        """A worked example on a real task, appended to the next draft."""
        return self._run(routes.add_to_draft(project, {
            "kind": "example", "task": task, "title": title,
            "better_response": better_response, "explanation": explanation}))

    def add_edge_case(self, project: str, *, title: str, text: str) -> GuidelineOut:
        return self._run(routes.add_to_draft(
            project, {"kind": "edge_case", "title": title, "text": text}))


class Calibration(_Resource):
    def rounds(self, project: str) -> list[CalibrationRoundOut]:
        return self._run(routes.calibration_rounds(project))

    def start(self, project: str, user: str) -> CalibrationRoundOut:
        """Send ``user`` through a new calibration round."""
        return self._run(routes.start_calibration(project, user))


class Rules(_Resource):
    def get(self, project: str) -> WorkRulesOut:
        return self._run(routes.rules(project))

    def set(self, project: str, *, rules: Mapping[str, Any] | None = None,
            gold_rate: float | None = None) -> WorkRulesOut:
        """Replace the named rule sections (None as a section's value turns it off)."""
        return self._run(routes.change_rules(
            project, None if rules is None else dict(rules), gold_rate))


class Client:
    """``Client("http://127.0.0.1:8000", token)``, or ``Client.from_env()``; a context
    manager that closes its connections."""

    def __init__(self, base_url: str, token: str, *, timeout: float = DEFAULT_TIMEOUT,
                 retry: RetryPolicy = RetryPolicy(),
                 sleep: Callable[[float], None] | None = None,
                 random: Callable[[], float] | None = None) -> None:
        options: dict[str, Any] = {"retry": retry, "timeout": timeout}
        options.update({k: v for k, v in (("sleep", sleep), ("random", random)) if v})
        self._transport = SyncTransport(Connection.of(base_url, token), **options)
        run = self._transport.run
        self.projects = Projects(run)
        self.review = Review(run)
        self.escalations = Escalations(run)
        self.guidelines = Guidelines(run)
        self.calibration = Calibration(run)
        self._open = OpenAssignments()
        self.rules = Rules(run)
        self.members = Members(run)
        self.users = Users(run)
        self.invites = Invites(run)
        self.imports = Imports(self._transport)
        self.exports = Exports(self._transport)

    @classmethod
    def from_env(cls, **options: Any) -> Client:
        """From ``ACCORD_URL`` and ``ACCORD_TOKEN``; ``MissingSetting`` names what is unset."""
        connection = Connection.from_env()
        return cls(connection.api_url, connection.token, **options)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    def me(self) -> UserOut:
        return self._transport.run(routes.me())

    def report(self, project: str, *, guideline_versions: list[int] | None = None,
               include_ai: bool = False) -> QualityReport:
        """The quality report (reviewers and managers); reading it changes nothing."""
        return self._transport.run(routes.report(project, guideline_versions, include_ai))

    def next_task(self, project: str) -> NextTaskOut | None:
        """Lease your next task (or the one you hold); None when none is handed out."""
        claim = self._transport.run(routes.next_task(project))
        return claim if isinstance(claim, NextTaskOut) else None

    def tasks(self, project: str) -> Tasks:
        """Claims the next task at each step until none is left; after the loop, ``.wait``
        says why it stopped if a rule holds work back (a break, a calibration round).
        Submit or skip each task in the loop's body: asked for the next one while the last
        is unanswered, it raises ``UnfinishedTask`` rather than lease you another."""
        return Tasks(self._transport.run, project, self._open)

    def submit(self, task: NextTaskOut | int, **judgment: Unpack[Judgment]) -> SubmissionOut:
        """Store your judgment of ``task`` (the claimed task or its assignment id); safe to
        repeat: the server answers with the annotation it stored first."""
        with self._open.answering(routes.assignment_of(task)):
            return self._transport.run(routes.submit(task, judgment))

    def skip(self, task: NextTaskOut | int, reason: str) -> SkipOut:
        """Give the task back (``outside_expertise``, ``unsafe``, ``broken``, ``unclear``,
        ``other``); it goes to others, never to you again."""
        with self._open.answering(routes.assignment_of(task)):
            return self._transport.run(routes.skip(task, reason))

    def digest(self, project: str, *, category: str | None = None,
               guideline_version: int | None = None, since: date | None = None,
               until: date | None = None, dimension: str | None = None,
               limit: int = 20) -> DigestOut:
        """The most disputed finished tasks, lowest agreement first, with every rationale."""
        return self._transport.run(routes.digest(
            project, category=category, guideline_version=guideline_version, since=since,
            until=until, dimension=dimension, limit=limit))

    def audit(self, project: str, *, action: str | None = None,
              page_size: int = 200) -> Pages[AuditEventOut]:
        """The audit trail, newest first, fetched ``page_size`` events at a time as the
        iteration goes (managers); ``action`` keeps one kind or a prefix ending in '.'."""
        return Pages(self._transport.run,
                     lambda after: routes.audit_page(project, action, page_size, after))

    def judge_audit(self, project: str, judge: str, *, min_votes: int = 1) -> dict[str, Any]:
        """How far an AI judge agrees with people (reviewers and managers)."""
        return self._transport.run(routes.judge_audit(project, judge, min_votes))

    def markdown(self, text: str) -> str:
        """``text`` rendered and sanitised as the pages render Markdown."""
        return self._transport.run(routes.markdown(text)).html
