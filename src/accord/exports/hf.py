"""Exports as a Hugging Face ``DatasetDict`` saved with ``save_to_disk``, ready for
``load_from_disk`` and, by the user, ``push_to_hub``.

Rows are streamed to one Parquet file per split in a scratch directory beside the target
(never all in memory), ``datasets`` reads each into Arrow (memory-mapped), and the saved
dictionary replaces the target only once complete. Splits are ``train`` and ``test`` when the
export is split by prompt, else ``train`` alone.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pyarrow as pa

from accord.core.errors import InvalidInput
from accord.exports.hygiene import SPLITS
from accord.exports.writers import write_sides

SHARD_ROWS = 1_000_000


def save_dataset_dict(rows: Iterable[dict], out: Path, schema: pa.Schema,
                      side_of_row: Callable[[dict], str] | None = None) -> dict[str, dict]:
    """Write ``rows`` as a ``DatasetDict`` in ``out``: split ``train`` alone, or ``train`` and
    ``test`` by ``side_of_row``, in one pass over the rows.

    Returns ``{split: {"path", "rows"}}``.
    """
    import datasets  # imported here: loading it costs a second that other exports need not pay

    datasets.disable_progress_bars()  # the CLI keeps stderr for warnings and its own progress

    if not out.parent.is_dir():
        raise InvalidInput(f'cannot write "{out}": directory "{out.parent}" does not exist')
    if out.exists() and not out.is_dir():
        raise InvalidInput(f'cannot write a dataset to "{out}": it is a file')
    scratch = out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")
    scratch.mkdir()
    try:
        names = SPLITS if side_of_row is not None else ("train",)
        paths = {name: scratch / f"{name}.parquet" for name in names}
        counted = write_sides(rows, paths, side_of_row or (lambda row: "train"), "parquet",
                              schema)
        # An empty split has no data for from_parquet to read: it is built from the schema.
        splits = {
            name: datasets.Dataset.from_parquet(str(paths[name]),
                                                cache_dir=str(scratch / "cache"))
            if counted[name] else datasets.Dataset.from_dict(
                {column: [] for column in schema.names},
                features=datasets.Features.from_arrow_schema(schema))
            for name in names}
        written = {name: {"path": str(out), "rows": counted[name]} for name in names}
        saved = scratch / "dataset"
        # One shard at least per split: an empty split saved with datasets' default (no shard)
        # fails to load again. (DatasetDict is a dict keyed by str or NamedSplit: given our
        # str-keyed dict as pairs, the checker need not widen its keys.)
        datasets.DatasetDict(splits.items()).save_to_disk(
            str(saved), num_shards={name: max(1, len(ds) // SHARD_ROWS) for name, ds
                                    in splits.items()})
        if out.exists():
            shutil.rmtree(out)
        os.replace(saved, out)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return written
