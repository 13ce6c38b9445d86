"""What ``client.imports.upload`` sends: a file on disk as it is, and rows or a pandas
DataFrame written to a temporary file first.

Every source ends up as a file, streamed from disk a chunk at a time, so an upload of any
size never sits in memory, and a retried upload sends the same bytes again (a generator of
rows could not be read twice). Rows become JSONL; a DataFrame becomes Parquet when pyarrow
is installed (its types kept) and JSONL otherwise. pandas is never imported: a DataFrame is
recognised by its type's module.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from accord.client.calls import FileBody

MEDIA_TYPES = {".parquet": "application/vnd.apache.parquet", ".gz": "application/gzip",
               ".jsonl": "application/x-ndjson", ".json": "application/json"}


def is_dataframe(source: object) -> bool:
    return type(source).__module__.split(".")[0] == "pandas" and hasattr(source, "to_parquet")


@contextmanager
def upload_body(source: Any) -> Iterator[tuple[FileBody, str]]:
    """The body to send for ``source`` and the file name the server keeps as the items'
    source; a temporary file is removed on leaving."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"{path} is not a file: pass a JSONL, JSONL.gz or "
                                    "Parquet file, rows (dicts) or a pandas DataFrame")
        yield FileBody(path, MEDIA_TYPES.get(path.suffix, "application/octet-stream")), \
            path.name
        return
    if isinstance(source, bytes | bytearray | Mapping) or not (
            is_dataframe(source) or isinstance(source, Iterable)):
        raise TypeError(f"upload() takes a path, an iterable of dicts or a pandas "
                        f"DataFrame, not {type(source).__name__}")
    with tempfile.TemporaryDirectory(prefix="accord-upload-") as folder:
        if is_dataframe(source):
            path = _write_dataframe(source, Path(folder))
            name = "dataframe" + path.suffix
        else:
            path = _write_rows(source, Path(folder) / "rows.jsonl")
            name = "rows.jsonl"
        yield FileBody(path, MEDIA_TYPES[path.suffix]), name


def _write_rows(rows: Iterable[Any], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as file:
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, Mapping):
                raise TypeError(f"row {number} of the rows to upload is a "
                                f"{type(row).__name__}, not a dict")
            try:
                file.write(json.dumps(row, ensure_ascii=False) + "\n")
            except (TypeError, ValueError) as error:
                raise ValueError(f"row {number} of the rows to upload cannot be written as "
                                 f"JSON: {error}") from error
    return path


def _write_dataframe(frame: Any, folder: Path) -> Path:
    if find_spec("pyarrow") is not None:
        path = folder / "dataframe.parquet"
        frame.to_parquet(path, index=False)
        return path
    path = folder / "dataframe.jsonl"
    frame.to_json(path, orient="records", lines=True, force_ascii=False)
    return path
