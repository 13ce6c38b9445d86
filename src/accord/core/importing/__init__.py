"""Importing items into a project, with the labels that come with them, from a file in any
registered format (``formats``: Accord's JSONL and TRL preference rows, OpenAssistant trees,
AlpacaEval annotations; plain or gzip) or from Python dicts.

One pipeline (``pipeline``) serves every format: the source's entries (``sources``) are
turned into item records by the format's adapter (``formats/``), the whole source is checked
(``check``: repeats, the project's items, the labels' authors and slots), then written in
batches (``store``, ``label_writes``), and one ``ImportReport`` says what happened.

    report = import_file(engine, "prefs", Path("items.jsonl"))
    report.summary()  # "120 new, 30 unchanged"

May import: ``db``, ``core.people``, ``core.projects``, ``core.tasks``.
"""

from __future__ import annotations

from accord.core.importing.check import SourceRead
from accord.core.importing.formats import FORMATS, ImportFormat, import_format
from accord.core.importing.items import Item
from accord.core.importing.lines import DEFAULT_MAX_LINE_BYTES
from accord.core.importing.pipeline import import_file, import_items
from accord.core.importing.report import ImportReport

__all__ = [
    "DEFAULT_MAX_LINE_BYTES",
    "FORMATS",
    "ImportFormat",
    "ImportReport",
    "Item",
    "SourceRead",
    "import_file",
    "import_format",
    "import_items",
]
