"""TRL preference rows (``prompt``/``chosen``/``rejected``) as comparison items.

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

TRL_FIELDS = frozenset(
    {"id", "prompt", "chosen", "rejected", "category", "domains", "metadata", "priority",
     "score_chosen", "score_rejected"}
)
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
    responses = sorted([Response(chosen_id, chosen), Response(rejected_id, rejected)],
                       key=lambda response: response.id)
    return Item(
        item_id,
        "comparison",
        messages,
        tuple(responses),
        category=check.category(raw["category"]) if "category" in raw else DEFAULT_CATEGORY,
        domains=check.domains(raw["domains"]) if "domains" in raw else [],
        metadata=_metadata(raw, chosen_id),
        priority=check.priority(raw["priority"]) if "priority" in raw else 0,
    )


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
    """Conversational rows without prompt: the prompt is what both dialogues share."""
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
    prompt = chosen_messages[:shared]
    if prompt[-1]["role"] != "user":
        raise InvalidItem(
            f"the prompt that chosen and rejected share ({shared} messages) must end with a user "
            f'message, not a {prompt[-1]["role"]} one'
        )
    return (prompt, _last_turn(chosen_messages, shared, "chosen"),
            _last_turn(rejected_messages, shared, "rejected"))


def _last_turn(messages: list[dict], shared: int, path: str) -> str:
    rest = messages[shared:]
    if len(rest) != 1 or rest[0]["role"] != "assistant":
        raise InvalidItem(
            f"after the {shared} messages it shares with the other side, {path} must hold one "
            f"assistant message; it holds {len(rest)} message{'s' if len(rest) != 1 else ''} "
            f"({', '.join(m['role'] for m in rest) or 'none'})"
        )
    return rest[0]["content"]


def _hh_dialogues(chosen: str, rejected: str) -> tuple[list[dict], str, str]:
    """Anthropic HH strings: split each at its last ``\\n\\nAssistant:``; the rest is the prompt."""
    cut_chosen, cut_rejected = chosen.rfind(HH_ASSISTANT), rejected.rfind(HH_ASSISTANT)
    for name, cut in (("chosen", cut_chosen), ("rejected", cut_rejected)):
        if cut < 0:
            raise InvalidItem(
                f'{name} has no "\\n\\nAssistant:" turn: without "prompt", string rows must be '
                'Anthropic HH dialogues ("\\n\\nHuman: … \\n\\nAssistant: …")'
            )
    prompt_text = chosen[:cut_chosen]
    if prompt_text != rejected[:cut_rejected]:
        raise InvalidItem(_parting_reason(prompt_text, rejected[:cut_rejected]))
    messages = hh_turns(prompt_text)
    start = len(HH_ASSISTANT)
    return (messages, chosen[cut_chosen + start:].strip(),
            rejected[cut_rejected + start:].strip())


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


def _parting_reason(chosen_prompt: str, rejected_prompt: str) -> str:
    """Say where two HH dialogues part, for a row whose prompts disagree."""
    chosen_turns = HH_TURN.split(chosen_prompt)[1:]
    rejected_turns = HH_TURN.split(rejected_prompt)[1:]
    chosen_pairs = list(zip(chosen_turns[::2], chosen_turns[1::2], strict=True))
    rejected_pairs = list(zip(rejected_turns[::2], rejected_turns[1::2], strict=True))
    turn = 0
    while (turn < len(chosen_pairs) and turn < len(rejected_pairs)
           and chosen_pairs[turn] == rejected_pairs[turn]):
        turn += 1
    return (
        f"chosen and rejected differ before their last assistant turn (from turn {turn + 1}: "
        f"chosen has {len(chosen_pairs)} turns before its answer, rejected {len(rejected_pairs)}), "
        "so they are not two answers to one conversation"
    )
