"""An uploaded file streamed to disk as it arrives, never held in memory: the raw request
body, or the file part of a ``multipart/form-data`` body, with a size limit.

The file is kept in a folder of its own under the upload folder, under the name it was sent
with (its base name only), because an import keeps that name as each prompt's ``source``
as ``accord import`` does. Past the limit the upload is refused with 413 and what was
written is removed; so is everything when the client goes away half-way.
"""

from __future__ import annotations

import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from fastapi import Request
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.exceptions import HTTPException

from accord.core.errors import InvalidInput

DEFAULT_NAME = "upload.jsonl"
MAX_NAME = 200
_UNSAFE = re.compile(r"[\x00-\x1f/\\]")


@dataclass(frozen=True)
class Upload:
    path: Path
    size: int


def safe_name(name: str | None) -> str:
    """The base name of a client's file name, or the default when it has none."""
    if not name:
        return DEFAULT_NAME
    base = _UNSAFE.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if base in ("", ".", ".."):
        return DEFAULT_NAME
    return base[-MAX_NAME:]


def too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"the upload is larger than this server takes "
                              f"({limit:,} bytes, ACCORD_UPLOAD_MAX_BYTES)")


class _Target:
    """The file being written, counting bytes against the limit."""

    def __init__(self, folder: Path, limit: int) -> None:
        self.folder, self.limit = folder, limit
        self.file: BinaryIO | None = None
        self.path: Path | None = None
        self.size = 0

    def open(self, name: str) -> None:
        if self.file is None:
            self.path = self.folder / safe_name(name)
            self.file = open(self.path, "xb")  # noqa: SIM115 - closed by close()

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise too_large(self.limit)
        assert self.file is not None
        self.file.write(data)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


class _Multipart:
    """Feeds a multipart body to ``python-multipart`` and writes the first part that
    carries a file (``filename=``) to the target; other parts are ignored."""

    def __init__(self, boundary: bytes, target: _Target) -> None:
        self.target = target
        self.header_field = b""
        self.header_value = b""
        self.disposition = b""
        self.writing = False
        self.done = False
        self.parser = MultipartParser(boundary, {
            "on_part_begin": self._begin, "on_header_field": self._field,
            "on_header_value": self._value, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done, "on_part_data": self._data,
            "on_part_end": self._end,
        })

    def _begin(self) -> None:
        self.disposition = b""

    def _field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def _value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def _header_end(self) -> None:
        if self.header_field.lower() == b"content-disposition":
            self.disposition = self.header_value
        self.header_field = self.header_value = b""

    def _headers_done(self) -> None:
        _, options = parse_options_header(self.disposition)
        name = options.get(b"filename")
        if name is not None and not self.done:
            self.target.open(name.decode("utf-8", "replace"))
            self.writing = True

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self.writing:
            self.target.write(data[start:end])

    def _end(self) -> None:
        if self.writing:
            self.writing, self.done = False, True

    def feed(self, chunk: bytes) -> None:
        self.parser.write(chunk)


async def receive_upload(request: Request, folder: Path, limit: int,
                         file_name: str | None) -> Upload:
    """Stream the request's file into a new folder under ``folder``; 413 past ``limit``
    bytes (of the file), 422 for an empty upload or a form without a file."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise too_large(limit)  # refused before a byte is read (a form adds its headers)
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    own = folder / f"upload-{secrets.token_hex(8)}"
    own.mkdir(parents=True)
    target = _Target(own, limit)
    try:
        if content_type == b"multipart/form-data":
            boundary = options.get(b"boundary")
            if not boundary:
                raise InvalidInput("the multipart body names no boundary")
            form = _Multipart(boundary, target)
            async for chunk in request.stream():
                form.feed(chunk)
            if not form.done:
                raise InvalidInput("the form has no file part (send the file as a part "
                                   'with a filename, e.g. curl -F "file=@items.jsonl")')
        else:
            target.open(file_name or DEFAULT_NAME)
            async for chunk in request.stream():
                if chunk:
                    target.write(chunk)
        target.close()
        if target.size == 0 or target.path is None:
            raise InvalidInput("the upload is empty: send the file as the request body or as "
                               "a multipart form's file part")
        return Upload(target.path, target.size)
    except BaseException:
        target.close()
        shutil.rmtree(own, ignore_errors=True)
        raise
