"""Importing AlpacaEval annotation files as AI-judge annotations.

An AlpacaEval ``*_annotations.json`` holds, per instruction, a reference output, a model's
output and an AI judge's preference between them. Imported, each record becomes a comparison
task (one per instruction and pair of generators), and its preference becomes a submitted
annotation by an AI judge (a user of kind ``ai`` named after the record's ``annotator``), so
the project's report can reproduce the AlpacaEval leaderboard's win rates and weigh the judge
against human annotators. ``alpaca_records`` says how each field maps.

    report = import_alpaca_eval(engine, "leaderboard", Path("Qwen-14B-Chat_annotations.json"))
    report.summary()  # "805 tasks new, 0 unchanged; 805 annotations new, 0 unchanged"

As for JSONL, the file is checked whole first: any invalid record is reported by its index
in the array (from 0) with the field at fault, and nothing is written unless the caller
skips invalid records. Importing the same file again adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from accord.core.errors import Conflict, ImportRejected
from accord.core.importing.alpaca_check import UNIT, Progress, check_records, read_array
from accord.core.importing.alpaca_records import Record
from accord.core.importing.alpaca_writes import write_records
from accord.core.importing.items import ItemRules
from accord.core.importing.report import MAX_REPORTED_ERRORS, ImportReport, plural
from accord.core.importing.sources import MAX_SOURCE_LENGTH
from accord.core.projects.project import Project, get_project
from accord.db.types import utcnow

BATCH_SIZE = 1000
RETRIES = 3


@dataclass
class AlpacaEvalReport(ImportReport):
    """``new``/``unchanged`` count tasks; annotations and unjudged records are counted apart.

    ``unjudged``: indices of the records that carry no preference (imported as tasks without
    an annotation), the first ``MAX_REPORTED_ERRORS`` of ``unjudged_count``.
    """

    annotations_new: int = 0
    annotations_unchanged: int = 0
    unjudged_count: int = 0
    unjudged: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "tasks": {"new": self.new, "unchanged": self.unchanged},
            "annotations": {"new": self.annotations_new,
                            "unchanged": self.annotations_unchanged},
            "unjudged": self.unjudged_count,
            "unjudged_records": self.unjudged,
            "invalid": self.invalid,
            "errors": [{UNIT: index, "reason": reason} for index, reason in self.errors],
        }

    def summary(self) -> str:
        """``"805 tasks new, 0 unchanged; 802 annotations new, 0 unchanged; 3 records
        without a preference"``, naming skipped records only when there are."""
        parts = [f"{self.new} {plural(self.new, 'task')} new, {self.unchanged} unchanged",
                 f"{self.annotations_new} {plural(self.annotations_new, 'annotation')} new, "
                 f"{self.annotations_unchanged} unchanged"]
        if self.unjudged_count:
            parts.append(f"{self.unjudged_count} {plural(self.unjudged_count, 'record')} "
                         "without a preference (task only)")
        if self.invalid:
            parts.append(f"{self.invalid} invalid {plural(self.invalid, UNIT)} skipped")
        return "; ".join(parts)


def import_alpaca_eval(
    engine: Engine,
    project: Project | str,
    path: Path | str,
    *,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> AlpacaEvalReport:
    """Import an AlpacaEval annotation file (a JSON array, ``.gz`` too) into ``project``.

    Raises ``ImportRejected`` (``details``: the first ``(record index, reason)`` pairs) when
    records are invalid and ``skip_invalid`` is false; then nothing has been written.
    ``InvalidInput`` when the file is not a JSON array of records at all. ``progress`` is
    called as ``progress(phase, done, total)`` in records, phase ``checking`` or
    ``importing``.
    """
    path = Path(path)
    if isinstance(project, str):
        with engine.connect() as conn:
            project = get_project(conn, project)
    rules = ItemRules(project.name, project.ranking_mode == "pairwise", project.allow_ties)
    values = read_array(path)
    checked = check_records(engine, project, values, rules, progress)
    errors = checked.errors
    if errors.count and not skip_invalid:
        raise ImportRejected(errors.message(UNIT), details=errors.kept())
    report = AlpacaEvalReport(invalid=errors.count, errors=errors.kept())
    unjudged = [record.index for record in checked.records if record.verdict is None]
    report.unjudged_count, report.unjudged = len(unjudged), unjudged[:MAX_REPORTED_ERRORS]
    source = path.name[:MAX_SOURCE_LENGTH]
    records = checked.records
    for start in range(0, len(records), batch_size):
        write_batch(engine, project, records[start:start + batch_size], source, report)
        if progress:
            progress("importing", min(start + batch_size, len(records)), len(records))
    return report


def write_batch(engine: Engine, project: Project, batch: list[Record], source: str,
                report: AlpacaEvalReport, judge_kind: str = "ai") -> None:
    """One transaction; a concurrent import of the same records (PostgreSQL) is caught by the
    unique keys, and the retry sees its rows as already there. ``judge_kind``: the kind of
    the verdicts' authors (``ai``, or ``imported`` for a data set's own labels)."""
    for attempt in range(1, RETRIES + 1):
        try:
            with engine.begin() as conn:
                counts = write_records(conn, project, batch, source, utcnow(), judge_kind)
        except IntegrityError as error:
            if attempt == RETRIES:
                raise Conflict(
                    f"records {batch[0].index}-{batch[-1].index} could not be written: "
                    f"{str(error.orig).strip().splitlines()[0]}"
                ) from error
            continue
        report.new += counts.tasks_new
        report.unchanged += counts.tasks_unchanged
        report.annotations_new += counts.annotations_new
        report.annotations_unchanged += counts.annotations_unchanged
        return
