"""Reading an import file line by line in bounded memory, and decoding one line's JSON.

The file is never held whole: each line is read with a size limit, so a 10 MB line (or a
file with no newline at all) costs at most ``max_line_bytes`` of memory, and what lies past
the limit is skipped in small chunks. Gzip files are recognised by their magic number and
read through ``gzip`` transparently.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import orjson

from accord.core.importing.fields import InvalidItem, json_type, no_nul

DEFAULT_MAX_LINE_BYTES = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
BOM = b"\xef\xbb\xbf"
DRAIN_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the file, without its line ending; ``error`` when it could not be read."""

    number: int
    data: bytes
    error: str | None = None


class LineReader:
    """Iterates over a file's lines; ``position`` tells how far into the file it has read."""

    def __init__(self, path: Path, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES) -> None:
        if max_line_bytes < 1:
            raise ValueError(f"the maximum line size must be positive, not {max_line_bytes}")
        self.path = path
        self.max_line_bytes = max_line_bytes
        self.size = os.path.getsize(path)
        self._raw: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed by close()
        compressed = self._raw.read(2) == GZIP_MAGIC
        self._raw.seek(0)
        self._stream: io.BufferedIOBase = (
            gzip.GzipFile(fileobj=self._raw) if compressed else self._raw
        )

    @property
    def position(self) -> int:
        """Bytes of the file (compressed, for gzip) consumed so far: the progress measure."""
        return self._raw.tell()

    def close(self) -> None:
        if self._stream is not self._raw:
            self._stream.close()
        self._raw.close()

    def __enter__(self) -> LineReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Line]:
        number = 0
        limit = self.max_line_bytes + 1
        readline = self._stream.readline
        while True:
            number += 1
            try:
                data = readline(limit)
            except (OSError, EOFError, zlib.error) as error:
                yield Line(number, b"", f"the file cannot be read here: {_describe(error)}")
                return
            if not data:
                return
            if data[-1:] == b"\n":
                yield Line(number, data[:-1])
            elif len(data) < limit:
                yield Line(number, data)  # the last line, without a newline
            else:
                yield self._overlong(number, len(data))

    def _overlong(self, number: int, read: int) -> Line:
        """Skip the rest of a line past the limit, a chunk at a time, and say how long it was."""
        total = read
        try:
            while True:
                chunk = self._stream.readline(DRAIN_CHUNK)
                total += len(chunk)
                if not chunk or chunk[-1:] == b"\n":
                    break
        except (OSError, EOFError, zlib.error) as error:
            return Line(number, b"", f"the file cannot be read here: {_describe(error)}")
        length = total - (1 if chunk[-1:] == b"\n" else 0)
        return Line(
            number, b"",
            f"is {length:,} bytes long, over the maximum of {self.max_line_bytes:,} "
            "(raise it with --max-line-bytes)",
        )


def _describe(error: BaseException) -> str:
    if isinstance(error, EOFError):
        return "the compressed file ends early (it is truncated)"
    return str(error) or type(error).__name__


def decode(data: bytes) -> dict:
    """The JSON object on one line, or ``InvalidItem`` saying precisely what is wrong."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise InvalidItem(_json_problem(data, error)) from None
    if type(value) is not dict:
        raise InvalidItem(f"must be a JSON object, not {json_type(value)}")
    if b"\\u0000" in data:
        no_nul(value, "")
    return value


def _json_problem(data: bytes, error: orjson.JSONDecodeError) -> str:
    """Name the commonest causes in the user's words before falling back on the parser's."""
    if data.startswith(BOM):
        return "starts with a UTF-8 byte-order mark (BOM); save the file as UTF-8 without BOM"
    nul = data.find(b"\x00")
    if nul >= 0:
        return f"contains a NUL byte at byte {nul + 1}; the file is binary or corrupt"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"is not valid UTF-8 (byte 0x{data[bad.start]:02x} at byte {bad.start + 1})"
    if error.msg == "depth limit exceeded":
        return "is not valid JSON: nested too deeply (more than 1024 levels)"
    for word in (b"NaN", b"Infinity"):
        if word in data and error.msg.startswith("unexpected character"):
            return f"is not valid JSON: {word.decode()} is not a JSON number (column {error.colno})"
    return f"is not valid JSON: {error.msg} (column {error.colno})"
