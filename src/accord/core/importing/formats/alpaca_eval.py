"""The ``alpaca-eval`` format: AlpacaEval annotation files, each record a comparison task and
its AI judge's verdict.

AlpacaEval (``alpaca_eval``'s ``*_annotations.json``, a JSON array read by ``sources``)
stores, per instruction, the reference output (``output_1`` by ``generator_1``), the evaluated
model's output (``output_2`` by ``generator_2``), the judge's name (``annotator``) and its
``preference`` in ``[1, 2]``: 2 means ``output_2`` is better, 1.5 a draw, and a weighted judge
gives the probability-weighted value in between. The mapping onto Accord's words:

- task id: ``alpaca-eval-`` and a hash of (instruction, generator_1, generator_2), so that the
  same record always lands on the same task and each evaluated model gets tasks of its own;
- responses ``a`` (``output_1``) and ``b`` (``output_2``), shown to the judge in that order;
- the label's author: a user of kind ``ai`` named after the record's ``annotator``;
- ranking: ``[["b"], ["a"]]`` when preference > 1.5, ``[["a"], ["b"]]`` when < 1.5, the tie
  ``[["a", "b"]]`` at exactly 1.5 (or 0, AlpacaEval 1's draw, as ``accord.quality.winrate``
  reads it) — refused where the project allows no ties;
- ``annotations.preference``: the probability of the top-ranked response, ``p - 1`` or
  ``2 - p`` (0.5 for a tie), so ``1 + P(b wins)`` gives ``p`` back;
- ``active_ms``: ``time_per_example`` in milliseconds;
- ``rationale``: a JSON object ``{"source": "alpaca_eval", "annotator", "price_per_example",
  "time_per_example", "raw_completion", "raw_completion_truncated"}`` whose
  ``raw_completion`` is the judge's raw completion as JSON text, cut to its first 10 kB.

A missing, null, empty or NaN preference means the judge gave no verdict: the task is
imported without an annotation, as AlpacaEval leaves such records out of its figures.
Several judges' files share instructions, so a task may recur in a file, with the same
outputs and once per judge (``RepeatedRecords``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import orjson

from accord.core.importing import fields as check
from accord.core.importing.fields import InvalidItem
from accord.core.importing.items import Item, ItemRules, Response, canonical_hash
from accord.core.importing.records import AdaptContext, Author, ImportRecord, Label
from accord.core.people.users import NAME_PATTERN
from accord.core.tasks.judgments import MAX_ACTIVE_MS

ID_PREFIX = "alpaca-eval-"
SOURCE = "alpaca_eval"
FIRST, SECOND = "a", "b"
DISPLAY_ORDER = (FIRST, SECOND)  # the judge read output_1 first
DRAW, LEGACY_DRAW = 1.5, 0.0
RAW_COMPLETION_BYTES = 10_000
METADATA_FIELDS = ("dataset", "datasplit")  # kept with the task when present and textual
STORED_TEXT = ("instruction", "output_1", "output_2", "generator_1", "generator_2", "annotator",
               *METADATA_FIELDS)


def task_id(instruction: str, generator_1: str, generator_2: str) -> str:
    """The task's id: stable across imports and files, distinct per evaluated model."""
    return ID_PREFIX + canonical_hash([instruction, generator_1, generator_2])[:32]


def adapt(number: int, value: Any, context: AdaptContext) -> tuple[ImportRecord]:
    """The task that record ``number`` of the array stands for, with its verdict if any."""
    raw = check.obj(value, "the record")
    for name in STORED_TEXT:
        check.no_nul(raw.get(name), name)
    instruction = _required_string(raw, "instruction")
    generator_1, generator_2 = _generator(raw, "generator_1"), _generator(raw, "generator_2")
    responses = (
        Response(FIRST, _required_string(raw, "output_1"), generator_1),
        Response(SECOND, _required_string(raw, "output_2"), generator_2),
    )
    metadata: dict[str, Any] = {"source": SOURCE}
    metadata.update({name: raw[name] for name in METADATA_FIELDS
                     if type(raw.get(name)) is str})
    item = Item(task_id(instruction, generator_1, generator_2), "comparison",
                [{"role": "user", "content": instruction}], responses, metadata=metadata)
    verdict = _verdict(raw, context.rules)
    return (ImportRecord(number, item, () if verdict is None else (verdict,)),)


class RepeatedRecords:
    """A task may recur in a file only with the same outputs, and once per judge."""

    def __init__(self, unit: str) -> None:
        self.unit = unit
        self._tasks: dict[str, tuple[int, str]] = {}
        self._verdicts: dict[tuple[str, str], int] = {}

    def problem(self, records: Sequence[ImportRecord]) -> str | None:
        for record in records:
            digest = record.item.content_hash()
            first, first_digest = self._tasks.setdefault(record.item.id, (record.number, digest))
            if first_digest != digest:
                return (f"has the instruction and generators of {self.unit} {first} but other "
                        "outputs")
            for label in record.labels:
                key = (record.item.id, label.author.name)
                earlier = self._verdicts.setdefault(key, record.number)
                if earlier != record.number:
                    return (f"repeats {self.unit} {earlier}: the same instruction, generators and "
                            f"annotator ({label.author.name})")
        return None


def _required_string(raw: dict, name: str) -> str:
    if name not in raw:
        raise InvalidItem(f"{name} is missing")
    return check.string(raw[name], name)


def _generator(raw: dict, name: str) -> str:
    value = check.model_name(raw.get(name), name)
    if not value:
        raise InvalidItem(f"{name} is missing" if name not in raw else f"{name} must not be empty")
    return value


def _verdict(raw: dict, rules: ItemRules) -> Label | None:
    value = parse_preference(raw.get("preference"))
    if value is None:
        return None
    judge = raw.get("annotator")
    if judge is None:
        raise InvalidItem("annotator is missing: a preference needs the judge that gave it")
    judge = check.string(judge, "annotator")
    if not NAME_PATTERN.match(judge):
        raise InvalidItem(
            f'annotator "{judge[:60]}" cannot name an AI judge: a user name starts with a '
            "letter or digit and uses only letters, digits and . _ @ - (at most 120)"
        )
    if value == DRAW and not rules.allow_ties:
        raise InvalidItem(
            f"preference is 1.5, a tie, but project {rules.project} does not allow ties"
        )
    price = _optional_number(raw, "price_per_example")
    seconds = _optional_number(raw, "time_per_example")
    if seconds is not None and seconds * 1000 > MAX_ACTIVE_MS:
        raise InvalidItem(f"time_per_example {seconds} is over a day, the most one task takes")
    return Label(
        author=Author(judge, "ai", {"source": SOURCE, "judge": judge}),
        ranking=_ranking(value),
        preference=max(value - 1.0, 2.0 - value),
        active_ms=round(seconds * 1000) if seconds is not None else 0,
        rationale=_rationale(judge, price, seconds, raw.get("raw_completion")),
        display_order=DISPLAY_ORDER,
    )


def parse_preference(value: Any) -> float | None:
    """The preference as a number in ``[1, 2]``, ``None`` when the judge gave none."""
    if value is None or (type(value) is str and not value.strip()):
        return None
    if type(value) is bool:
        raise check.wrong_type("preference", "a number", value)
    if type(value) is str:
        try:
            number = float(value)
        except ValueError:
            raise InvalidItem(f'preference "{value[:40]}" is not a number') from None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        raise check.wrong_type("preference", "a number", value)
    if math.isnan(number):
        return None
    if number == LEGACY_DRAW:
        return DRAW
    if not 1.0 <= number <= 2.0:
        raise InvalidItem(
            f"preference {value} is outside [1, 2] (1: output_1 better, 2: output_2 better)"
        )
    return number


def _ranking(value: float) -> list[list[str]]:
    if value > DRAW:
        return [[SECOND], [FIRST]]
    if value < DRAW:
        return [[FIRST], [SECOND]]
    return [[FIRST, SECOND]]


def _optional_number(raw: dict, name: str) -> float | None:
    """A non-negative finite number, or ``None`` when absent or null (AlpacaEval leaves the
    price and time of a record it did not send to the judge empty)."""
    value = raw.get(name)
    if value is None:
        return None
    if type(value) is bool or not isinstance(value, int | float):
        raise check.wrong_type(name, "a number", value)
    if math.isnan(value):
        return None
    if not 0 <= value < math.inf:
        raise InvalidItem(f"{name} must be a non-negative number, not {value}")
    return float(value)


def _rationale(judge: str, price: float | None, seconds: float | None, completion: Any) -> str:
    """What the judge said and cost, kept whole enough to audit a verdict later."""
    if completion is None:
        text, truncated = "", False
    else:
        # orjson writes NaN and infinities (which the file may hold) as null
        data = completion.encode() if type(completion) is str else orjson.dumps(completion)
        truncated = len(data) > RAW_COMPLETION_BYTES
        text = data[:RAW_COMPLETION_BYTES].decode("utf-8", "ignore")  # whole characters only
        text = text.replace("\x00", "\\u0000")  # PostgreSQL text cannot hold NUL
    return orjson.dumps({
        "source": SOURCE, "annotator": judge, "price_per_example": price,
        "time_per_example": seconds, "raw_completion": text,
        "raw_completion_truncated": truncated,
    }).decode()
