"""Pass 1: check the whole source before anything is written.

Every invalid line is found, not just the first, so that a user fixes a file in one round.
Memory stays flat however long the file: only the ids seen so far (to catch repeats) and the
numbers of invalid lines are kept, and ids are looked up in the project a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from accord.core.importing.existing import find_existing, judge, project_is_empty
from accord.core.importing.fields import InvalidItem
from accord.core.importing.formats import to_item
from accord.core.importing.items import Item, ItemRules
from accord.core.importing.report import ErrorLog
from accord.core.importing.sources import Source

Progress = Callable[[str, int, int], None]
LOOKUP_CHUNK = 2000
PROGRESS_EVERY = 5000


@dataclass
class CheckResult:
    errors: ErrorLog
    valid: int


def check_source(
    engine: Engine, project_id: int, source: Source, rules: ItemRules, *, update: bool,
    progress: Progress | None = None,
) -> CheckResult:
    """Validate every entry of ``source`` against the format, the file and the project."""
    errors = ErrorLog()
    with engine.connect() as conn:
        look_up = not project_is_empty(conn, project_id)
    seen: dict[str, int] = {}
    pending: list[tuple[int, Item]] = []
    valid = 0
    with source.open() as reading:
        for count, entry in enumerate(reading, start=1):
            if count % PROGRESS_EVERY == 0 and progress:
                progress("checking", reading.position, reading.total)
            if entry.error is not None:
                errors.add(entry.number, entry.error)
                continue
            try:
                item = to_item(entry.value, rules)
            except InvalidItem as error:
                errors.add(entry.number, str(error))
                continue
            first = seen.setdefault(item.id, entry.number)
            if first != entry.number:
                errors.add(entry.number, f"id {item.id} is already used on {source.unit} {first}")
                continue
            valid += 1
            if look_up:
                pending.append((entry.number, item))
                if len(pending) >= LOOKUP_CHUNK:
                    valid -= _check_against_project(engine, project_id, pending, update, errors)
                    pending.clear()
        if pending:
            valid -= _check_against_project(engine, project_id, pending, update, errors)
        if progress:
            progress("checking", reading.total, reading.total)
    if valid == 0 and errors.count == 0:
        errors.add(1, f"there is nothing to import: the {_whole(source)} holds no items")
    return CheckResult(errors, valid)


def _whole(source: Source) -> str:
    return "file" if source.unit == "line" else "list"


def _check_against_project(
    engine: Engine, project_id: int, pending: list[tuple[int, Item]], update: bool,
    errors: ErrorLog,
) -> int:
    """Log items whose id the project holds with other content (or as another kind) and
    that may not replace it; return how many."""
    refused = 0
    with engine.connect() as conn:
        existing = find_existing(conn, project_id, [item.id for _, item in pending])
        for number, item in pending:
            found = existing.get(item.id)
            if found is None:
                continue
            try:
                judge(conn, item, found, update)
            except InvalidItem as error:
                errors.add(number, str(error))
                refused += 1
    return refused
