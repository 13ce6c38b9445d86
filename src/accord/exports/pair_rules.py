"""How a preference row is decided: its source, the stored consensus, and best-vs-rest.

Kept apart from the row builder so the rules read in one place:

- ``source`` of a task (computed in :mod:`accord.core.exporting.provenance`): ``adjudicated``
  when a reviewer adjudicated it; otherwise the kind that all its annotators share
  (``human``, ``ai``, ``imported``), or ``mixed``;
- the winner of a pair: the stored consensus ranking (``task_consensus``, written by the
  quality report) when the task has one — the pair is dropped as a tie when the consensus
  puts both responses in one tie group — else the majority of the votes;
- best-vs-rest: a task's best response is the one that wins the most of its decided pairs
  (the consensus's or the ranking's first where there is one); ties go to the lower id.
"""

from __future__ import annotations

from collections import Counter

import orjson

from accord.quality.consensus import FIRST, NO_MAJORITY, SECOND


def consensus_ranks(consensus_json: str | None) -> dict[str, int] | None:
    """Response external id → its tie group's position in the stored consensus, or None."""
    if not consensus_json:
        return None
    return {rid: place for place, group in enumerate(orjson.loads(consensus_json))
            for rid in group}


def decide(outcome: int, first_ext: str, second_ext: str,
           ranks: dict[str, int] | None) -> int:
    """FIRST, SECOND or NO_MAJORITY for one pair: the consensus's verdict when there is one."""
    if ranks is None or first_ext not in ranks or second_ext not in ranks:
        return outcome
    first, second = ranks[first_ext], ranks[second_ext]
    if first == second:
        return NO_MAJORITY
    return FIRST if first < second else SECOND


def best_response(winners: list[int]) -> int:
    """The response id that won the most pairs (lowest id on a draw)."""
    wins = Counter(winners)
    return min(wins, key=lambda rid: (-wins[rid], rid))
