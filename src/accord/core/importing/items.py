"""One import item: its typed form, the validation of one parsed JSON object, its hash.

An ``Item`` is what every accepted line becomes, whatever format it came in (Accord's own
JSONL or a TRL preference row): the store writes only ``Item``s.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import orjson

from accord.core.importing import fields as check
from accord.core.importing.fields import InvalidItem
from accord.core.tasks.authoring import METADATA_KEY as AUTHORING_KEY
from accord.core.tasks.authoring import check_task_setting

KINDS = ("comparison", "demonstration", "red_team", "prompt")
TASK_KINDS = ("comparison", "demonstration", "red_team")
MIN_RESPONSES = 2
MAX_RESPONSES = 16
DEFAULT_CATEGORY = "uncategorized"

_COMMON = {"id", "kind", "category", "domains", "metadata"}
ALLOWED_FIELDS = {
    "comparison": frozenset(_COMMON | {"priority", "messages", "prompt", "responses", "gold"}),
    "demonstration": frozenset(_COMMON | {"priority", "messages", "prompt", "responses",
                                          "demonstration"}),
    "red_team": frozenset(_COMMON | {"priority", "topic", "model_response"}),
    "prompt": frozenset(_COMMON | {"messages", "prompt"}),
}
RESPONSE_FIELDS = frozenset({"id", "content", "model", "sampling", "finish_reason", "truncated"})
GOLD_FIELDS = frozenset({"ranking", "explanation"})
SEED_KEYS = {"red_team": "red_team", "demonstration": AUTHORING_KEY}
"""Where each kind's seed is kept in its prompt's metadata."""


@dataclass(frozen=True, slots=True)
class ItemRules:
    """What the target project accepts: pairwise projects take exactly two responses."""

    project: str = ""
    pairwise: bool = False
    allow_ties: bool = True
    max_responses: int = MAX_RESPONSES
    dimensions: tuple[tuple[str, int, int], ...] = ()
    """The project's quality dimensions as (name, lowest, highest): what imported ratings
    may rate."""


class Response(NamedTuple):
    """A candidate response (a tuple: thousands are made per second, cheaply).
    ``finish_reason``: why the model stopped, where the source says (``length``: cut off)."""

    id: str
    content: str
    model: str | None = None
    sampling: dict = {}  # noqa: RUF012 - never mutated; responses are read-only
    finish_reason: str | None = None

    def frozen(self) -> list:
        """The response as ``Item.frozen_content`` compares it; a finish reason only where
        one is known, so items imported before it was kept compare as they did."""
        found = [self.id, self.content, self.model, self.sampling]
        return found if self.finish_reason is None else [*found, self.finish_reason]


@dataclass(frozen=True, slots=True)
class Item:
    """A validated item. ``metadata`` is the task's (the prompt's for kind ``prompt``);
    ``seed`` is what a red-team item gives (topic, model response), or a demonstration's own
    authoring settings, kept with its prompt."""

    id: str
    kind: str
    messages: list[dict]
    responses: tuple[Response, ...] = ()
    category: str = DEFAULT_CATEGORY
    """The key rules match on (``accord.core.projects.categories``)."""
    domains: list[str] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    priority: int = 0
    gold: dict | None = None
    seed: dict | None = None
    category_label: str | None = None
    """The category as the source wrote it, where that is not the key itself."""

    def frozen_content(self) -> dict:
        """What may change only while nobody has worked on the task (see ``--update``)."""
        return {
            "kind": self.kind,
            "messages": self.messages,
            "responses": [r.frozen() for r in self.responses],
            "gold": self.gold,
            "seed": self.seed,
        }

    def content(self) -> dict:
        """Everything but the id: two items with equal content are the same item."""
        content = self.frozen_content()
        content["category"] = self.category
        if self.category_label is not None:  # absent otherwise: older items hash as they did
            content["category_label"] = self.category_label
        content["domains"] = self.domains
        content["metadata"] = self.metadata
        content["priority"] = self.priority
        return content

    def content_hash(self) -> str:
        return canonical_hash(self.content())


def canonical_hash(value: Any) -> str:
    """sha256 (hex) of ``value`` as JSON with sorted keys: equal content, equal hash."""
    return hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()


def validate_item(raw: dict, rules: ItemRules) -> Item:
    """The ``Item`` that a parsed line of Accord's own format stands for, or ``InvalidItem``."""
    kind = raw.get("kind", "comparison")
    if type(kind) is not str or kind not in KINDS:
        shown = f'"{kind[:40]}"' if type(kind) is str else check.json_type(kind)
        raise InvalidItem(f"kind must be one of {', '.join(KINDS)}, not {shown}")
    unknown = check.unknown_fields(raw, ALLOWED_FIELDS[kind], kind.replace("_", "-") + " item")
    if unknown:
        raise unknown
    if "id" not in raw:
        raise InvalidItem('"id" is missing')
    item_id = check.identifier(raw["id"], "id")
    common = _common_fields(raw, kind)
    if kind == "red_team":
        return _red_team(raw, item_id, common)
    messages = _messages_or_prompt(raw, kind)
    if kind == "comparison":
        responses = _responses(raw, rules)
        gold = _gold(raw["gold"], responses, rules) if "gold" in raw else None
        return Item(item_id, kind, messages, responses, gold=gold, **common)
    if kind == "demonstration":
        return _demonstration(raw, item_id, messages, common)
    return Item(item_id, kind, messages, **common)


def _demonstration(raw: dict, item_id: str, messages: list[dict], common: dict) -> Item:
    """A demonstration task: its drafts (``responses``, 1 to 16, to post-edit) and its own
    authoring settings (``demonstration``, kept with its prompt as the seed)."""
    responses: tuple[Response, ...] = ()
    if "responses" in raw:
        listed = check.array(raw["responses"], "responses")
        if not 1 <= len(listed) <= MAX_RESPONSES:
            raise InvalidItem(f"has {len(listed)} responses; a demonstration takes 1 to "
                              f"{MAX_RESPONSES} drafts")
        responses = tuple(_response(value, index) for index, value in enumerate(listed))
        _no_repeated_ids(responses)
    seed = None
    if "demonstration" in raw:
        try:
            seed = check_task_setting(raw["demonstration"], [r.id for r in responses])
        except ValueError as problem:
            raise InvalidItem(str(problem)) from None
    return Item(item_id, "demonstration", messages, responses, seed=seed, **common)


def _common_fields(raw: dict, kind: str) -> dict:
    key, label = check.category(raw["category"]) if "category" in raw else (DEFAULT_CATEGORY,
                                                                             None)
    common: dict[str, Any] = {
        "category": key, "category_label": label,
        "domains": check.domains(raw["domains"]) if "domains" in raw else [],
        "metadata": check.obj(raw["metadata"], "metadata") if "metadata" in raw else {},
    }
    if kind != "prompt":
        common["priority"] = check.priority(raw["priority"]) if "priority" in raw else 0
    return common


def _messages_or_prompt(raw: dict, kind: str) -> list[dict]:
    has_messages, has_prompt = "messages" in raw, "prompt" in raw
    if has_messages and has_prompt:
        raise InvalidItem('give either "messages" or "prompt", not both')
    if has_messages:
        return check.prompt_messages(raw["messages"])
    if has_prompt:
        return [{"role": "user", "content": check.string(raw["prompt"], "prompt")}]
    article = "an" if kind[0] in "aeiou" else "a"
    raise InvalidItem(f'{article} {kind} needs "messages" or "prompt"')


def _responses(raw: dict, rules: ItemRules) -> tuple[Response, ...]:
    if "responses" not in raw:
        raise InvalidItem('"responses" is missing')
    listed = check.array(raw["responses"], "responses")
    if rules.pairwise and len(listed) != 2:
        raise InvalidItem(
            f"has {len(listed)} responses, but project {rules.project} is pairwise and takes "
            "exactly 2; import into a K-way project (ranking mode kway) to rank more"
        )
    if not MIN_RESPONSES <= len(listed) <= rules.max_responses:
        raise InvalidItem(
            f"has {len(listed)} responses; a comparison needs {MIN_RESPONSES} to "
            f"{rules.max_responses}"
        )
    responses = tuple([_response(value, index) for index, value in enumerate(listed)])
    _no_repeated_ids(responses)
    return responses


def _no_repeated_ids(responses: tuple[Response, ...]) -> None:
    if len({response.id for response in responses}) < len(responses):
        seen: set[str] = set()
        for index, response in enumerate(responses):
            if response.id in seen:
                raise InvalidItem(
                    f'responses[{index}].id "{response.id}" repeats an earlier response'
                )
            seen.add(response.id)


def _response(value: Any, index: int) -> Response:
    if type(value) is dict and value.keys() <= RESPONSE_FIELDS:
        rid, content = value.get("id"), value.get("content")
        model, sampling = value.get("model"), value.get("sampling", _NO_SAMPLING)
        if (type(rid) is str and 0 < len(rid) <= check.MAX_ID_LENGTH and not rid.isspace()
                and type(content) is str and type(sampling) is dict
                and (model is None or (type(model) is str
                                       and len(model) <= check.MAX_MODEL_LENGTH))):
            if "finish_reason" in value or "truncated" in value:
                return Response(rid, content, model, sampling,
                                check.finish_reason(value, f"responses[{index}]"))
            return Response(rid, content, model, sampling)
    return _explain_response(value, f"responses[{index}]")


_NO_SAMPLING: dict = {}


def _explain_response(value: Any, path: str) -> Response:
    """The slow path of ``_response``: find the first problem and name it."""
    value = check.obj(value, path)
    unknown = check.unknown_fields(value, RESPONSE_FIELDS, "response")
    if unknown:
        raise InvalidItem(f"{path}: {unknown}")
    for name in ("id", "content"):
        if name not in value:
            raise InvalidItem(f"{path}.{name} is missing")
    return Response(
        check.identifier(value["id"], f"{path}.id"),
        check.string(value["content"], f"{path}.content"),
        check.model_name(value.get("model"), f"{path}.model"),
        check.obj(value["sampling"], f"{path}.sampling") if "sampling" in value else {},
        check.finish_reason(value, path),
    )


def _gold(value: Any, responses: tuple[Response, ...], rules: ItemRules) -> dict:
    """A calibration answer: every response ranked exactly once, best group first."""
    gold = check.obj(value, "gold")
    unknown = check.unknown_fields(gold, GOLD_FIELDS, "gold answer")
    if unknown:
        raise InvalidItem(f"gold: {unknown}")
    if "ranking" not in gold:
        raise InvalidItem("gold.ranking is missing")
    known = [r.id for r in responses]
    ranked: list[str] = []
    groups = check.array(gold["ranking"], "gold.ranking")
    for index, group in enumerate(groups):
        path = f"gold.ranking[{index}]"
        if type(group) is not list or not group:
            raise InvalidItem(f"{path} must be a non-empty array of response ids")
        if len(group) > 1 and not rules.allow_ties:
            raise InvalidItem(f"{path} is a tie, but project {rules.project} does not allow ties")
        for position, rid in enumerate(group):
            rid = check.string(rid, f"{path}[{position}]")
            if rid not in known:
                raise InvalidItem(
                    f'response "{rid[:60]}" in {path} is not among the item\'s responses '
                    f"({', '.join(known)})"
                )
            if rid in ranked:
                raise InvalidItem(f'response "{rid}" appears twice in gold.ranking')
            ranked.append(rid)
    missing = [rid for rid in known if rid not in ranked]
    if missing:
        raise InvalidItem(f"gold.ranking must rank every response; missing {', '.join(missing)}")
    answer: dict[str, Any] = {"ranking": [list(group) for group in groups]}
    if "explanation" in gold:
        answer["explanation"] = check.string(gold["explanation"], "gold.explanation")
    return answer


def _red_team(raw: dict, item_id: str, common: dict) -> Item:
    """A red-team task: its prompt is the topic, and the seed keeps what the line gave."""
    if "topic" not in raw:
        raise InvalidItem('a red_team item needs "topic"')
    topic = check.string(raw["topic"], "topic")
    if not topic.strip():
        raise InvalidItem("topic must not be empty")
    seed = {"topic": topic}
    if "model_response" in raw:
        seed["model_response"] = check.string(raw["model_response"], "model_response")
    messages = [{"role": "user", "content": topic}]
    return Item(item_id, "red_team", messages, seed=seed, **common)
