"""What the annotation tools' formats share: their annotators as Accord users, rankings read
from ranks, ratings checked against the project's scales.

A tool's annotator becomes a user of kind ``imported`` named ``<tool>.<the tool's id>``
(``label-studio.4``, ``argilla.6b1c…``): one user per person of the tool, so agreement and
reliability are measured per person, and never a login (``label_writes`` withdraws the token).
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from accord.core.importing import fields as check
from accord.core.importing.fields import InvalidItem
from accord.core.importing.items import ItemRules
from accord.core.importing.records import Author
from accord.core.people.users import NAME_PATTERN


def annotator(tool: str, tool_id: Any, path: str) -> Author:
    """The Accord user standing for the tool's annotator ``tool_id`` (a number or a name)."""
    if type(tool_id) is bool or not isinstance(tool_id, int | str) or tool_id == "":
        raise check.wrong_type(path, "a user id (a number or a name)", tool_id)
    name = f"{tool}.{tool_id}"
    if not NAME_PATTERN.match(name):
        raise InvalidItem(f'{path} "{str(tool_id)[:60]}" cannot name a user: letters, digits '
                          "and . _ @ - only, at most 120 characters")
    return Author(name, "imported")


def groups_by_rank(ranks: dict[str, int], rules: ItemRules,
                   where: str) -> list[list[str]]:
    """Tie groups, best first, from each response's rank (1 best; equal ranks tie); refuses a
    tie where the project allows none."""
    ordered = sorted(ranks, key=lambda rid: (ranks[rid], rid))
    ranking = [list(group) for _, group in groupby(ordered, key=ranks.__getitem__)]
    if len(ranking) < len(ordered) and not rules.allow_ties:
        raise InvalidItem(f"{where} ranks two responses equal, but project {rules.project} "
                          "allows no ties")
    return ranking


def check_rating(rules: ItemRules, dimension: str, value: Any, where: str) -> int:
    """A rating on one of the project's dimensions, within its scale."""
    scales = {name: (low, high) for name, low, high in rules.dimensions}
    if dimension not in scales:
        known = ", ".join(scales) or "none"
        raise InvalidItem(f'{where} rates "{dimension[:60]}", which is not a dimension of '
                          f"project {rules.project} (it has: {known})")
    if type(value) is not int:
        raise check.wrong_type(f"{where} value", "an integer", value)
    low, high = scales[dimension]
    if not low <= value <= high:
        raise InvalidItem(f"{where} gives {value}, outside {dimension}'s scale {low}..{high}")
    return value


def check_shape(rules: ItemRules, count: int, where: str) -> None:
    """A pairwise project takes exactly two responses."""
    if rules.pairwise and count != 2:
        raise InvalidItem(f"{where} has {count} responses; project {rules.project} is pairwise "
                          "and takes exactly 2 (create it with --ranking kway to rank more)")
    if count > rules.max_responses:
        raise InvalidItem(f"{where} has {count} responses; a task holds at most "
                          f"{rules.max_responses}")
