"""Checking the labels of a source against the project before anything is written.

A label becomes a submitted annotation, so it must find what a submission would: its author's
name free for a user of the author's kind (an AI judge's verdicts never land on a person),
and a free ``overlap`` slot on its task (each annotation takes one). A label its author has
already given on the task (an earlier import of the same file) passes: it stands as stored.

The check runs a chunk of records at a time in file order, keeping what the whole file needs
across chunks: the users looked up so far and the slots left on each task.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from accord.core.importing.existing import LOOKUP_CHUNK, Existing
from accord.core.importing.records import ImportRecord, Label
from accord.db.tables import assignments, tasks, users


@dataclass(frozen=True)
class _User:
    id: int
    kind: str


class LabelCheck:
    """The label checks of one import: ``look_up`` a chunk, then ask for each label's problem."""

    def __init__(self, overlap: int) -> None:
        self.overlap = overlap
        self._users: dict[str, _User | None] = {}
        self._free: dict[int | str, int] = {}  # a task's id, or a new item's id: slots left
        self._done: set[tuple[int, int]] = set()

    def look_up(self, conn: Connection, records: Sequence[ImportRecord],
                existing: dict[str, Existing]) -> None:
        """Fetch what the chunk's labels are checked against: their authors, the labels
        already stored on their tasks, and the slots left on tasks met for the first time."""
        names = {label.author.name for record in records for label in record.labels}
        unknown = sorted(names - self._users.keys())
        self._users.update(dict.fromkeys(unknown))
        self._users.update(users_by_name(conn, unknown))
        task_ids: set[int] = set()
        for record in records:
            found = existing.get(record.item.id)
            if record.labels and found is not None and found.task_id is not None:
                task_ids.add(found.task_id)
        authors = [user.id for name in sorted(names) if (user := self._users[name]) is not None]
        self._done = annotated_by(conn, sorted(task_ids), authors)
        for task_id, room in _free_slots(conn, sorted(task_ids - self._free.keys())).items():
            self._free[task_id] = room

    def problem(self, record: ImportRecord, label: Label, found: Existing | None) -> str | None:
        """Why ``label`` cannot go in, if it cannot; takes its slot when it can."""
        author = label.author
        user = self._users.get(author.name)
        if user is not None and user.kind != author.kind:
            return (f'annotator "{author.name}" is the name of a {user.kind} user; its verdicts '
                    f"need a user of kind {author.kind} (rename it in the file or the user)")
        task_id = found.task_id if found is not None else None
        if user is not None and task_id is not None and (task_id, user.id) in self._done:
            return None  # imported before: the stored label stands
        key = task_id if task_id is not None else record.item.id
        room = self._free.setdefault(key, self.overlap)
        if room <= 0:
            return (f"task {record.item.id} has no free slot for {author.name}'s verdict: each "
                    "verdict takes one of the task's overlap slots; import into a project with "
                    "a larger overlap to keep several judges' verdicts")
        self._free[key] = room - 1
        return None


def users_by_name(conn: Connection, names: Sequence[str]) -> dict[str, _User]:
    """The users among ``names`` that exist, with their kind."""
    found: dict[str, _User] = {}
    for start in range(0, len(names), LOOKUP_CHUNK):
        rows = conn.execute(select(users.c.name, users.c.id, users.c.kind)
                            .where(users.c.name.in_(names[start:start + LOOKUP_CHUNK])))
        found.update({row[0]: _User(row[1], row[2]) for row in rows})
    return found


def annotated_by(conn: Connection, task_ids: Sequence[int],
                 author_ids: Sequence[int]) -> set[tuple[int, int]]:
    """(task, annotator) pairs among these that already have an assignment."""
    if not author_ids or not task_ids:
        return set()
    done: set[tuple[int, int]] = set()
    for start in range(0, len(task_ids), LOOKUP_CHUNK):
        rows = conn.execute(
            select(assignments.c.task_id, assignments.c.annotator_id).where(
                assignments.c.task_id.in_(task_ids[start:start + LOOKUP_CHUNK]),
                assignments.c.annotator_id.in_(author_ids))
        )
        done.update((row[0], row[1]) for row in rows)
    return done


def _free_slots(conn: Connection, task_ids: Sequence[int]) -> dict[int, int]:
    free: dict[int, int] = {}
    for start in range(0, len(task_ids), LOOKUP_CHUNK):
        rows = conn.execute(select(tasks.c.id, tasks.c.overlap - tasks.c.taken)
                            .where(tasks.c.id.in_(task_ids[start:start + LOOKUP_CHUNK])))
        free.update({row[0]: row[1] for row in rows})
    return free
