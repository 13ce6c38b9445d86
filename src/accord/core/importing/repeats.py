"""How an item may recur within one source file: a rule per format, kept for one check pass.

Most formats give each item once (``UniqueIds``); a format whose files repeat an item on
purpose (AlpacaEval: several judges on one task) brings its own rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from accord.core.importing.records import ImportRecord


class Repeats(Protocol):
    def problem(self, records: Sequence[ImportRecord]) -> str | None:
        """Why one entry's records cannot follow the entries seen so far, if they cannot."""
        ...


RepeatRule = Callable[[str], Repeats]
"""Makes a fresh ``Repeats`` for one pass, given what an entry is called (``line``)."""


class UniqueIds:
    """Each item id once per file (only the ids and their first numbers are kept)."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self._first: dict[str, int] = {}

    def problem(self, records: Sequence[ImportRecord]) -> str | None:
        for record in records:
            first = self._first.setdefault(record.item.id, record.number)
            if first != record.number:
                return f"id {record.item.id} is already used on {self.unit} {first}"
        return None
