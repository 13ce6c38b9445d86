"""Writing a stream of rows to JSONL or Parquet, all or nothing.

Rows are written to a hidden temporary file beside the target and renamed over it with
``os.replace`` only once the last row is on disk (flushed and fsynced), so an export that
fails or is killed half-way leaves the previous file — or no file — never a truncated one.
The temporary file is opened exclusively (``"xb"``), so it gets the user's usual
permissions and two exports never share one.

Parquet is written one row group per batch with ``pyarrow.parquet.ParquetWriter`` against an
explicit schema, so memory stays at one batch and an empty export still has typed columns.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from accord.core.errors import InvalidInput

FILE_FORMATS = ("jsonl", "parquet")
SUFFIXES = {".jsonl": "jsonl", ".parquet": "parquet"}
ROW_GROUP_ROWS = 50_000  # rows per Parquet row group
CONVERT_ROWS = 1_000  # rows turned into one Arrow record batch at a time
PROGRESS_ROWS = 10_000  # rows between two progress calls

Progress = Callable[[int], None]
"""Called with the number of rows written so far, after each batch."""


def file_format_for(path: Path, file_format: str | None = None) -> str:
    """The file format named explicitly, or else the one ``path``'s extension implies."""
    if file_format is not None:
        if file_format not in FILE_FORMATS:
            raise InvalidInput(
                f'file format "{file_format}" is not one of {", ".join(FILE_FORMATS)}'
            )
        return file_format
    implied = SUFFIXES.get(path.suffix.lower())
    if implied is None:
        raise InvalidInput(
            f'cannot tell the file format of "{path}" from its extension: name it .jsonl '
            "or .parquet, or give the file format"
        )
    return implied


def _check_target(path: Path) -> None:
    if not path.parent.is_dir():
        raise InvalidInput(f'cannot write "{path}": directory "{path.parent}" does not exist')
    if path.is_dir():
        raise InvalidInput(f'cannot write "{path}": it is a directory')


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes ``path`` when the block ends normally, and vanishes if not."""
    _check_target(path)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    try:
        with open(temporary, "xb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def write_jsonl(
    rows: Iterable[dict], file: BinaryIO, progress: Progress | None = None,
    every: int = PROGRESS_ROWS,
) -> int:
    """One JSON object per line (UTF-8, ``orjson``); returns the number of rows written.

    Each row is encoded as soon as it arrives, so no row object outlives its line; the
    encoded lines are written ``every`` rows at a time.
    """
    written = 0
    lines: list[bytes] = []
    for row in rows:
        lines.append(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))
        if len(lines) == every:
            written += _flush_lines(file, lines, progress, written)
    written += _flush_lines(file, lines, progress, written)
    return written


def _flush_lines(
    file: BinaryIO, lines: list[bytes], progress: Progress | None, before: int
) -> int:
    file.write(b"".join(lines))
    count = len(lines)
    lines.clear()
    if progress:
        progress(before + count)
    return count


def write_parquet(
    rows: Iterable[dict], file: BinaryIO, schema: pa.Schema, progress: Progress | None = None,
    row_group_rows: int = ROW_GROUP_ROWS,
) -> int:
    """Rows as Parquet row groups typed by ``schema``; returns the number of rows written.

    Rows become Arrow record batches a thousand at a time (so Python objects never pile up
    for the garbage collector to rescan), and batches are written as one row group once
    ``row_group_rows`` have gathered.
    """
    written = 0
    pending: list[pa.RecordBatch] = []
    with pq.ParquetWriter(file, schema, compression="zstd") as writer:
        for batch in _batches(rows, min(CONVERT_ROWS, row_group_rows)):
            pending.append(pa.RecordBatch.from_pylist(batch, schema=schema))
            written += len(batch)
            if sum(len(b) for b in pending) >= row_group_rows:
                writer.write_table(pa.Table.from_batches(pending), row_group_rows)
                pending.clear()
                if progress:
                    progress(written)
        if pending:
            writer.write_table(pa.Table.from_batches(pending), row_group_rows)
    if progress:
        progress(written)
    return written


def write_rows(
    rows: Iterable[dict], path: Path, file_format: str, schema: pa.Schema,
    progress: Progress | None = None,
) -> int:
    """Write ``rows`` to ``path`` atomically in ``file_format``; returns the rows written."""
    with atomic_output(path) as file:
        if file_format == "parquet":
            return write_parquet(rows, file, schema, progress)
        return write_jsonl(rows, file, progress)
