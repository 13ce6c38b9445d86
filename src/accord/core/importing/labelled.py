"""Importing data sets with their labels: the labels become annotations by an ``imported``
annotator, so existing sets can be exported, merged with new annotations, or re-annotated.

Two sources (``accord import PROJECT FILE --labelled``):

- TRL preference rows (JSONL, ``.gz`` too): each row becomes the comparison task a plain
  import makes of it (``core.importing.trl``: neutral response ids, prompt = the dialogues'
  shared prefix where no ``prompt`` is given) plus the row's label, chosen over rejected;
- OpenAssistant message trees (``--format oasst``; ``core.importing.oasst``): each ranked
  group of sibling assistant replies becomes a K-way task with the published ranking.

The label is stored exactly as an AI judge's verdict is (``alpaca_writes``): a submitted
assignment in task order, an annotation with the ranking, its pairwise outcomes and the
task's counters, by a user of kind ``imported`` named ``source.NAME`` (``--source NAME``; by
default the file's name, or ``oasst``). It takes one of the task's ``overlap`` slots: in a
project of overlap 1 each imported task is complete and exports at once; with overlap 3 the
label is one vote of three and the task waits for two more annotators. The whole file is read
and checked before anything is written; importing it again adds nothing.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import orjson
from sqlalchemy import Engine

from accord.core.errors import ImportRejected, InvalidInput
from accord.core.importing import alpaca_eval
from accord.core.importing.alpaca_check import check_against_project
from accord.core.importing.alpaca_eval import AlpacaEvalReport
from accord.core.importing.alpaca_records import JudgeVerdict, Record
from accord.core.importing.fields import InvalidItem
from accord.core.importing.items import Item, ItemRules
from accord.core.importing.lines import GZIP_MAGIC
from accord.core.importing.oasst import oasst_item, ranked_groups
from accord.core.importing.report import ErrorLog
from accord.core.importing.sources import MAX_SOURCE_LENGTH
from accord.core.importing.trl import is_trl_row, trl_item
from accord.core.people.users import NAME_PATTERN
from accord.core.projects.project import Project, get_project

KIND = "imported"
LABELLED_FORMATS = ("trl", "oasst")
SOURCE_PREFIX = "source."


def source_user(name: str) -> str:
    """The imported annotator's user name for a source: ``source.hh-rlhf`` for ``hh-rlhf``.

    User names allow no ``:``, so the prefix ends with a dot; characters a user name cannot
    hold become ``-``."""
    cleaned = re.sub(r"[^A-Za-z0-9._@-]+", "-", name).strip("-.") or "unnamed"
    user = (SOURCE_PREFIX + cleaned)[:120]
    if not NAME_PATTERN.match(user):
        raise InvalidInput(f'"{name}" cannot name a source (letters, digits, ".", "_", "-")')
    return user


def default_source(path: Path, fmt: str) -> str:
    """``oasst`` for OpenAssistant trees, else the file's name without its extensions."""
    if fmt == "oasst":
        return "oasst"
    return path.name.split(".")[0]


def import_labelled(
    engine: Engine, project: Project | str, path: Path | str, *, fmt: str = "trl",
    source: str | None = None, skip_invalid: bool = False,
    batch_size: int = alpaca_eval.BATCH_SIZE,
) -> AlpacaEvalReport:
    """Import ``path``'s items with their labels as annotations by the source's annotator.

    Raises ``ImportRejected`` (details: the first ``(line, reason)`` pairs; for oasst the line
    of the tree) when entries are invalid and ``skip_invalid`` is false; nothing is written then.
    """
    if fmt not in LABELLED_FORMATS:
        raise InvalidInput(f'labelled format "{fmt}" is not one of {", ".join(LABELLED_FORMATS)}')
    path = Path(path)
    if isinstance(project, str):
        with engine.connect() as conn:
            project = get_project(conn, project)
    judge = source_user(source or default_source(path, fmt))
    rules = ItemRules(project.name, project.ranking_mode == "pairwise", project.allow_ties)
    errors = ErrorLog()
    records = _parse(path, fmt, rules, judge, errors)
    with engine.connect() as conn:
        check_against_project(conn, project, records, errors, judge_kind=KIND)
    if errors.count and not skip_invalid:
        raise ImportRejected(errors.message("line"), details=errors.kept())
    valid = [record for record in records if record.index not in errors.lines]
    report = AlpacaEvalReport(invalid=errors.count, errors=errors.kept())
    file_source = path.name[:MAX_SOURCE_LENGTH]
    for start in range(0, len(valid), batch_size):
        alpaca_eval.write_batch(engine, project, valid[start:start + batch_size], file_source,
                                report, judge_kind=KIND)
    return report


def _parse(path: Path, fmt: str, rules: ItemRules, judge: str,
           errors: ErrorLog) -> list[Record]:
    """Every valid entry as a record with its verdict; the invalid ones go to ``errors``.
    Each record's ``index`` is its line number (several oasst groups share their tree's)."""
    records: list[Record] = []
    seen: dict[str, tuple[int, str]] = {}
    for number, raw in _lines(path, errors):
        try:
            parsed = list(_records(number, raw, fmt, rules, judge))
        except InvalidItem as error:
            errors.add(number, str(error))
            continue
        for record in parsed:
            digest = record.item.content_hash()
            first, first_digest = seen.setdefault(record.item.id, (number, digest))
            if first != number or first_digest != digest:
                errors.add(number, f"item {record.item.id} repeats line {first}")
                break
        else:
            records.extend(parsed)
    return records


def _records(number: int, raw: object, fmt: str, rules: ItemRules,
             judge: str) -> Iterator[Record]:
    if fmt == "oasst":
        tree_id, groups = ranked_groups(raw)
        for group in groups:
            item, ranking = oasst_item(tree_id, group, rules)
            yield Record(number, item, _verdict(judge, ranking, item))
        return
    if type(raw) is not dict or not is_trl_row(raw):
        raise InvalidItem("a labelled line must be a TRL preference row (chosen and rejected)")
    item = trl_item(raw, rules)
    chosen = item.metadata["source_label"]["chosen"]
    rejected = next(r.id for r in item.responses if r.id != chosen)
    yield Record(number, item, _verdict(judge, [[chosen], [rejected]], item))


def _verdict(judge: str, ranking: list[list[str]], item: Item) -> JudgeVerdict:
    rationale = orjson.dumps({"source": judge.removeprefix(SOURCE_PREFIX),
                              "label": "imported with the data"}).decode()
    return JudgeVerdict(judge, ranking, None, 0, rationale,
                        tuple(response.id for response in item.responses))


def _lines(path: Path, errors: ErrorLog) -> Iterator[tuple[int, object]]:
    """(line number, parsed JSON) of each non-blank line; undecodable lines go to ``errors``."""
    with path.open("rb") as probe:
        packed = probe.read(2) == GZIP_MAGIC
    with (gzip.open(path, "rb") if packed else path.open("rb")) as file:
        for number, line in enumerate(file, 1):
            if not line.strip():
                continue
            try:
                yield number, orjson.loads(line)
            except orjson.JSONDecodeError as error:
                errors.add(number, f"not JSON: {error}")


__all__ = ["LABELLED_FORMATS", "import_labelled", "source_user"]
