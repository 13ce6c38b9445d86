"""OpenAssistant message trees as K-way comparison items with their published ranking.

An oasst export line is one tree: ``{"message_tree_id", "prompt": message}``, each message
``{"message_id", "text", "role": "prompter" | "assistant", "replies": [...]}``, and replies that
were ranked by OpenAssistant's volunteers carry ``rank`` (0 best, consensus of their votes).
Every group of two or more ranked sibling assistant replies becomes one comparison task:

- prompt: the conversation from the tree's root to the replies' parent (``prompter`` →
  ``user``), which ends with a user message;
- responses: the ranked replies (unranked siblings are left out: nobody ranked them), with
  neutral ids ``a``, ``b``, … given in the order of their message ids, so the ids say nothing
  about the rank; ``model_name`` (synthetic replies) is kept as the response's model;
- task id ``oasst-`` and the parent's message id; metadata ``{"oasst": {"message_tree_id",
  "parent_id", "message_ids": {response id: message id}}}``;
- label: the ranking best first, ranks shared by several replies forming a tie group, kept
  as the source's annotation (``source_labels``).

A tree is one line, so all the groups of a tree share its line number.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from accord.core.importing import fields as check
from accord.core.importing.fields import InvalidItem
from accord.core.importing.items import MAX_RESPONSES, Item, ItemRules, Response
from accord.core.importing.records import AdaptContext, ImportRecord
from accord.core.importing.source_labels import source_label

ID_PREFIX = "oasst-"
ROLES = {"prompter": "user", "assistant": "assistant"}
RESPONSE_IDS = string.ascii_lowercase


Group = tuple[list[dict], dict, list[dict]]


def adapt(number: int, value: Any, context: AdaptContext) -> list[ImportRecord]:
    """One record per ranked group of the tree on line ``number``, each with its ranking."""
    tree_id, groups = ranked_groups(value)
    records = []
    for group in groups:
        item, ranking = oasst_item(tree_id, group, context.rules)
        labels = (source_label(context.labeller, ranking, item),) if context.labeller else ()
        records.append(ImportRecord(number, item, labels))
    return records


def ranked_groups(tree: Any) -> tuple[str, list[Group]]:
    """The tree's id and, for each ranked group, depth first: (conversation to the parent,
    parent, ranked assistant replies); ``InvalidItem`` when the tree is not an oasst tree."""
    tree = check.obj(tree, "the tree")
    root = check.obj(tree.get("prompt"), "prompt")
    return str(tree.get("message_tree_id", "")), list(_walk(root, [], "prompt"))


def _walk(message: dict, path: list[dict], where: str) -> Iterator[Group]:
    role = message.get("role")
    if role not in ROLES:
        raise InvalidItem(f'{where}.role must be "prompter" or "assistant", not {role!r}')
    text = message.get("text")
    if type(text) is not str:
        raise check.wrong_type(f"{where}.text", "a string", text)
    conversation = [*path, {"role": ROLES[role], "content": text}]
    replies = message.get("replies") or []
    ranked = [reply for reply in replies
              if type(reply) is dict and reply.get("rank") is not None
              and reply.get("role") == "assistant"]
    if role == "prompter" and len(ranked) >= 2:
        yield conversation, message, ranked
    for index, reply in enumerate(replies):
        yield from _walk(check.obj(reply, f"{where}.replies[{index}]"), conversation,
                         f"{where}.replies[{index}]")


def oasst_item(tree_id: str, group: Group, rules: ItemRules) -> tuple[Item, list[list[str]]]:
    """The comparison item of one ranked group and its ranking (tie groups, best first)."""
    conversation, parent, ranked = group
    if len(ranked) > min(rules.max_responses, MAX_RESPONSES):
        raise InvalidItem(f"{len(ranked)} ranked replies; a task holds at most {MAX_RESPONSES}")
    if rules.pairwise and len(ranked) != 2:
        raise InvalidItem(f"{len(ranked)} ranked replies need a K-way project (create it with "
                          "--ranking kway); this one is pairwise")
    by_id = sorted(ranked, key=lambda reply: str(reply.get("message_id")))
    responses, message_ids, ranks = [], {}, {}
    for response_id, reply in zip(RESPONSE_IDS, by_id, strict=False):
        rank = reply["rank"]
        if type(rank) is not int:
            raise check.wrong_type(f"rank of reply {reply.get('message_id')}", "an integer", rank)
        text = reply.get("text")
        if type(text) is not str:
            raise check.wrong_type(f"text of reply {reply.get('message_id')}", "a string", text)
        model = reply.get("model_name")
        responses.append(Response(response_id, text, model if type(model) is str else None))
        message_ids[response_id] = str(reply.get("message_id"))
        ranks[response_id] = rank
    if len({r.content for r in responses}) < len(responses):
        raise InvalidItem(f"replies to {parent.get('message_id')} repeat the same text")
    ordered = sorted(ranks, key=lambda rid: (ranks[rid], rid))
    ranking = [list(group) for _, group in groupby(ordered, key=ranks.__getitem__)]
    if len(ranking) < 2:
        raise InvalidItem(f"replies to {parent.get('message_id')} all share one rank")
    if not rules.allow_ties and len(ranking) < len(responses):
        raise InvalidItem(f"replies to {parent.get('message_id')} share a rank and the project "
                          "allows no ties")
    item = Item(
        ID_PREFIX + check.identifier(str(parent.get("message_id")), "message_id")[:200],
        "comparison",
        conversation,
        tuple(responses),
        metadata={"oasst": {"message_tree_id": tree_id,
                            "parent_id": parent.get("message_id"),
                            "message_ids": message_ids}},
    )
    return item, ranking
