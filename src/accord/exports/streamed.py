"""An export as a stream of bytes, for a web response: the same rows, encoded the same
way, as ``accord export`` writes to a file.

JSONL goes out a few hundred kilobytes at a time, each row encoded as soon as it is read.
Parquet is written by the same sink as a file export, into a buffer that is handed on
after every row group, so memory holds one row group, never the whole export; the file's
footer comes last, as in a file. The data card is one Markdown text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Engine

from accord.collector import cycle_collector_paused
from accord.core.exporting.streams import ExportCounts, snapshot
from accord.core.projects.project import Project
from accord.exports.card import data_card
from accord.exports.options import ExportOptions
from accord.exports.writers import ParquetSink

CHUNK_BYTES = 256 * 1024
MEDIA_TYPES = {
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
    "card": "text/markdown; charset=utf-8",
}


class _Outbox:
    """A write-only file that keeps what is written until it is taken."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._written = 0
        self.closed = False

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._parts.append(chunk)
        self._written += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._written

    def flush(self) -> None:
        """Nothing to flush: the bytes wait for ``take``."""

    def close(self) -> None:
        self.closed = True

    def writable(self) -> bool:
        return True

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def jsonl_chunks(rows: Iterator[dict]) -> Iterator[bytes]:
    """Rows as JSON lines (``orjson``, as the file export writes them), in chunks."""
    lines: list[bytes] = []
    size = 0
    for row in rows:
        line = orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE)
        lines.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield b"".join(lines)
            lines.clear()
            size = 0
    if lines:
        yield b"".join(lines)


def parquet_chunks(rows: Iterator[dict], schema) -> Iterator[bytes]:
    """Rows as a Parquet file typed by ``schema``, handed on a row group at a time."""
    outbox = _Outbox()
    sink = ParquetSink(outbox, schema)  # type: ignore[arg-type]  # a file-like object
    try:
        for row in rows:
            if sink.add(row):
                yield outbox.take()
    except BaseException:
        sink.abandon()
        raise
    sink.close()
    yield outbox.take()


def export_chunks(engine: Engine, project: Project, fmt: str, file_format: str,
                  options: ExportOptions, now: datetime) -> Iterator[bytes]:
    """The bytes of ``project``'s ``fmt`` export (``card``: its data card at ``now``), read
    from one snapshot of the database."""
    from accord.exports import export_format

    counts = ExportCounts()
    with cycle_collector_paused(), snapshot(engine) as conn:
        if fmt == "card":
            yield data_card(conn, project, options, now, counts).encode()
            return
        spec = export_format(fmt)
        rows = spec.rows(conn, project, counts, options)
        if file_format == "parquet":
            yield from parquet_chunks(rows, spec.schema)
        else:
            yield from jsonl_chunks(rows)
