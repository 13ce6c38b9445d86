"""What a user asks of an export beyond its format: K-way expansion, filters and a split.

One frozen value travels from the CLI (or the Python caller) to every row stream, and its
:meth:`ExportOptions.applied` goes into the export report and the data card, so a file always
says how it was cut.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from accord.core.errors import InvalidInput
from accord.core.exporting.streams import TaskFilter
from accord.core.projects.categories import filter_keys

PAIRS = ("all", "best-vs-rest")
SOURCES = ("human", "ai", "ai_judge", "imported", "adjudicated", "mixed")


@dataclass(frozen=True)
class ExportOptions:
    """Options of an export; the defaults export every implied pair of whole responses."""

    pairs: str = "all"
    """``all``: every implied pair of a K-way ranking; ``best-vs-rest``: only the pairs whose
    chosen response is the task's best (K-1 rows for K responses)."""
    min_agreement: float | None = None
    sources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    guideline_versions: tuple[int, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    min_score: float | None = None
    """SFT: keep accepted demonstrations whose mean rubric score (over the dimensions, in the
    round that accepted them) is at least this."""
    include_truncated: bool = False
    """Keep pairs whose chosen or rejected response was cut off at the length limit. Left
    out by default: a trainer appends an end-of-sequence token to every response, so a cut-off
    ``chosen`` teaches a model to stop mid-answer, and a cut-off ``rejected`` teaches it that
    "finished" wins rather than what the annotators preferred."""
    exclude_suspect: bool = False
    """Leave out tasks whose label is an open suspect (``accord suspects``): doubted by an AI
    judge or a reward model and not yet confirmed by a reviewer."""

    def __post_init__(self) -> None:
        if self.pairs not in PAIRS:
            raise InvalidInput(f'--pairs must be one of {", ".join(PAIRS)}, not "{self.pairs}"')
        unknown = [s for s in self.sources if s not in SOURCES]
        if unknown:
            raise InvalidInput(f'source "{unknown[0]}" is not one of {", ".join(SOURCES)}')
        if self.min_agreement is not None and not 0 <= self.min_agreement <= 1:
            raise InvalidInput("--min-agreement must lie between 0 and 1")
        if self.min_score is not None and not math.isfinite(self.min_score):
            raise InvalidInput("--min-score must be a finite number")
        # a category filter may name the label ("Open QA") or the key (open-qa)
        object.__setattr__(self, "categories", filter_keys(self.categories))

    def task_filter(self) -> TaskFilter:
        """The part of the options that the database applies."""
        return TaskFilter(self.categories, self.since, self.until, self.exclude_suspect)

    def applied(self) -> dict:
        """The options that narrow (or, for ``include_truncated``, widen) the export, by
        name; empty for the defaults."""
        found: dict = {}
        if self.pairs != "all":
            found["pairs"] = self.pairs
        for name in ("min_agreement", "min_score", "sources", "categories", "guideline_versions"):
            value = getattr(self, name)
            if value not in (None, ()):
                found[name] = list(value) if isinstance(value, tuple) else value
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                found[name] = value.isoformat()
        if self.include_truncated:
            found["include_truncated"] = True
        if self.exclude_suspect:
            found["exclude_suspect"] = True
        return found
