"""Lists that page, and the annotation loop, as lazy iterators (sync and async).

A page is fetched only when iteration reaches it, so ``islice(client.audit(p), 5)`` asks
for one page, and a trail of any length never sits in memory whole.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from accord.client import routes
from accord.client.calls import Call, Page, Wait
from accord.client.errors import Conflict, NotFound, UnfinishedTask
from accord.wire.work import NextTaskOut

T = TypeVar("T")
PageCall = Callable[[Any], Call[Page[T]]]
"""The call for the page that starts at a cursor (None: the first page)."""


class Pages(Generic[T]):
    """Iterates across pages; each new iteration starts again from the first page."""

    def __init__(self, run: Callable[[Call[Page[T]]], Page[T]], page: PageCall[T]) -> None:
        self._run, self._page = run, page

    def __iter__(self) -> Iterator[T]:
        cursor = None
        while True:
            page = self._run(self._page(cursor))
            yield from page.items
            if page.next is None:
                return
            cursor = page.next


class AsyncPages(Generic[T]):
    """``async for`` across pages; each new iteration starts again from the first page."""

    def __init__(self, run: Callable[[Call[Page[T]]], Awaitable[Page[T]]],
                 page: PageCall[T]) -> None:
        self._run, self._page = run, page

    async def __aiter__(self) -> AsyncIterator[T]:
        cursor = None
        while True:
            page = await self._run(self._page(cursor))
            for item in page.items:
                yield item
            if page.next is None:
                return
            cursor = page.next


class OpenAssignments:
    """Assignments a client's loops handed out that the client has not yet seen answered.

    The server leases a new task at every claim, so a loop whose body forgot to submit
    would lease the whole project to one caller until the leases expire; the loop asks
    here first and stops that at the second task."""

    def __init__(self) -> None:
        self._open: dict[int, str] = {}

    def handed_out(self, task: NextTaskOut) -> None:
        self._open[task.assignment_id] = task.task.id

    @contextmanager
    def answering(self, assignment_id: int) -> Iterator[None]:
        """Around a submission or a skip: the assignment is closed once it succeeds, or once
        the server says it can no longer be answered (409, 404), so the loop moves on."""
        try:
            yield
        except (Conflict, NotFound):
            self._open.pop(assignment_id, None)
            raise
        self._open.pop(assignment_id, None)

    def task_of(self, assignment_id: int) -> str | None:
        return self._open.get(assignment_id)


class TaskLoop:
    """What the two task iterators share: ends at the first claim that hands out nothing
    (keeping the server's reason in ``wait``), and claims no more while the task it last
    handed out is unanswered."""

    def __init__(self, project: str, open_assignments: OpenAssignments) -> None:
        self.project = project
        self.wait: Wait | None = None
        """Why the loop ended while work may remain (a break, a failed calibration), or
        None when nothing is left for the caller."""
        self._open = open_assignments
        self._last: int | None = None

    def call(self) -> Call[routes.Claim]:
        if self._last is not None and (task := self._open.task_of(self._last)) is not None:
            raise UnfinishedTask(
                f'assignment {self._last} (task "{task}" of "{self.project}") was neither '
                "submitted nor skipped: answer each task before the loop claims the next")
        return routes.next_task(self.project)

    def accept(self, claim: routes.Claim) -> NextTaskOut | None:
        if claim is None or isinstance(claim, Wait):
            self.wait = claim
            return None
        self._open.handed_out(claim)
        self._last = claim.assignment_id
        return claim


class Tasks(TaskLoop):
    """``for task in client.tasks(project)``: claims the next task until none is left."""

    def __init__(self, run: Callable[[Call[routes.Claim]], routes.Claim], project: str,
                 open_assignments: OpenAssignments) -> None:
        super().__init__(project, open_assignments)
        self._run = run

    def __iter__(self) -> Iterator[NextTaskOut]:
        return self

    def __next__(self) -> NextTaskOut:
        task = self.accept(self._run(self.call()))
        if task is None:
            raise StopIteration
        return task


class AsyncTasks(TaskLoop):
    """``async for task in client.tasks(project)``: claims until none is left."""

    def __init__(self, run: Callable[[Call[routes.Claim]], Awaitable[routes.Claim]],
                 project: str, open_assignments: OpenAssignments) -> None:
        super().__init__(project, open_assignments)
        self._run = run

    def __aiter__(self) -> AsyncIterator[NextTaskOut]:
        return self

    async def __anext__(self) -> NextTaskOut:
        task = self.accept(await self._run(self.call()))
        if task is None:
            raise StopAsyncIteration
        return task
