"""What an import did, and the invalid entries it found, kept to a readable number: one report
for every format."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

MAX_REPORTED_ERRORS = 100


@dataclass
class ImportReport:
    """Counts of items by outcome, and the first invalid entries as ``(number, reason)``.

    ``unit`` is what an entry is called (``line``, ``record``, ``item``). When the import
    keeps labels (``labelled``), the items are tasks, and the report counts apart the
    annotations its labels became and the records that came without one (``unjudged``: their
    numbers, the first ``MAX_REPORTED_ERRORS`` of ``unjudged_count``: tasks only).
    """

    unit: str = "line"
    labelled: bool = False
    new: int = 0
    unchanged: int = 0
    updated: int = 0
    invalid: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    annotations_new: int = 0
    annotations_unchanged: int = 0
    unjudged_count: int = 0
    unjudged: list[int] = field(default_factory=list)

    def add_unjudged(self, number: int) -> None:
        """Count a record imported without a label by an import that keeps labels."""
        self.unjudged_count += 1
        if len(self.unjudged) < MAX_REPORTED_ERRORS:
            self.unjudged.append(number)

    def as_dict(self) -> dict:
        errors = [{self.unit: number, "reason": reason} for number, reason in self.errors]
        if not self.labelled:
            return {"new": self.new, "unchanged": self.unchanged, "updated": self.updated,
                    "invalid": self.invalid, "errors": errors}
        return {
            "tasks": {"new": self.new, "unchanged": self.unchanged},
            "annotations": {"new": self.annotations_new,
                            "unchanged": self.annotations_unchanged},
            "unjudged": self.unjudged_count,
            "unjudged_records": self.unjudged,
            "invalid": self.invalid,
            "errors": errors,
        }

    def summary(self) -> str:
        """``"120 new, 30 unchanged"``, or with labels ``"805 tasks new, 0 unchanged; 802
        annotations new, 0 unchanged; 3 records without a preference (task only)"``, naming
        updates, records without labels and skipped entries only when there are."""
        skipped = f"{self.invalid} invalid {plural(self.invalid, self.unit)} skipped"
        if not self.labelled:
            parts = [f"{self.new} new", f"{self.unchanged} unchanged"]
            if self.updated:
                parts.append(f"{self.updated} updated")
            if self.invalid:
                parts.append(skipped)
            return ", ".join(parts)
        parts = [f"{self.new} {plural(self.new, 'task')} new, {self.unchanged} unchanged",
                 f"{self.annotations_new} {plural(self.annotations_new, 'annotation')} new, "
                 f"{self.annotations_unchanged} unchanged"]
        if self.unjudged_count:
            parts.append(f"{self.unjudged_count} {plural(self.unjudged_count, 'record')} "
                         "without a preference (task only)")
        if self.invalid:
            parts.append(skipped)
        return "; ".join(parts)


def plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


class ErrorLog:
    """Every invalid line is counted; the ``cap`` earliest are kept, whatever order they come in
    (the check against the database reports a chunk of lines after later syntax errors)."""

    def __init__(self, cap: int = MAX_REPORTED_ERRORS) -> None:
        self.cap = cap
        self.count = 0
        self._heap: list[tuple[int, str]] = []  # (-line, reason): the latest kept line on top
        self.lines: set[int] = set()

    def add(self, line: int, reason: str) -> None:
        self.count += 1
        self.lines.add(line)
        entry = (-line, reason)
        if len(self._heap) < self.cap:
            heapq.heappush(self._heap, entry)
        elif line < -self._heap[0][0]:
            heapq.heapreplace(self._heap, entry)

    def kept(self) -> list[tuple[int, str]]:
        """The earliest invalid lines, in file order."""
        return sorted((-line, reason) for line, reason in self._heap)

    def message(self, unit: str = "line") -> str:
        """``3 invalid lines; nothing imported:`` and one line per error, then how many more."""
        kept = self.kept()
        lines = [f"{self.count} invalid {plural(self.count, unit)}; nothing imported:"]
        lines += [f"{unit} {line}: {reason}" for line, reason in kept]
        if self.count > len(kept):
            lines.append(f"… and {self.count - len(kept)} more")
        return "\n".join(lines)
