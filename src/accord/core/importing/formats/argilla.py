"""The ``argilla`` format: an Argilla ``FeedbackDataset`` exported for Hugging Face, one record
a line, with its ranking, rating and text questions answered per annotator.

The shape read is what ``FeedbackDataset.format_as("datasets")`` gives (argilla-v1, the SDK
that works without Argilla's search server), written as JSON lines: per record its fields as
columns (text, or null where an optional field is empty), per question a column holding a
list of ``{"user_id", "value", "status"}``, beside it ``<question>-suggestion`` and
``<question>-suggestion-metadata``, then ``external_id`` and ``metadata`` (a JSON text). The
export names no question types, so a value says what it answers: ``{"rank": [...], "value":
[...]}`` a ranking question, an integer a rating, a string text.

- prompt: the first field (Argilla keeps fields in the dataset's order); responses: the other
  fields that hold text, with the field names as response ids.
- one ranking question per record: each ``submitted`` answer is one annotation by the user
  ``argilla.<user_id>``, its ranks (1 best, equal ranks a tie) as the ranking. ``discarded`` and
  ``draft`` answers are not annotations.
- a rating question named after a response (``response-1-helpfulness``, or with ``_``) rates
  that response on the project's dimension of the rest of the name (``helpfulness``), checked
  against its scale; the other rating and text answers are kept in the annotation's rationale
  ``{"source": "argilla", "user_id", "answers": {question: value}}``.
- task id: ``argilla-`` and the record's ``external_id`` (else a hash of its fields); metadata
  ``{"argilla": {"external_id", "metadata"}}``.
"""

from __future__ import annotations

from typing import Any

import orjson

from accord.core.importing import fields as check
from accord.core.importing.fields import InvalidItem
from accord.core.importing.formats.tool_annotations import (
    annotator,
    check_rating,
    check_shape,
    groups_by_rank,
)
from accord.core.importing.items import Item, ItemRules, Response, canonical_hash
from accord.core.importing.records import AdaptContext, ImportRecord, Label

ID_PREFIX = "argilla-"
TOOL = "argilla"
SUBMITTED = "submitted"
RECORD_KEYS = ("external_id", "metadata")
SUGGESTION_SUFFIXES = ("-suggestion", "-suggestion-metadata")


def adapt(number: int, value: Any, context: AdaptContext) -> tuple[ImportRecord]:
    """The record on line ``number`` as one comparison item with its annotators' answers."""
    record = check.obj(value, "the record")
    check.no_nul(record, "")
    fields, questions = _columns(record)
    if len(fields) < 3:
        raise InvalidItem(f"has {len(fields)} text fields; a record needs a prompt and at least "
                          "two responses")
    (prompt_name, prompt), *shown = fields
    responses = tuple(Response(check.identifier(name, "field name"), text)
                      for name, text in shown)
    check_shape(context.rules, len(responses), "the record")
    order = tuple(r.id for r in responses)
    item = Item(_task_id(record, fields), "comparison", [{"role": "user", "content": prompt}],
                responses, metadata={"argilla": {"external_id": record.get("external_id"),
                                                 "prompt_field": prompt_name,
                                                 "metadata": _metadata(record)}})
    labels = _labels(questions, order, context.rules)
    return (ImportRecord(number, item, labels),)


def _columns(record: dict) -> tuple[list[tuple[str, str]], dict[str, list[dict]]]:
    """The fields that hold text, in order, and the questions' answer lists."""
    fields, questions = [], {}
    for key, column in record.items():
        if key in RECORD_KEYS or key.endswith(SUGGESTION_SUFFIXES):
            continue
        if type(column) is list:
            questions[key] = [check.obj(answer, f"{key}[{index}]")
                              for index, answer in enumerate(column)]
        elif type(column) is str and column:
            fields.append((key, column))
        elif column is not None and column != "":
            raise check.wrong_type(key, "a field's text or a question's answers", column)
    return fields, questions


def _task_id(record: dict, fields: list[tuple[str, str]]) -> str:
    external = record.get("external_id")
    if external is None:
        return ID_PREFIX + canonical_hash(fields)[:32]
    return ID_PREFIX + check.identifier(str(external), "external_id")[:200]


def _metadata(record: dict) -> Any:
    raw = record.get("metadata")
    if type(raw) is str:
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            return raw
    return raw


def _labels(questions: dict[str, list[dict]], order: tuple[str, ...],
            rules: ItemRules) -> tuple[Label, ...]:
    """One label per annotator whose ranking answer was submitted."""
    rankings = [name for name, answers in questions.items()
                if any(type(a.get("value")) is dict and "rank" in a["value"] for a in answers)]
    if len(rankings) > 1:
        raise InvalidItem(f"answers several ranking questions ({', '.join(rankings)}); Accord "
                          "keeps one ranking per annotation")
    if not rankings:
        return ()
    by_user: dict[str, dict[str, Any]] = {}
    for name, answers in questions.items():
        for index, answer in enumerate(answers):
            if answer.get("status") == SUBMITTED:
                user = str(answer.get("user_id"))
                by_user.setdefault(user, {})[name] = (answer.get("value"), f"{name}[{index}]")
    return tuple(_label(user, answers, rankings[0], order, rules)
                 for user, answers in by_user.items() if rankings[0] in answers)


def _label(user: str, answers: dict[str, Any], ranking_question: str,
           order: tuple[str, ...], rules: ItemRules) -> Label:
    value, where = answers[ranking_question]
    ranking = _ranking(check.obj(value, f"{where}.value"), order, rules, where)
    ratings: dict[str, dict[str, int]] = {}
    others: dict[str, Any] = {}
    for name, (answer, path) in answers.items():
        if name == ranking_question:
            continue
        target = _rated_response(name, order) if type(answer) is int else None
        if target is None:
            others[name] = answer
            continue
        dimension = name[len(target) + 1:]
        rating = check_rating(rules, dimension, answer, path)
        ratings.setdefault(target, {})[dimension] = rating
    rationale = orjson.dumps({"source": TOOL, "user_id": user, "answers": others}).decode()
    return Label(annotator(TOOL, user, f"{where}.user_id"), ranking, None, 0, rationale, order,
                 ratings or None)


def _rated_response(question: str, order: tuple[str, ...]) -> str | None:
    """The response a rating question is about: the longest response id it starts with,
    followed by ``-`` or ``_``."""
    found = [rid for rid in order if question.startswith((rid + "-", rid + "_"))
             and len(question) > len(rid) + 1]
    return max(found, key=len) if found else None


def _ranking(value: dict, order: tuple[str, ...], rules: ItemRules,
             where: str) -> list[list[str]]:
    ids = check.array(value.get("value"), f"{where}.value.value")
    ranks = check.array(value.get("rank"), f"{where}.value.rank")
    if len(ids) != len(ranks):
        raise InvalidItem(f"{where} gives {len(ids)} responses but {len(ranks)} ranks")
    by_id: dict[str, int] = {}
    for rid, rank in zip(ids, ranks, strict=True):
        if rid not in order:
            raise InvalidItem(f'{where} ranks "{str(rid)[:60]}", which is not a response field '
                              f"of the record ({', '.join(order)})")
        if type(rank) is not int or rank < 1:
            raise check.wrong_type(f"{where} rank of {rid}", "a positive integer", rank)
        by_id[rid] = rank
    missing = [rid for rid in order if rid not in by_id]
    if missing:
        raise InvalidItem(f"{where} leaves {', '.join(missing)} unranked; Accord keeps rankings "
                          "of every response")
    return groups_by_rank(by_id, rules, where)
