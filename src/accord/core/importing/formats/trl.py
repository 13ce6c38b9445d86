"""TRL preference rows (``prompt``/``chosen``/``rejected``) as comparison items, and their
label as the source's annotation (``accord_jsonl`` reads the rows).

Annotators must not learn which response the source preferred, so the two responses get
neutral ids ``a`` and ``b``, assigned by a hash of the row's content (stable across
re-imports), and the source's label goes into the task's metadata, which annotators never
see. A row without ``id`` gets one from a hash of its content, so re-importing is idempotent.
"""

from __future__ import annotations

import re
from typing import Any

from accord.core.importing import fields as check
from accord.core.importing.fields import InvalidItem
from accord.core.importing.items import DEFAULT_CATEGORY, Item, ItemRules, Response, canonical_hash
from accord.core.importing.records import Author, Label
from accord.core.importing.source_labels import source_label

EXPORT_FIELDS = frozenset(
    {"margin", "agreement", "n_annotators", "task_id", "chosen_model", "rejected_model",
     "source", "guideline_version"}
)
"""Columns of Accord's own preference export: accepted and ignored, so that an export can be
imported again as it is (they describe the old project's votes, not the new one's)."""
TRL_FIELDS = frozenset(
    {"id", "prompt", "chosen", "rejected", "category", "domains", "metadata", "priority",
     "score_chosen", "score_rejected", "chosen_truncated", "rejected_truncated",
     "category_label"}
) | EXPORT_FIELDS
"""``chosen_truncated`` and ``rejected_truncated`` (true, false or null, as Accord's preference
export writes them) say whether a response was cut off at the length limit."""
HH_ASSISTANT = "\n\nAssistant:"
HH_TURN = re.compile(r"\n\n(Human|Assistant):")
HH_ROLES = {"Human": "user", "Assistant": "assistant"}
ID_PREFIX = "trl-"


def is_trl_row(raw: dict) -> bool:
    """A row is TRL's when it has no ``kind`` and carries ``chosen`` or ``rejected``."""
    return "kind" not in raw and ("chosen" in raw or "rejected" in raw)


def trl_item(raw: dict, rules: ItemRules) -> Item:
    """The comparison item a TRL preference row stands for, or ``InvalidItem``."""
    unknown = check.unknown_fields(raw, TRL_FIELDS, "TRL preference row")
    if unknown:
        raise unknown
    for name in ("chosen", "rejected"):
        if name not in raw:
            raise InvalidItem(f'"{name}" is missing (a TRL preference row has both chosen and '
                              "rejected)")
    messages, chosen, rejected = _split(raw)
    if "id" in raw:
        item_id = check.identifier(raw["id"], "id")
    else:
        content = [raw.get("prompt"), raw["chosen"], raw["rejected"]]
        item_id = ID_PREFIX + canonical_hash(content)[:20]
    chosen_id, rejected_id = _neutral_ids(messages, chosen, rejected)
    responses = sorted(
        [Response(chosen_id, chosen,
                  finish_reason=check.truncated_flag(raw.get("chosen_truncated"),
                                                     "chosen_truncated")),
         Response(rejected_id, rejected,
                  finish_reason=check.truncated_flag(raw.get("rejected_truncated"),
                                                     "rejected_truncated"))],
        key=lambda response: response.id)
    key, label = _category(raw)
    return Item(
        item_id,
        "comparison",
        messages,
        tuple(responses),
        category=key,
        category_label=label,
        domains=check.domains(raw["domains"]) if "domains" in raw else [],
        metadata=_metadata(raw, chosen_id),
        priority=check.priority(raw["priority"]) if "priority" in raw else 0,
    )


def _category(raw: dict) -> tuple[str, str | None]:
    """The row's category as (key, label). Accord's preference export writes both the key
    (``category``) and the label (``category_label``): the label is the category, and the key
    must be the one it derives."""
    if "category_label" not in raw:
        return check.category(raw["category"]) if "category" in raw else (DEFAULT_CATEGORY, None)
    key, label = check.category(raw["category_label"], "category_label")
    if "category" in raw and check.category(raw["category"])[0] != key:
        raise InvalidItem(f'category "{str(raw["category"])[:80]}" is not the key of '
                          f'category_label "{raw["category_label"][:80]}" ({key})')
    return key, label


def trl_label(item: Item, author: Author) -> Label:
    """The row's own label, chosen over rejected, as ``author``'s annotation of ``item``."""
    chosen = item.metadata["source_label"]["chosen"]
    rejected = next(response.id for response in item.responses if response.id != chosen)
    return source_label(author, [[chosen], [rejected]], item)


def _neutral_ids(messages: list[dict], chosen: str, rejected: str) -> tuple[str, str]:
    """``("a", "b")`` or ``("b", "a")`` for (chosen, rejected), by a hash of the content."""
    digest = canonical_hash([messages, chosen, rejected])
    return ("a", "b") if int(digest[-1], 16) % 2 == 0 else ("b", "a")


def _metadata(raw: dict, chosen_id: str) -> dict:
    metadata = dict(check.obj(raw["metadata"], "metadata")) if "metadata" in raw else {}
    if "source_label" in metadata:
        raise InvalidItem("metadata.source_label is reserved: it receives the row's own label")
    label: dict[str, Any] = {"chosen": chosen_id}
    for name in ("score_chosen", "score_rejected"):
        if name in raw:
            score = raw[name]
            if type(score) not in (int, float):
                raise check.wrong_type(name, "a number", score)
            label[name] = score
    metadata["source_label"] = label
    return metadata


def _split(raw: dict) -> tuple[list[dict], str, str]:
    """(prompt messages, chosen text, rejected text) from any of TRL's four shapes."""
    chosen, rejected = raw["chosen"], raw["rejected"]
    if "prompt" in raw:
        prompt = raw["prompt"]
        if type(prompt) is str:
            messages = [{"role": "user", "content": prompt}]
        else:
            messages = check.prompt_messages(prompt, "prompt")
        return messages, _completion(chosen, "chosen"), _completion(rejected, "rejected")
    if type(chosen) is list and type(rejected) is list:
        return _common_prefix(chosen, rejected)
    if type(chosen) is str and type(rejected) is str:
        return _hh_dialogues(chosen, rejected)
    if type(chosen) not in (str, list):
        raise check.wrong_type("chosen", "a string or an array of messages", chosen)
    if type(rejected) not in (str, list):
        raise check.wrong_type("rejected", "a string or an array of messages", rejected)
    raise InvalidItem("chosen and rejected must both be strings or both arrays of messages")


def _completion(value: Any, path: str) -> str:
    """A completion after an explicit prompt: a string, or a list of one assistant message."""
    if type(value) is str:
        return value
    messages = check.array(value, path)
    if len(messages) != 1:
        raise InvalidItem(f"{path} must hold exactly one assistant message, not {len(messages)}")
    message = check.message(messages[0], f"{path}[0]")
    if message["role"] != "assistant":
        raise InvalidItem(f'{path}[0].role must be "assistant", not "{message["role"]}"')
    return message["content"]


def _common_prefix(chosen: list, rejected: list) -> tuple[list[dict], str, str]:
    """Conversational rows without prompt: the prompt is the longest run of messages both
    dialogues share that ends with a user message answered by the assistant on both sides;
    each response is the rest of its dialogue (one assistant content, see :func:`_remainder`).
    """
    chosen_messages = [check.message(m, f"chosen[{i}]") for i, m in enumerate(chosen)]
    rejected_messages = [check.message(m, f"rejected[{i}]") for i, m in enumerate(rejected)]
    shared = 0
    for left, right in zip(chosen_messages, rejected_messages, strict=False):
        if left != right:
            break
        shared += 1
    if shared == len(chosen_messages) and shared == len(rejected_messages):
        raise InvalidItem("chosen and rejected are the same conversation")
    if shared == 0:
        raise InvalidItem("chosen and rejected share no prompt: their first messages differ")
    cut = shared
    while cut > 0 and not _answered_at(chosen_messages, rejected_messages, cut):
        cut -= 1
    if cut == 0:
        raise InvalidItem(
            f"the {shared} messages chosen and rejected share hold no user message that both "
            "answer with an assistant message, so there is no prompt to compare them on"
        )
    chosen_text = _remainder(chosen_messages[cut:])
    rejected_text = _remainder(rejected_messages[cut:])
    if chosen_text == rejected_text:
        raise InvalidItem("chosen and rejected are the same conversation")
    return chosen_messages[:cut], chosen_text, rejected_text


def _answered_at(chosen: list[dict], rejected: list[dict], cut: int) -> bool:
    """Whether the first ``cut`` messages end with a user turn that both sides answer."""
    return (chosen[cut - 1]["role"] == "user" and cut < len(chosen) and cut < len(rejected)
            and chosen[cut]["role"] == "assistant" and rejected[cut]["role"] == "assistant")


def _remainder(messages: list[dict]) -> str:
    """A response that spans several turns, as one assistant content: the first message's
    text, then each later turn as ``\n\nHuman: …`` or ``\n\nAssistant: …`` (HH's own
    notation), so nothing the source chose or rejected is lost."""
    labels = {"user": "Human", "assistant": "Assistant", "system": "System"}
    parts = [messages[0]["content"]]
    parts.extend(f"\n\n{labels[m['role']]}: {m['content']}" for m in messages[1:])
    return "".join(parts)


def _hh_dialogues(chosen: str, rejected: str) -> tuple[list[dict], str, str]:
    """Anthropic HH strings: the prompt is the longest common beginning of the two dialogues
    that ends at an ``\n\nAssistant:`` turn boundary after a human turn; each response is the
    rest of its dialogue, even where that spans several turns. A dialogue pair whose turns
    part before the last answer (HH has a few) still imports: its prompt is what they share.
    """
    for name, text in (("chosen", chosen), ("rejected", rejected)):
        if HH_ASSISTANT not in text:
            raise InvalidItem(
                f'{name} has no "\\n\\nAssistant:" turn: without "prompt", string rows must be '
                'Anthropic HH dialogues ("\\n\\nHuman: … \\n\\nAssistant: …")'
            )
    if chosen == rejected:
        raise InvalidItem("chosen and rejected are the same conversation")
    shared = shared_length(chosen, rejected)
    cut = chosen.rfind(HH_ASSISTANT, 0, shared)
    while cut >= 0 and _last_speaker(chosen[:cut]) != "Human":
        cut = chosen.rfind(HH_ASSISTANT, 0, cut)
    if cut < 0:
        raise InvalidItem("chosen and rejected share no human turn answered on both sides: "
                          "they part before their first \"\\n\\nAssistant:\"")
    messages = hh_turns(chosen[:cut])
    start = cut + len(HH_ASSISTANT)
    chosen_text, rejected_text = chosen[start:].strip(), rejected[start:].strip()
    if chosen_text == rejected_text:
        raise InvalidItem("chosen and rejected are the same conversation")
    return messages, chosen_text, rejected_text


def shared_length(left: str, right: str) -> int:
    """How many characters two strings share from their start (by halving, so that long
    dialogues are compared in a few slice comparisons rather than character by character)."""
    low, high = 0, min(len(left), len(right))
    while low < high:
        middle = (low + high + 1) // 2
        if left[:middle] == right[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _last_speaker(text: str) -> str | None:
    """``Human`` or ``Assistant``: who speaks last in an HH dialogue prefix (None: nobody)."""
    speakers = HH_TURN.findall(text)
    return speakers[-1] if speakers else None


def hh_turns(text: str) -> list[dict]:
    """``"\\n\\nHuman: hi\\n\\nAssistant: hello\\n\\nHuman: ?"`` → chat messages."""
    parts = HH_TURN.split(text)
    if parts[0].strip():
        raise InvalidItem('the dialogue must start with "\\n\\nHuman:"; it starts with '
                          f'"{parts[0][:40]}"')
    messages = [
        {"role": HH_ROLES[role], "content": content.strip()}
        for role, content in zip(parts[1::2], parts[2::2], strict=True)
    ]
    if not messages:
        raise InvalidItem('the dialogue has no "\\n\\nHuman:" turn before its answer')
    if messages[-1]["role"] != "user":
        raise InvalidItem("the dialogue's turn before the answers must be the human's, "
                          "not the assistant's")
    return messages
