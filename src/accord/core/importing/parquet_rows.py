"""Parquet files as an import source: the same items as JSONL lines, one a row.

Hugging Face publishes most preference sets as Parquet, and data teams keep their own there
too, so an import accepts a Parquet file wherever it accepts a JSONL one (``--format jsonl``
or ``oasst``), recognised by its magic number as gzip is. Rows are read a record batch at a
time, never the whole file, and each row goes through JSON exactly as a line of a file
would, so the adapters and checks see the same values and report the same reasons. A
Parquet column holds a null where a JSON line leaves its field out, so a row's null
top-level fields are left out too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from accord.core.errors import InvalidInput
from accord.core.importing.lines import DEFAULT_MAX_LINE_BYTES
from accord.core.importing.sources import (
    MAX_SOURCE_LENGTH,
    ArraySource,
    Entry,
    FileSource,
    entry_of,
)

PARQUET_MAGIC = b"PAR1"
BATCH_ROWS = 1000


def is_parquet(path: Path) -> bool:
    """Whether ``path`` starts as a Parquet file does."""
    try:
        with open(path, "rb") as file:
            return file.read(4) == PARQUET_MAGIC
    except OSError:
        return False


class _RowPass:
    def __init__(self, parquet: pq.ParquetFile) -> None:
        self.parquet = parquet
        self.total = parquet.metadata.num_rows
        self._position = 0

    @property
    def position(self) -> int:
        return self._position

    def __iter__(self) -> Iterator[Entry]:
        number = 0
        try:
            for batch in self.parquet.iter_batches(batch_size=BATCH_ROWS):
                for row in batch.to_pylist():
                    number += 1
                    self._position = number
                    # a column a row leaves empty is a field the line would not have
                    yield entry_of(number, {key: value for key, value in row.items()
                                            if value is not None})
        except (OSError, pa.ArrowException) as error:
            yield Entry(number + 1, None, f"the file cannot be read here: {error}")


@dataclass(frozen=True)
class ParquetSource:
    """A Parquet file, its rows numbered from 1."""

    path: Path
    unit: str = "row"
    progress_in: str = "rows"

    @property
    def name(self) -> str:
        return self.path.name[:MAX_SOURCE_LENGTH]

    @contextmanager
    def open(self) -> Iterator[_RowPass]:
        try:
            parquet = pq.ParquetFile(self.path)
        except (OSError, pa.ArrowException) as error:
            raise InvalidInput(f"{self.path.name} is not a readable Parquet file: "
                               f"{error}") from None
        with parquet:
            yield _RowPass(parquet)


def open_source(read: type[FileSource] | type[ArraySource], path: Path,
                max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
                ) -> FileSource | ArraySource | ParquetSource:
    """The source a format reads ``path`` with: its own, or Parquet rows for a format read
    line by line when the file is Parquet."""
    if read is FileSource and is_parquet(path):
        return ParquetSource(path)
    return read(path, max_line_bytes)
