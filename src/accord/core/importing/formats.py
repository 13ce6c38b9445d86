"""Which format a parsed line is in, and the ``Item`` it stands for."""

from __future__ import annotations

from accord.core.importing.items import Item, ItemRules, validate_item
from accord.core.importing.trl import is_trl_row, trl_item


def to_item(raw: dict, rules: ItemRules) -> Item:
    """A TRL preference row or one of Accord's own items; ``InvalidItem`` says what is wrong."""
    if is_trl_row(raw):
        return trl_item(raw, rules)
    return validate_item(raw, rules)
