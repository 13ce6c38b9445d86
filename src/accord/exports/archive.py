"""A directory export (a Hugging Face ``DatasetDict`` saved with ``save_to_disk``) as one
ZIP file, so that it travels over HTTP as a single download.

The archive holds the directory itself under its own name, so unpacking it anywhere gives
one folder that ``datasets.load_from_disk`` opens. It is written beside its target and
renamed into place once complete, like every export file: a failed archive leaves nothing
that looks whole. Arrow files compress well, at the cheapest level of deflate.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from accord.exports.writers import atomic_output

COMPRESS_LEVEL = 1
"""Deflate's fastest level: most of the gain on Arrow columns, a fraction of the time."""


def zip_directory(folder: Path, target: Path) -> int:
    """Write ``folder`` (with everything under it) to the ZIP file ``target``, entries named
    ``<folder name>/…``; returns the archive's size in bytes."""
    with atomic_output(target) as file, zipfile.ZipFile(
            file, "w", compression=zipfile.ZIP_DEFLATED,
            compresslevel=COMPRESS_LEVEL) as archive:
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = Path(root) / name
                archive.write(path, path.relative_to(folder.parent).as_posix())
    return target.stat().st_size
