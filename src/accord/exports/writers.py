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
from contextlib import ExitStack, contextmanager
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

RowsWritten = Callable[[int], None]
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


class JsonlSink:
    """One JSON object per line (UTF-8, ``orjson``), written ``every`` rows at a time.

    Each row is encoded as soon as it arrives, so no row object outlives its line.
    """

    def __init__(self, file: BinaryIO, every: int = PROGRESS_ROWS) -> None:
        self._file, self._every = file, every
        self._lines: list[bytes] = []
        self.written = 0

    def add(self, row: dict) -> bool:
        """Take one row; True when a batch went to the file."""
        self._lines.append(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))
        if len(self._lines) < self._every:
            return False
        self._flush()
        return True

    def take_all(self, rows: Iterable[dict], progress: RowsWritten | None) -> None:
        """``add`` for a whole stream, in one tight loop: the export's hot path."""
        lines, every = self._lines, self._every
        for row in rows:
            lines.append(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))
            if len(lines) >= every:
                self._flush()
                if progress:
                    progress(self.written)

    def close(self) -> None:
        self._flush()

    def abandon(self) -> None:
        """Stop after a failure: the file is about to be thrown away."""

    def _flush(self) -> None:
        self._file.write(b"".join(self._lines))
        self.written += len(self._lines)
        self._lines.clear()


class ParquetSink:
    """Rows as Parquet row groups typed by ``schema``.

    Rows become Arrow record batches a thousand at a time (so Python objects never pile up
    for the garbage collector to rescan), and batches are written as one row group once
    ``row_group_rows`` have gathered.
    """

    def __init__(self, file: BinaryIO, schema: pa.Schema,
                 row_group_rows: int = ROW_GROUP_ROWS) -> None:
        self._writer = pq.ParquetWriter(file, schema, compression="zstd")
        self._schema, self._group = schema, row_group_rows
        self._convert = min(CONVERT_ROWS, row_group_rows)
        self._rows: list[dict] = []
        self._batches: list[pa.RecordBatch] = []
        self._batched = 0
        self.written = 0

    def add(self, row: dict) -> bool:
        """Take one row; True when a row group went to the file."""
        self._rows.append(row)
        if len(self._rows) < self._convert:
            return False
        self._convert_rows()
        if self._batched < self._group:
            return False
        self._write_group()
        return True

    def take_all(self, rows: Iterable[dict], progress: RowsWritten | None) -> None:
        """``add`` for a whole stream, a batch of rows at a time."""
        iterator = iter(rows)
        while batch := list(islice(iterator, self._convert)):
            self._rows = batch
            self._convert_rows()
            if self._batched >= self._group:
                self._write_group()
                if progress:
                    progress(self.written)

    def close(self) -> None:
        self._convert_rows()
        self._write_group()
        self._writer.close()

    def abandon(self) -> None:
        """Stop after a failure: close the writer now, while its file is still open (the file
        is about to be thrown away), rather than when it is collected."""
        self._writer.close()

    def _convert_rows(self) -> None:
        if self._rows:
            self._batches.append(pa.RecordBatch.from_pylist(self._rows, schema=self._schema))
            self._batched += len(self._rows)
            self._rows = []

    def _write_group(self) -> None:
        if self._batches:
            self._writer.write_table(pa.Table.from_batches(self._batches), self._group)
            self.written += self._batched
            self._batches, self._batched = [], 0


Sink = JsonlSink | ParquetSink


@contextmanager
def _abandoned_on_failure(sinks: Iterable[Sink]) -> Iterator[None]:
    try:
        yield
    except BaseException:
        for sink in sinks:
            sink.abandon()
        raise


def _drain(rows: Iterable[dict], sink: Sink, progress: RowsWritten | None) -> int:
    with _abandoned_on_failure([sink]):
        sink.take_all(rows, progress)
    sink.close()
    if progress:
        progress(sink.written)
    return sink.written


def write_jsonl(
    rows: Iterable[dict], file: BinaryIO, progress: RowsWritten | None = None,
    every: int = PROGRESS_ROWS,
) -> int:
    """``rows`` as JSON lines; returns the number of rows written."""
    return _drain(rows, JsonlSink(file, every), progress)


def write_parquet(
    rows: Iterable[dict], file: BinaryIO, schema: pa.Schema, progress: RowsWritten | None = None,
    row_group_rows: int = ROW_GROUP_ROWS,
) -> int:
    """``rows`` as Parquet typed by ``schema``; returns the number of rows written."""
    return _drain(rows, ParquetSink(file, schema, row_group_rows), progress)


def _sink(file: BinaryIO, file_format: str, schema: pa.Schema) -> Sink:
    return ParquetSink(file, schema) if file_format == "parquet" else JsonlSink(file)


def write_rows(
    rows: Iterable[dict], path: Path, file_format: str, schema: pa.Schema,
    progress: RowsWritten | None = None,
) -> int:
    """Write ``rows`` to ``path`` atomically in ``file_format``; returns the rows written."""
    with atomic_output(path) as file:
        return _drain(rows, _sink(file, file_format, schema), progress)


def write_sides(
    rows: Iterable[dict], paths: dict[str, Path], side_of_row: Callable[[dict], str],
    file_format: str, schema: pa.Schema, progress: RowsWritten | None = None,
) -> dict[str, int]:
    """Each row to the file of its side (``paths[side_of_row(row)]``), in one pass over
    ``rows``; every file is replaced only when all are complete. Returns rows per side."""
    with ExitStack() as stack:
        sinks = {side: _sink(stack.enter_context(atomic_output(path)), file_format, schema)
                 for side, path in paths.items()}
        written = 0
        with _abandoned_on_failure(sinks.values()):
            for row in rows:
                written += 1
                if sinks[side_of_row(row)].add(row) and progress:
                    progress(written)
        for sink in sinks.values():
            sink.close()
    if progress:
        progress(written)
    return {side: sink.written for side, sink in sinks.items()}
