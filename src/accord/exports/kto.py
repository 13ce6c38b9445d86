"""The KTO export: unpaired ``prompt``, ``completion``, ``label`` rows, as ``trl.KTOTrainer``
reads them.

Built from the preference rows (same filters, same consensus), one row per distinct
completion per task: ``label`` is true for a completion that wins more of its task's exported
pairs than it loses (a pair's chosen), false for one that loses more (a pair's rejected); a
completion that wins as often as it loses (the middle of a K-way ranking exported with all
pairs) says nothing either way and is left out. Rows follow task order; within a task, the
desirable completions come first. Preference rows arrive in task order, so only one task's
rows are held at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter

import orjson
import pyarrow as pa
from sqlalchemy import Connection

from accord.core.exporting.streams import ExportCounts
from accord.core.projects.project import Project
from accord.exports.messages import MESSAGES
from accord.exports.options import ExportOptions
from accord.exports.preference import preference_rows

KTO_SCHEMA = pa.schema([
    ("prompt", MESSAGES),
    ("completion", MESSAGES),
    ("label", pa.bool_()),
    ("task_id", pa.string()),
    ("category", pa.string()),
    ("category_label", pa.string()),
    ("source", pa.string()),
])


def kto_rows(conn: Connection, project: Project, counts: ExportCounts | None = None,
             options: ExportOptions | None = None) -> Iterator[dict]:
    """The project's KTO rows, streamed; fields as in the module doc."""
    yield from kto_from_pairs(preference_rows(conn, project, counts, options))


def kto_from_pairs(pairs: Iterable[dict]) -> Iterator[dict]:
    """KTO rows from preference rows that come grouped by task (the one rule Accord uses,
    for the export and for ``accord train kto`` alike)."""
    for _, task_rows in groupby(pairs, key=itemgetter("task_id")):
        yield from _task_rows(list(task_rows))


def _task_rows(rows: list[dict]) -> Iterator[dict]:
    net: dict[bytes, int] = {}
    completions: dict[bytes, list[dict]] = {}
    for row in rows:
        for side, sign in (("chosen", 1), ("rejected", -1)):
            key = orjson.dumps(row[side])
            net[key] = net.get(key, 0) + sign
            completions.setdefault(key, row[side])
    first = rows[0]
    for key in sorted(net, key=lambda k: -net[k]):
        if net[key] == 0:
            continue
        yield {
            "prompt": first["prompt"], "completion": completions[key], "label": net[key] > 0,
            "task_id": first["task_id"], "category": first["category"],
            "category_label": first.get("category_label", first["category"]),
            "source": first.get("source"),
        }
