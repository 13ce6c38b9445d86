"""The ``label-studio`` format: Label Studio's JSON export of pairwise and ranking projects,
each annotation kept as an annotation by its annotator.

The export (``exportType=JSON``) is one array of tasks ``{"id", "data", "annotations":
[{"completed_by", "result", "was_cancelled", "lead_time", …}]}``; it carries no labelling
config, so the task's results say where its responses are:

- ``Pairwise`` (result ``type`` ``pairwise``, ``to_name`` the two ``Text`` tags): the
  responses are the data fields those tags show (by the tag's name), left first, with the tag
  names as response ids; ``value.selected`` ``left`` or ``right`` is the annotator's choice.
- ``Ranker`` over a ``List`` (result ``type`` ``ranker``): the responses are the list's items
  ``{"id", "title", "body"}`` in the data field the list shows, with their ids; ``value.ranker``
  holds one array of ids best first (a plain ranker) or one per ``Bucket``, in the order the
  export lists them, each bucket a tie group (``_``, the ranker's unsorted column, is left out).

The prompt is the task's ``prompt`` field (else ``question``, ``instruction``, ``input`` or
``text``). The task id is ``label-studio-`` and Label Studio's task id; the data is kept as
the task's metadata ``{"label_studio": {"task_id", "project", "data"}}`` minus the responses.
Cancelled (skipped) annotations and empty results are not annotations; each other annotation
becomes a submitted annotation of the user ``label-studio.<completed_by>`` (its id, or its
email in exports that give the user whole), with ``lead_time`` as time spent and the
annotation id in the rationale.
"""

from __future__ import annotations

from typing import Any

import orjson

from accord.core.importing import fields as check
from accord.core.importing.fields import InvalidItem
from accord.core.importing.formats.tool_annotations import annotator, check_shape, groups_by_rank
from accord.core.importing.items import Item, ItemRules, Response
from accord.core.importing.records import AdaptContext, ImportRecord, Label
from accord.core.tasks.judgments import MAX_ACTIVE_MS

ID_PREFIX = "label-studio-"
TOOL = "label-studio"
KINDS = ("pairwise", "ranker")
PROMPT_FIELDS = ("prompt", "question", "instruction", "input", "text")
UNSORTED_BUCKET = "_"


def adapt(number: int, value: Any, context: AdaptContext) -> tuple[ImportRecord]:
    """The task at ``number`` of the export, with its annotators' judgments."""
    task = check.obj(value, "the task")
    check.no_nul(task, "")
    data = check.obj(task.get("data"), "data")
    annotations = [a for a in check.array(task.get("annotations", []), "annotations")
                   if not _skipped(a)]
    results = [(index, _result(a, index)) for index, a in enumerate(annotations)]
    kinds = {result["type"] for _, result in results}
    if len(kinds) > 1:
        raise InvalidItem("annotations mix pairwise and ranker results; a task is one or the "
                          "other")
    if not results:
        raise InvalidItem("has no annotation with a pairwise or ranker result, so nothing says "
                          "which of its fields are the responses")
    first = results[0][1]
    responses, shown_in = _responses(first, data)
    check_shape(context.rules, len(responses), "the task")
    item = _item(task, data, responses, shown_in)
    order = tuple(response.id for response in responses)
    labels = tuple(_label(annotations[index], result, order, context.rules, index)
                   for index, result in results)
    return (ImportRecord(number, item, labels),)


def _skipped(annotation: Any) -> bool:
    return type(annotation) is dict and (annotation.get("was_cancelled") is True
                                         or not annotation.get("result"))


def _result(annotation: Any, index: int) -> dict:
    """The annotation's one pairwise or ranker result."""
    path = f"annotations[{index}]"
    annotation = check.obj(annotation, path)
    found = [r for r in check.array(annotation.get("result"), f"{path}.result")
             if type(r) is dict and r.get("type") in KINDS]
    if len(found) != 1:
        raise InvalidItem(f"{path}.result holds {len(found)} pairwise or ranker results; "
                          "Accord reads exactly one per annotation")
    return found[0]


def _responses(result: dict, data: dict) -> tuple[list[Response], list[str]]:
    """The task's responses in display order, and the data fields they came from."""
    if result["type"] == "pairwise":
        names = result.get("to_name")
        if type(names) is not list or len(names) != 2:
            raise InvalidItem("a pairwise result's to_name must name its two Text tags")
        responses = []
        for name in names:
            text = data.get(name)
            if type(text) is not str:
                raise InvalidItem(f'data has no text field "{str(name)[:60]}" for the pairwise '
                                  f"tag's {'left' if not responses else 'right'} side")
            responses.append(Response(check.identifier(name, "to_name"), text))
        return responses, list(names)
    name = result.get("to_name")
    if type(name) is not str:
        raise check.wrong_type("a ranker result's to_name", "the name of its List tag", name)
    items = check.array(data.get(name), f"data.{name}")
    responses = []
    for index, entry in enumerate(items):
        entry = check.obj(entry, f"data.{name}[{index}]")
        text = next((entry[key] for key in ("body", "html", "title")
                     if type(entry.get(key)) is str and entry[key]), None)
        if text is None:
            raise InvalidItem(f"data.{name}[{index}] has no body, html or title to show")
        responses.append(Response(check.identifier(str(entry.get("id", "")),
                                                   f"data.{name}[{index}].id"), text))
    if len({r.id for r in responses}) < len(responses):
        raise InvalidItem(f"data.{name} repeats an item id")
    return responses, [name]


def _item(task: dict, data: dict, responses: list[Response], shown_in: list[str]) -> Item:
    prompt_field = next((f for f in PROMPT_FIELDS if type(data.get(f)) is str), None)
    if prompt_field is None:
        raise InvalidItem(f"data has no prompt: none of the fields {', '.join(PROMPT_FIELDS)} "
                          "holds text")
    task_id = task.get("id")
    if type(task_id) is not int:
        raise check.wrong_type("id", "Label Studio's task id (an integer)", task_id)
    kept = {key: value for key, value in data.items() if key not in shown_in}
    metadata = {"label_studio": {"task_id": task_id, "project": task.get("project"),
                                 "data": kept}}
    return Item(ID_PREFIX + str(task_id), "comparison",
                [{"role": "user", "content": data[prompt_field]}], tuple(responses),
                metadata=metadata)


def _label(annotation: dict, result: dict, order: tuple[str, ...], rules: ItemRules,
           index: int) -> Label:
    where = f"annotations[{index}]"
    user = annotation.get("completed_by")
    if type(user) is dict:
        user = user.get("email") or user.get("id")
    author = annotator(TOOL, user, f"{where}.completed_by")
    value = check.obj(result.get("value"), f"{where}.result.value")
    if result["type"] == "pairwise":
        selected = value.get("selected")
        if selected not in ("left", "right"):
            raise InvalidItem(f'{where}: selected must be "left" or "right", not {selected!r}')
        first, second = order if selected == "left" else order[::-1]
        ranking = [[first], [second]]
    else:
        ranking = _ranker_groups(check.obj(value.get("ranker"), f"{where}.value.ranker"),
                                 order, rules, where)
    seconds = annotation.get("lead_time")
    active_ms = 0
    if isinstance(seconds, int | float) and type(seconds) is not bool and seconds >= 0:
        active_ms = min(round(seconds * 1000), MAX_ACTIVE_MS)
    rationale = orjson.dumps({"source": "label_studio", "annotation_id": annotation.get("id"),
                              "created_at": annotation.get("created_at")}).decode()
    return Label(author, ranking, None, active_ms, rationale, order)


def _ranker_groups(ranker: dict, order: tuple[str, ...], rules: ItemRules,
                   where: str) -> list[list[str]]:
    """A plain ranker's one list (best first), or its buckets as tie groups."""
    columns = {name: ids for name, ids in ranker.items() if name != UNSORTED_BUCKET}
    ranks: dict[str, int] = {}
    for position, (name, ids) in enumerate(columns.items()):
        for index, rid in enumerate(check.array(ids, f"{where}.value.ranker.{name}")):
            if rid not in order:
                raise InvalidItem(f'{where} ranks "{str(rid)[:60]}", which is not among the '
                                  f"task's items ({', '.join(order)})")
            if rid in ranks:
                raise InvalidItem(f'{where} ranks "{rid}" twice')
            ranks[rid] = index if len(columns) == 1 else position
    missing = [rid for rid in order if rid not in ranks]
    if missing:
        raise InvalidItem(f"{where} leaves {', '.join(missing)} unranked; Accord keeps "
                          "rankings of every response")
    return groups_by_rank(ranks, rules, where)
