"""The ``jsonl`` format: one item a line, in Accord's own format or as a TRL preference row.

Without labels, each line becomes one item: a TRL row's label goes only into the task's
metadata (``trl``). With ``--labelled``, every line must be a TRL row, and its label, chosen
over rejected, is kept as an annotation by the source's annotator (``source_labels``).
"""

from __future__ import annotations

from typing import Any

from accord.core.importing.fields import InvalidItem
from accord.core.importing.formats.trl import is_trl_row, trl_item, trl_label
from accord.core.importing.items import Item, ItemRules, validate_item
from accord.core.importing.records import AdaptContext, ImportRecord


def to_item(raw: dict, rules: ItemRules) -> Item:
    """A TRL preference row or one of Accord's own items; ``InvalidItem`` says what is wrong."""
    if is_trl_row(raw):
        return trl_item(raw, rules)
    return validate_item(raw, rules)


def adapt(number: int, value: Any, context: AdaptContext) -> tuple[ImportRecord]:
    """The line's item, with its TRL label when the import keeps labels."""
    if context.labeller is None:
        return (ImportRecord(number, to_item(value, context.rules)),)
    if not is_trl_row(value):
        raise InvalidItem("a labelled line must be a TRL preference row (chosen and rejected)")
    item = trl_item(value, context.rules)
    return (ImportRecord(number, item, (trl_label(item, context.labeller),)),)
