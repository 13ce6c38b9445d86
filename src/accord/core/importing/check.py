"""Pass 1: check the whole source before anything is written.

Every invalid entry is found, not just the first, so that a user fixes a file in one round:
an entry that cannot be read, one its format's adapter refuses, one that repeats an earlier
entry, an item that the project holds with other content, a label that cannot become an
annotation. Memory stays flat however long the file: only what the format's repeat rule
keeps (the ids seen so far), the slots its labels take and the numbers of invalid entries are
kept, and records are looked up in the project a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from accord.core.importing.existing import find_existing, judge, project_is_empty
from accord.core.importing.fields import InvalidItem
from accord.core.importing.label_check import LabelCheck
from accord.core.importing.records import AdaptContext, Adapter, ImportRecord
from accord.core.importing.repeats import RepeatRule
from accord.core.importing.report import MAX_REPORTED_ERRORS, ErrorLog
from accord.core.importing.sources import Source
from accord.core.projects.project import Project

SourceRead = Callable[[str, int, int], None]
"""Told how far a pass has read the source: ``on_read(phase, done, total)``, phase
``"checking"`` or ``"importing"``, in the source's ``progress_in`` (bytes of a file)."""
LOOKUP_CHUNK = 2000
PROGRESS_EVERY = 5000


@dataclass
class CheckResult:
    errors: ErrorLog
    valid: int


@dataclass(frozen=True)
class _Lookups:
    """What each chunk of records is checked against in the project."""

    project_id: int
    update: bool
    items: bool  # False while the project is empty: no id can collide
    labels: LabelCheck


def check_source(
    engine: Engine, project: Project, source: Source, adapt: Adapter, repeats: RepeatRule,
    context: AdaptContext, *, update: bool, on_read: SourceRead | None = None,
    max_errors: int = MAX_REPORTED_ERRORS,
) -> CheckResult:
    """Validate every entry of ``source`` against its format, the file and the project;
    ``max_errors`` invalid entries are kept (the earliest), all are counted."""
    errors = ErrorLog(max_errors)
    with engine.connect() as conn:
        lookups = _Lookups(project.id, update, not project_is_empty(conn, project.id),
                           LabelCheck(project.overlap))
    seen = repeats(source.unit)
    pending: list[ImportRecord] = []
    valid = 0
    with source.open() as reading:
        for count, entry in enumerate(reading, start=1):
            if count % PROGRESS_EVERY == 0 and on_read:
                on_read("checking", reading.position, reading.total)
            if entry.error is not None:
                errors.add(entry.number, entry.error)
                continue
            try:
                records = adapt(entry.number, entry.value, context)
            except InvalidItem as error:
                errors.add(entry.number, str(error))
                continue
            problem = seen.problem(records)
            if problem is not None:
                errors.add(entry.number, problem)
                continue
            valid += len(records)
            if lookups.items or any(record.labels for record in records):
                pending.extend(records)
                if len(pending) >= LOOKUP_CHUNK:
                    valid -= _check_chunk(engine, lookups, pending, errors)
                    pending.clear()
        if pending:
            valid -= _check_chunk(engine, lookups, pending, errors)
        if on_read:
            on_read("checking", reading.total, reading.total)
    if valid == 0 and errors.count == 0:
        errors.add(1, f"there is nothing to import: the {_whole(source)} holds no items")
    return CheckResult(errors, valid)


def _whole(source: Source) -> str:
    return "list" if source.unit == "item" else "file"


def _check_chunk(engine: Engine, lookups: _Lookups, pending: list[ImportRecord],
                 errors: ErrorLog) -> int:
    """Log the records that the project refuses; return how many."""
    with engine.connect() as conn:
        existing = (find_existing(conn, lookups.project_id, [r.item.id for r in pending])
                    if lookups.items else {})
        if any(record.labels for record in pending):
            lookups.labels.look_up(conn, pending, existing)
        return sum(1 for record in pending
                   if not _accepted(conn, record, existing, lookups, errors))


def _accepted(conn: Connection, record: ImportRecord, existing: dict, lookups: _Lookups,
              errors: ErrorLog) -> bool:
    """Whether the project takes the record: its item, then each of its labels."""
    found = existing.get(record.item.id)
    try:
        if found is not None:
            judge(conn, record.item, found, lookups.update)
        for label in record.labels:
            problem = lookups.labels.problem(record, label, found)
            if problem is not None:
                raise InvalidItem(problem)
    except InvalidItem as error:
        errors.add(record.number, str(error))
        return False
    return True
