"""Where items come from: a JSONL file or a JSON array (plain or gzip), or Python dicts,
read once per pass.

Every kind gives the importer the same thing, numbered entries holding a parsed value or the
reason it could not be read, so the adapters, the checks and the writes do not care which it
was. A JSONL file is streamed line by line; a JSON array (AlpacaEval's files: one record per
instruction, about 4 MB for 805) is read whole on each pass, its entries numbered from 0.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import orjson

from accord.core.errors import InvalidInput
from accord.core.importing.fields import InvalidItem, json_type
from accord.core.importing.lines import DEFAULT_MAX_LINE_BYTES, GZIP_MAGIC, LineReader, decode

MAX_SOURCE_LENGTH = 255  # prompts.source


@dataclass(frozen=True, slots=True)
class Entry:
    """One line or item: its number and either its parsed object or why it has none."""

    number: int
    value: Any
    error: str | None = None


class Pass(Protocol):
    """One reading of the source; ``position`` out of ``total`` measures progress."""

    total: int

    @property
    def position(self) -> int: ...

    def __iter__(self) -> Iterator[Entry]: ...


class Source(Protocol):
    @property
    def unit(self) -> str:
        """What an entry is called in messages: ``line``, ``record`` or ``item``."""
        ...

    @property
    def name(self) -> str:
        """Kept as each prompt's ``source``."""
        ...

    @property
    def progress_in(self) -> str:
        """What a pass's ``position`` counts: ``bytes``, ``records`` or ``items``."""
        ...

    def open(self) -> AbstractContextManager[Pass]: ...


class _FilePass:
    def __init__(self, reader: LineReader) -> None:
        self.reader = reader
        self.total = reader.size

    @property
    def position(self) -> int:
        return self.reader.position

    def __iter__(self) -> Iterator[Entry]:
        for line in self.reader:
            if line.error is not None:
                yield Entry(line.number, None, line.error)
                continue
            data = line.data
            if not data or data.isspace():
                continue  # blank lines separate nothing and mean nothing
            try:
                yield Entry(line.number, decode(data))
            except InvalidItem as error:
                yield Entry(line.number, None, str(error))


@dataclass(frozen=True)
class FileSource:
    """A JSONL file, read line by line with ``max_line_bytes`` as the limit of one line."""

    path: Path
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    unit: str = "line"
    progress_in: str = "bytes"

    @property
    def name(self) -> str:
        return self.path.name[:MAX_SOURCE_LENGTH]

    @contextmanager
    def open(self) -> Iterator[_FilePass]:
        try:
            reader = LineReader(self.path, self.max_line_bytes)
        except OSError as error:
            raise InvalidInput(f'cannot read "{self.path}": {error.strerror or error}') from None
        with reader:
            yield _FilePass(reader)


class _ItemPass:
    def __init__(self, items: Iterable[Mapping], total: int) -> None:
        self.items = items
        self.total = total
        self._position = 0

    @property
    def position(self) -> int:
        return self._position

    def __iter__(self) -> Iterator[Entry]:
        for number, item in enumerate(self.items, start=1):
            self._position = number
            yield entry_of(number, item)


def entry_of(number: int, item: object) -> Entry:
    """Round-trip through JSON, so a dict (a Python item, a Parquet row) is checked exactly
    as the same line in a file is."""
    try:
        data = orjson.dumps(item)
    except TypeError as error:
        return Entry(number, None, f"cannot be written as JSON: {error}")
    try:
        return Entry(number, decode(data))
    except InvalidItem as error:
        return Entry(number, None, str(error))


@dataclass(frozen=True)
class ItemSource:
    """Python dicts; a callable giving a fresh iterable each time lets a generator be used."""

    items: Iterable[Mapping] | Callable[[], Iterable[Mapping]]
    name: str = "python"
    unit: str = "item"
    progress_in: str = "items"

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.name[:MAX_SOURCE_LENGTH])
        if not callable(self.items) and iter(self.items) is self.items:
            raise TypeError(
                "items can be read only once (an iterator), but an import reads them twice: "
                "pass a list, or a function that returns a fresh iterator"
            )

    def _iterable(self) -> Iterable[Mapping]:
        return self.items() if callable(self.items) else self.items

    @contextmanager
    def open(self) -> Iterator[_ItemPass]:
        items = self._iterable()
        total = len(items) if isinstance(items, Sized) else 0
        yield _ItemPass(items, total)


class _ArrayPass:
    def __init__(self, values: list) -> None:
        self.values = values
        self.total = len(values)
        self._position = 0

    @property
    def position(self) -> int:
        return self._position

    def __iter__(self) -> Iterator[Entry]:
        for index, value in enumerate(self.values):
            self._position = index + 1
            yield Entry(index, value)


@dataclass(frozen=True)
class ArraySource:
    """A file holding one JSON array, its elements numbered from 0. Python's ``json`` reads
    it, since AlpacaEval writes ``NaN`` where a judge gave no preference (orjson would not).
    ``max_line_bytes`` means nothing to it: the array is read whole."""

    path: Path
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    unit: str = "record"
    progress_in: str = "records"

    @property
    def name(self) -> str:
        return self.path.name[:MAX_SOURCE_LENGTH]

    @contextmanager
    def open(self) -> Iterator[_ArrayPass]:
        yield _ArrayPass(read_array(self.path))


def read_array(path: Path) -> list:
    """The file's JSON array (gzip accepted); ``InvalidInput`` when it is not one."""
    try:
        data = path.read_bytes()
        if data[:2] == GZIP_MAGIC:
            data = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise InvalidInput(f'cannot read "{path}": {error}') from None
    try:
        value = json.loads(data)
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path.name} is not UTF-8 text (byte {error.start + 1})") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"{path.name} is not valid JSON: {error.msg} (line {error.lineno}, "
            f"column {error.colno})"
        ) from None
    if type(value) is not list:
        raise InvalidInput(
            f"{path.name} must hold a JSON array of records, not {json_type(value)}"
        )
    if not value:
        raise InvalidInput(f"there is nothing to import: {path.name} holds no records")
    return value
