"""The labels a data set brings with it (a TRL row's chosen over rejected, an OpenAssistant
ranking), kept as annotations by one annotator that stands for the source.

That annotator is a user of kind ``imported`` named ``source.NAME`` (``--source NAME``; by
default the format's own name for its data, or the file's name). Its labels take one of the
task's ``overlap`` slots like any annotation: in a project of overlap 1 each imported task is
complete and exports at once; with overlap 3 the label is one vote of three.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson

from accord.core.errors import InvalidInput
from accord.core.importing.items import Item
from accord.core.importing.records import Author, Label
from accord.core.people.users import NAME_PATTERN

KIND = "imported"
SOURCE_PREFIX = "source."


def source_author(name: str) -> Author:
    """The annotator standing for a source: ``source.hh-rlhf`` for ``hh-rlhf``.

    User names allow no ``:``, so the prefix ends with a dot; characters a user name cannot
    hold become ``-``."""
    cleaned = re.sub(r"[^A-Za-z0-9._@-]+", "-", name).strip("-.") or "unnamed"
    user = (SOURCE_PREFIX + cleaned)[:120]
    if not NAME_PATTERN.match(user):
        raise InvalidInput(f'"{name}" cannot name a source (letters, digits, ".", "_", "-")')
    return Author(user, KIND)


def default_source_name(path: Path, format_default: str | None) -> str:
    """The format's name for its data (``oasst``) where it has one, else the file's name
    without its extensions."""
    return format_default or path.name.split(".")[0]


def source_label(author: Author, ranking: list[list[str]], item: Item) -> Label:
    """``item``'s own label as ``author``'s annotation: no preference, no time spent, seen in
    the task's order, with a rationale that says where it came from."""
    rationale = orjson.dumps({"source": author.name.removeprefix(SOURCE_PREFIX),
                              "label": "imported with the data"}).decode()
    return Label(author, ranking, None, 0, rationale,
                 tuple(response.id for response in item.responses))
