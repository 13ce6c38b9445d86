"""An export as it comes down: to a file, as rows, as a pandas DataFrame or a Hugging Face
``datasets.Dataset``.

Nothing is fetched until one of those is asked for, and each asks the server again (an
export is a snapshot of the moment it is read). The body is streamed: ``to_path`` writes
it a chunk at a time, ``rows`` parses JSONL a line at a time, and Parquet, which cannot be
read before its end has arrived, is spooled to a temporary file first. pandas, pyarrow and
datasets are imported only by the methods that need them, so the SDK does not depend on
them.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx

Opener = Callable[[], AbstractContextManager[httpx.Response]]
AsyncOpener = Callable[[], AbstractAsyncContextManager[httpx.Response]]


def _kind(file_name: str) -> str:
    for suffix, kind in ((".parquet", "parquet"), (".jsonl", "jsonl"), (".md", "card"),
                         (".zip", "hf")):
        if file_name.endswith(suffix):
            return kind
    return "jsonl"


def _target(path: str | os.PathLike[str], file_name: str) -> Path:
    """``path``, or the server's file name inside it when ``path`` is a folder."""
    target = Path(path)
    return target / file_name if target.is_dir() else target


def _partial(target: Path) -> Path:
    return target.with_name(f".{target.name}.partial")


def _parquet_rows(path: Path) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq  # only Parquet rows need pyarrow

    for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
        yield from batch.to_pylist()


def _jsonl_rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as file:
        for line in file:
            if line.strip():
                yield json.loads(line)


def _to_pandas(path: Path, kind: str) -> Any:
    import pandas  # optional: only this method needs it

    if kind == "parquet":
        return pandas.read_parquet(path)
    return pandas.DataFrame.from_records(list(_jsonl_rows(path)))


def _unpacked(archive: Path, folder: Path) -> Path:
    """Extract the ZIP of a dataset directory into ``folder`` and return the directory it
    holds. Every entry must stay inside ``folder`` and lie under one top directory: an
    archive that says otherwise is refused before anything is written."""
    folder.mkdir(parents=True, exist_ok=True)
    base = folder.resolve()
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        tops = {name.split("/", 1)[0] for name in names}
        for name in names:
            if not (base / name).resolve().is_relative_to(base):
                raise ValueError(f"{archive.name}: entry {name!r} would land outside {folder}")
        if len(tops) != 1:
            raise ValueError(f"{archive.name} is not one dataset directory (it holds "
                             f"{', '.join(sorted(tops)) or 'nothing'})")
        opened.extractall(base)
    return base / tops.pop()


def _to_datasets(path: Path, kind: str) -> Any:
    import datasets  # optional: only this method needs it

    if kind == "hf":  # a DatasetDict directory, read into memory before its folder goes
        return datasets.load_from_disk(str(_unpacked(path, path.parent / "unpacked")),
                                       keep_in_memory=True)
    cache = str(path.parent / "cache")
    if kind == "parquet":
        return datasets.Dataset.from_parquet(str(path), cache_dir=cache, keep_in_memory=True)
    return datasets.Dataset.from_json(str(path), cache_dir=cache, keep_in_memory=True)


class Download:
    """An export to fetch (``client.exports.download`` or an export job's file)."""

    def __init__(self, open_stream: Opener, file_name: str) -> None:
        self._open, self.file_name = open_stream, file_name
        self.kind = _kind(file_name)
        """``jsonl``, ``parquet``, ``card`` (Markdown) or ``hf`` (a ZIP of a Hugging Face
        ``DatasetDict`` directory, from an export job with ``file_format="hf"``)."""

    def to_path(self, path: str | os.PathLike[str]) -> Path:
        """Write the export to ``path`` (a folder: under the server's file name) and return
        where it went; written beside it first and renamed, so a broken download never
        leaves a file that looks whole."""
        target = _target(path, self.file_name)
        partial = _partial(target)
        try:
            with self._open() as answer, partial.open("wb") as file:
                for chunk in answer.iter_bytes():
                    file.write(chunk)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return target

    def rows(self) -> Iterator[dict[str, Any]]:
        """Each row as a dict, parsed as it arrives (JSONL) or from a spooled file
        (Parquet)."""
        self._need_rows()
        if self.kind == "jsonl":
            with self._open() as answer:
                for line in answer.iter_lines():
                    if line.strip():
                        yield json.loads(line)
            return
        with self._spooled() as path:
            yield from _parquet_rows(path)

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame`` of the rows (pandas must be installed)."""
        self._need_rows()
        with self._spooled() as path:
            return _to_pandas(path, self.kind)

    def to_datasets(self) -> Any:
        """A Hugging Face ``datasets.Dataset`` of the rows, in memory (``datasets`` must be
        installed): what TRL's trainers take. For ``hf``, the ``DatasetDict`` (``train``,
        and ``test`` for a split)."""
        if self.kind == "card":
            self._need_rows()
        with self._spooled() as path:
            return _to_datasets(path, self.kind)

    def unpack(self, folder: str | os.PathLike[str]) -> Path:
        """For ``hf``: download the ZIP, unpack it into ``folder`` and return the dataset
        directory, which ``datasets.load_from_disk`` opens (memory-mapped, so it stays)."""
        self._need_archive()
        with self._spooled() as path:
            return _unpacked(path, Path(folder))

    @contextmanager
    def _spooled(self) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="accord-export-") as folder:
            yield self.to_path(Path(folder) / self.file_name)

    def _need_rows(self) -> None:
        _need_rows(self.kind, self.file_name)

    def _need_archive(self) -> None:
        if self.kind != "hf":
            raise ValueError(f"{self.file_name} is not a dataset directory's ZIP: unpack is "
                             'for export jobs with file_format="hf"')


def _need_rows(kind: str, file_name: str) -> None:
    if kind == "card":
        raise ValueError(f"{file_name} is the data card (Markdown), not rows: use to_path")
    if kind == "hf":
        raise ValueError(f"{file_name} is a Hugging Face dataset directory, zipped: use "
                         "to_datasets(), unpack(folder) or to_path(path)")


class AsyncDownload:
    """``Download`` for asyncio: ``await d.to_path(p)``, ``async for row in d.rows()``."""

    def __init__(self, open_stream: AsyncOpener, file_name: str) -> None:
        self._open, self.file_name = open_stream, file_name
        self.kind = _kind(file_name)

    async def to_path(self, path: str | os.PathLike[str]) -> Path:
        target = _target(path, self.file_name)
        partial = _partial(target)
        try:
            async with self._open() as answer:
                with partial.open("wb") as file:
                    async for chunk in answer.aiter_bytes():
                        file.write(chunk)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return target

    async def rows(self) -> AsyncIterator[dict[str, Any]]:
        self._need_rows()
        if self.kind == "jsonl":
            async with self._open() as answer:
                async for line in answer.aiter_lines():
                    if line.strip():
                        yield json.loads(line)
            return
        with tempfile.TemporaryDirectory(prefix="accord-export-") as folder:
            for row in _parquet_rows(await self.to_path(Path(folder) / self.file_name)):
                yield row

    async def to_pandas(self) -> Any:
        self._need_rows()
        with tempfile.TemporaryDirectory(prefix="accord-export-") as folder:
            return _to_pandas(await self.to_path(Path(folder) / self.file_name), self.kind)

    async def to_datasets(self) -> Any:
        if self.kind == "card":
            self._need_rows()
        with tempfile.TemporaryDirectory(prefix="accord-export-") as folder:
            return _to_datasets(await self.to_path(Path(folder) / self.file_name), self.kind)

    async def unpack(self, folder: str | os.PathLike[str]) -> Path:
        if self.kind != "hf":
            raise ValueError(f"{self.file_name} is not a dataset directory's ZIP: unpack is "
                             'for export jobs with file_format="hf"')
        with tempfile.TemporaryDirectory(prefix="accord-export-") as spool:
            return _unpacked(await self.to_path(Path(spool) / self.file_name), Path(folder))

    def _need_rows(self) -> None:
        _need_rows(self.kind, self.file_name)
