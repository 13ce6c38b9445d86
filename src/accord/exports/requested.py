"""An export as a request describes it (the query of ``GET …/exports/{format}`` or the body
of an export job): checked once, kept as a JSON document, turned into ``ExportOptions``.

The names are the command line's (``--min-agreement`` is ``min_agreement``; repeatable
``--source``, ``--category`` and ``--guideline-version`` are lists), so a job's stored
options read like the ``accord export`` command that would make the same files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from accord.core.errors import InvalidInput
from accord.exports.options import ExportOptions
from accord.exports.writers import FILE_FORMATS

SPLIT_FORMATS = ("preference", "kto", "prompts", "raw", "sft")
STREAMED_FORMATS = (*SPLIT_FORMATS, "card")
DIRECTORY = "hf"
"""The file format of a Hugging Face ``DatasetDict`` directory: a job's file only (a ZIP of
the directory), since a directory cannot be streamed as it is read."""
EXTENSIONS = {"jsonl": "jsonl", "parquet": "parquet", "card": "md", DIRECTORY: "hf.zip"}


@dataclass(frozen=True)
class ExportRequest:
    format: str
    file_format: str = "jsonl"
    pairs: str = "all"
    split: float | None = None
    min_agreement: float | None = None
    min_score: float | None = None
    source: list[str] = field(default_factory=list)
    category: list[str] = field(default_factory=list)
    guideline_version: list[int] = field(default_factory=list)
    include_truncated: bool = False
    exclude_suspect: bool = False
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.format not in STREAMED_FORMATS:
            raise InvalidInput(f'export format "{self.format}" is not one of '
                               f'{", ".join(STREAMED_FORMATS)}')
        if self.file_format not in (*FILE_FORMATS, DIRECTORY):
            raise InvalidInput(f'file_format must be one of {", ".join(FILE_FORMATS)} or '
                               f'{DIRECTORY}, not "{self.file_format}"')
        if self.file_format == DIRECTORY and self.format == "card":
            raise InvalidInput("the data card is one Markdown document, not a dataset: "
                               "file_format hf is for the row formats")
        if self.split is not None:
            if self.format == "card":
                raise InvalidInput("the data card is one document: it cannot be split")
            if not 0 < self.split < 1:
                raise InvalidInput("split must lie strictly between 0 and 1 (the test "
                                   "fraction)")
        self.export_options()  # refuses what the export would refuse, now

    def export_options(self) -> ExportOptions:
        return ExportOptions(
            pairs=self.pairs, min_agreement=self.min_agreement, min_score=self.min_score,
            sources=tuple(self.source),
            categories=tuple(self.category),
            guideline_versions=tuple(self.guideline_version), since=self.since,
            until=self.until, include_truncated=self.include_truncated,
            exclude_suspect=self.exclude_suspect)

    @property
    def kind(self) -> str:
        """``card`` for the data card, else the file format."""
        return "card" if self.format == "card" else self.file_format

    @property
    def is_directory(self) -> bool:
        """Whether the export is a ``DatasetDict`` directory, served as a ZIP of it."""
        return self.kind == DIRECTORY

    def file_name(self, project: str) -> str:
        """``prefs.preference.jsonl``; the card: ``prefs.card.md``; a dataset directory:
        ``prefs.preference.hf.zip``."""
        return f"{project}.{self.format}.{EXTENSIONS[self.kind]}"

    def directory_name(self, project: str) -> str:
        """The dataset directory inside the ZIP: ``prefs.preference``."""
        return f"{project}.{self.format}"

    def as_document(self) -> dict[str, Any]:
        """The request as JSON, for the job's row and the audit trail."""
        found: dict[str, Any] = {"format": self.format, "file_format": self.file_format,
                                 "pairs": self.pairs, "include_truncated": self.include_truncated}
        if self.exclude_suspect:
            found["exclude_suspect"] = True
        for name in ("split", "min_agreement", "min_score"):
            if getattr(self, name) is not None:
                found[name] = getattr(self, name)
        for name in ("source", "category", "guideline_version"):
            if getattr(self, name):
                found[name] = list(getattr(self, name))
        for name in ("since", "until"):
            moment = getattr(self, name)
            if moment is not None:
                found[name] = moment.isoformat()
        return found

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> ExportRequest:
        values = dict(document)
        for name in ("since", "until"):
            if values.get(name) is not None:
                values[name] = datetime.fromisoformat(values[name])
        return cls(**values)
