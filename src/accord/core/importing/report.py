"""What an import did, and the invalid lines it found, kept to a readable number."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

MAX_REPORTED_ERRORS = 100


@dataclass
class ImportReport:
    """Counts of items by outcome, and the first invalid lines as ``(line, reason)``."""

    new: int = 0
    unchanged: int = 0
    updated: int = 0
    invalid: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "new": self.new,
            "unchanged": self.unchanged,
            "updated": self.updated,
            "invalid": self.invalid,
            "errors": [{"line": line, "reason": reason} for line, reason in self.errors],
        }

    def summary(self) -> str:
        """``"120 new, 30 unchanged"``, naming updates and skipped lines only when there are."""
        parts = [f"{self.new} new", f"{self.unchanged} unchanged"]
        if self.updated:
            parts.append(f"{self.updated} updated")
        if self.invalid:
            parts.append(f"{self.invalid} invalid {plural(self.invalid, 'line')} skipped")
        return ", ".join(parts)


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
