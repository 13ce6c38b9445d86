"""What an adapter makes of one source record: Accord items, each with the labels that came
with it, and the interface every source format's adapter implements.

An adapter knows one source format and nothing of the database: it turns one parsed entry of
the file (a JSONL line, an element of a JSON array), with its number, into zero or more
``ImportRecord``s, or raises ``InvalidItem`` saying what is wrong (the pipeline adds the
number). The pipeline does the rest the same way for every format: repeats within the file,
the check against the project, the writes, the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from accord.core.importing.items import Item, ItemRules


class Author(NamedTuple):
    """The user a label is stored under: created with ``kind`` (``imported`` for a data set's
    own labels, ``ai`` for an AI judge's verdicts) if missing, and made an annotator of the
    project. ``ai_settings``: what an AI judge's user records about it."""

    name: str
    kind: str = "imported"
    ai_settings: dict | None = None


@dataclass(frozen=True, slots=True)
class Label:
    """A judgment that came with the data, in the terms of an Accord annotation: it becomes a
    submitted assignment and its annotation, exactly as if ``author`` had done the task."""

    author: Author
    ranking: list[list[str]]
    """Tie groups of response ids, best first."""
    preference: float | None
    """Probability that the top-ranked response is better (0.5 for a tie); ``None`` for a
    label that gives none (a TRL row's, an OpenAssistant ranking)."""
    active_ms: int
    rationale: str
    display_order: tuple[str, ...]
    """The response ids in the order the author saw them (unknown: the task's order)."""
    ratings: dict[str, dict[str, int]] | None = None
    """Per response id, the author's rating on each of the project's dimensions that the
    source rated (checked against the project's scales by the adapter)."""


class ImportRecord(NamedTuple):
    """One item of the source, its number (the line, or the index in an array; several
    records of one line share it), and its labels (none, when the import keeps none)."""

    number: int
    item: Item
    labels: tuple[Label, ...] = ()


@dataclass(frozen=True, slots=True)
class AdaptContext:
    """What an adapter needs beyond the entry: the target project's rules, and the author of
    the source's labels when the import keeps them (``None``: it keeps none, or the records
    name their own authors)."""

    rules: ItemRules
    labeller: Author | None = None


class Adapter(Protocol):
    """A source format: one parsed entry in, its records out, or ``InvalidItem``."""

    def __call__(self, number: int, value: Any,
                 context: AdaptContext) -> Sequence[ImportRecord]: ...
