"""The source formats ``accord import`` reads, one adapter module each, in one registry.

A format is how its files are read (``source``: JSONL streamed line by line, or one JSON
array), the adapter that turns each parsed entry into Accord's item records (``records``),
and what becomes of the labels its data carries. Adding a format is one adapter module here
and one line in ``FORMATS``; the pipeline, the CLI's ``--format`` and its checks follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from accord.core.errors import InvalidInput
from accord.core.importing.formats import accord_jsonl, alpaca_eval, argilla, label_studio, oasst
from accord.core.importing.records import Adapter
from accord.core.importing.repeats import RepeatRule, UniqueIds
from accord.core.importing.sources import ArraySource, FileSource


class Labels(Enum):
    """What an import does with the labels that come with the data."""

    ON_REQUEST = "kept with --labelled, as the source's annotator's"
    ALWAYS = "always kept, as the source's annotator's"
    NAMED_AUTHORS = "always kept, as the annotations of the users the records name"


@dataclass(frozen=True)
class ImportFormat:
    name: str
    description: str
    """What ``accord import --help`` says of it."""
    read: type[FileSource] | type[ArraySource]
    """Opens a file of this format: ``read(path, max_line_bytes)``."""
    adapt: Adapter
    labels: Labels = Labels.ON_REQUEST
    repeats: RepeatRule = UniqueIds
    source_name: str | None = None
    """The labels' source (``--source``) when none is given; ``None``: the file's name."""


FORMATS: dict[str, ImportFormat] = {f.name: f for f in (
    ImportFormat("jsonl", "Accord items or TRL rows", FileSource, accord_jsonl.adapt),
    ImportFormat("alpaca-eval", "an AlpacaEval annotation file: each record becomes a "
                 "comparison task and its preference a submitted annotation by an AI judge "
                 "named after the record's annotator", ArraySource, alpaca_eval.adapt,
                 Labels.NAMED_AUTHORS, alpaca_eval.RepeatedRecords),
    ImportFormat("oasst", "OpenAssistant message trees: each ranked group of replies becomes "
                 "a K-way task; implies --labelled", FileSource, oasst.adapt, Labels.ALWAYS,
                 source_name="oasst"),
    ImportFormat("label-studio", "a Label Studio JSON export of a pairwise (Pairwise tag) or "
                 "ranking (List and Ranker) project: each task becomes a comparison task and "
                 "each annotation a submitted annotation by a user named after its Label Studio "
                 "annotator", ArraySource, label_studio.adapt, Labels.NAMED_AUTHORS),
    ImportFormat("argilla", "an Argilla FeedbackDataset exported as JSON lines: each record "
                 "becomes a comparison task and each annotator's submitted ranking (with their "
                 "ratings of the responses) a submitted annotation by a user named after them",
                 FileSource, argilla.adapt, Labels.NAMED_AUTHORS),
)}


def import_format(name: str) -> ImportFormat:
    """The registered format ``name``; ``InvalidInput`` naming the others when there is none."""
    if name not in FORMATS:
        raise InvalidInput(f'--format must be one of {", ".join(FORMATS)}, not "{name}"')
    return FORMATS[name]
