"""Reading an AlpacaEval annotation file and checking it whole before anything is written.

The file is one JSON array (AlpacaEval writes it with pandas or ``json.dump``, so it may hold
``NaN`` where a judge gave no preference; Python's ``json`` reads that, orjson would not).
Such files hold one record per instruction — 805 for AlpacaEval 2, about 4 MB — so the array
is read whole, unlike a JSONL import, which streams.

As for JSONL, every problem is found in one pass and reported per record (by its index in
the array, from 0): the record's own fields, a record that repeats another, a task that
exists with other outputs, an ``annotator`` that names a human user, and a verdict that
would overfill its task (each judge's annotation takes one of the task's ``overlap`` slots).
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, select

from accord.core.errors import InvalidInput
from accord.core.importing.alpaca_records import Record, parse_record
from accord.core.importing.existing import LOOKUP_CHUNK, Existing, find_existing, judge
from accord.core.importing.fields import InvalidItem, json_type
from accord.core.importing.items import ItemRules
from accord.core.importing.lines import GZIP_MAGIC
from accord.core.importing.report import ErrorLog
from accord.core.projects.project import Project
from accord.db.tables import assignments, tasks, users

Progress = Callable[[str, int, int], None]
UNIT = "record"


@dataclass(frozen=True)
class CheckedFile:
    """The valid records in file order, and every invalid one in ``errors``."""

    records: list[Record]
    errors: ErrorLog
    total: int


def read_array(path: Path) -> list:
    """The file's JSON array (gzip accepted); ``InvalidInput`` when it is not one."""
    try:
        data = path.read_bytes()
        if data[:2] == GZIP_MAGIC:
            data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise InvalidInput(f'cannot read "{path}": {error}') from None
    try:
        value = json.loads(data)
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path.name} is not UTF-8 text (byte {error.start + 1})") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"{path.name} is not valid JSON: {error.msg} (line {error.lineno}, "
            f"column {error.colno})"
        ) from None
    if type(value) is not list:
        raise InvalidInput(
            f"{path.name} must hold a JSON array of AlpacaEval annotation records, "
            f"not {json_type(value)}"
        )
    if not value:
        raise InvalidInput(f"there is nothing to import: {path.name} holds no records")
    return value


def check_records(engine: Engine, project: Project, values: list, rules: ItemRules,
                  progress: Progress | None = None) -> CheckedFile:
    """Validate every record against the format, the rest of the file and the project."""
    errors = ErrorLog()
    parsed: list[Record] = []
    first_of_task: dict[str, tuple[int, str]] = {}
    first_of_verdict: dict[tuple[str, str], int] = {}
    for index, value in enumerate(values):
        try:
            record = parse_record(index, value, rules)
        except InvalidItem as error:
            errors.add(index, str(error))
            continue
        digest = record.item.content_hash()
        first, first_digest = first_of_task.setdefault(record.item.id, (index, digest))
        if first_digest != digest:
            errors.add(index, f"has the instruction and generators of record {first} "
                              "but other outputs")
            continue
        if record.verdict is not None:
            key = (record.item.id, record.verdict.judge)
            earlier = first_of_verdict.setdefault(key, index)
            if earlier != index:
                errors.add(index, f"repeats record {earlier}: the same instruction, "
                                  f"generators and annotator ({record.verdict.judge})")
                continue
        parsed.append(record)
    if progress:
        progress("checking", len(values), len(values))
    with engine.connect() as conn:
        check_against_project(conn, project, parsed, errors)
    valid = [record for record in parsed if record.index not in errors.lines]
    return CheckedFile(valid, errors, len(values))


@dataclass(frozen=True)
class _Judge:
    id: int
    kind: str


def judges_by_name(conn: Connection, names: set[str]) -> dict[str, _Judge]:
    """The users among ``names`` that exist, with their kind."""
    found: dict[str, _Judge] = {}
    listed = sorted(names)
    for start in range(0, len(listed), LOOKUP_CHUNK):
        rows = conn.execute(select(users.c.name, users.c.id, users.c.kind)
                            .where(users.c.name.in_(listed[start:start + LOOKUP_CHUNK])))
        found.update({row[0]: _Judge(row[1], row[2]) for row in rows})
    return found


def annotated_by(conn: Connection, task_ids: list[int],
                 judge_ids: list[int]) -> set[tuple[int, int]]:
    """(task, annotator) pairs among these that already have an assignment."""
    if not judge_ids:
        return set()
    done: set[tuple[int, int]] = set()
    for start in range(0, len(task_ids), LOOKUP_CHUNK):
        rows = conn.execute(
            select(assignments.c.task_id, assignments.c.annotator_id).where(
                assignments.c.task_id.in_(task_ids[start:start + LOOKUP_CHUNK]),
                assignments.c.annotator_id.in_(judge_ids))
        )
        done.update((row[0], row[1]) for row in rows)
    return done


def _free_slots(conn: Connection, task_ids: list[int]) -> dict[int, int]:
    free: dict[int, int] = {}
    for start in range(0, len(task_ids), LOOKUP_CHUNK):
        rows = conn.execute(select(tasks.c.id, tasks.c.overlap - tasks.c.taken)
                            .where(tasks.c.id.in_(task_ids[start:start + LOOKUP_CHUNK])))
        free.update({row[0]: row[1] for row in rows})
    return free


def check_against_project(conn: Connection, project: Project, records: list[Record],
                          errors: ErrorLog, judge_kind: str = "ai") -> None:
    """Check parsed records against what the project holds: their tasks (same content as any
    stored under their id), their judges (users of ``judge_kind``) and the overlap slots."""
    existing = find_existing(conn, project.id, list({r.item.id: None for r in records}))
    judges = judges_by_name(conn, {r.verdict.judge for r in records if r.verdict})
    task_ids = [found.task_id for found in existing.values() if found.task_id is not None]
    done = annotated_by(conn, task_ids,
                        [j.id for j in judges.values() if j.kind == judge_kind])
    free = _free_slots(conn, task_ids)
    for record in records:
        found = existing.get(record.item.id)
        try:
            judge(conn, record.item, found, False)
        except InvalidItem as error:
            errors.add(record.index, str(error))
            continue
        if record.verdict is not None:
            problem = _verdict_problem(record, found, judges, done, free, project, judge_kind)
            if problem:
                errors.add(record.index, problem)


def _verdict_problem(record: Record, found: Existing | None, judges: dict[str, _Judge],
                     done: set[tuple[int, int]], free: dict, project: Project,
                     judge_kind: str = "ai") -> str | None:
    """Why the record's verdict cannot go in, if it cannot; takes its slot when it can."""
    name = record.verdict.judge
    user = judges.get(name)
    if user is not None and user.kind != judge_kind:
        return (f'annotator "{name}" is the name of a {user.kind} user; its verdicts need a '
                f"user of kind {judge_kind} (rename it in the file or the user)")
    task_id = found.task_id if found is not None else None
    if user is not None and task_id is not None and (task_id, user.id) in done:
        return None  # imported before: the stored verdict stands
    key = task_id if task_id is not None else record.item.id
    room = free.setdefault(key, project.overlap)
    if room <= 0:
        return (f"task {record.item.id} has no free slot for {name}'s verdict: each verdict "
                "takes one of the task's overlap slots; import into a project with a larger "
                "overlap to keep several judges' verdicts")
    free[key] = room - 1
    return None
