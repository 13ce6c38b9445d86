"""Where a task's exported label comes from, so that AI and human labels never blur.

A task's label is, in this order of precedence:

- ``ai_judge``: the project's AI judge settled it (``task_consensus.method = 'ai_judge'``,
  see ``core.judging.hybrid``); the label is that judge's ranking, and no person's;
- ``adjudicated``: a reviewer decided it (``task_consensus.method = 'adjudicated'``);
- ``human``: people of kind ``human`` judged it; AI judges' verdicts on the same task are
  kept beside the label (for the audit), never counted in it;
- ``imported``: the labels came with a data set (kind ``imported``);
- ``mixed``: both people and imported labels, and they are counted together;
- ``ai``: only AI judges judged it and none settled it (an AlpacaEval import, say).
"""

from __future__ import annotations

from collections.abc import Collection


def label_source(annotator_kinds: Collection[str], consensus_method: str | None,
                 adjudicated: bool = False) -> str | None:
    """The source of a task's label from the kinds of its annotators and its stored
    consensus method; None for a task nobody has judged."""
    if consensus_method == "ai_judge":
        return "ai_judge"
    if adjudicated or consensus_method == "adjudicated":
        return "adjudicated"
    people = set(annotator_kinds) - {"ai"}
    if people == {"human"}:
        return "human"
    if people == {"imported"}:
        return "imported"
    if people:
        return "mixed"
    return "ai" if annotator_kinds else None

