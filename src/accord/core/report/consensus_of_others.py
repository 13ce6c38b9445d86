"""Each vote against the consensus of the *other* votes on its pair: what "agrees with
consensus" means in the report.

A vote never counts toward the consensus it is compared with. Comparing an annotator with a
consensus their own vote helped make rewards them for agreeing with themselves, and on a
pair nobody else judged (a project with overlap 1, or a task an AI judge settled and one
person then ranked) there is nothing to compare with at all: the comparison would only say
how a model of the pool reads a lone vote. So, per pairwise outcome:

- the *others* are the votes the report counts on the same (task, response pair), the
  outcome's own left out; an annotator votes once per pair, so they are the other
  annotators;
- their consensus is the outcome (first preferred, second preferred, or a tie) given by
  strictly more of them than each other outcome, the rule the judge audit uses for the
  people's consensus (``core.judging.judge_audit``); pairs where no one else voted, or where
  the others split evenly, have none, and the outcome is not *compared*;
- the outcome *agrees* when it is compared and equals that consensus.

The counts are one ``bincount`` over (pair, outcome), so this stays linear in the outcomes
and never builds an annotators x pairs matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.core.report.arrays import OUTCOME_FIRST, OUTCOME_SECOND, OUTCOME_TIE
from accord.core.report.pairs import PairItems

N_OUTCOMES = len((OUTCOME_FIRST, OUTCOME_SECOND, OUTCOME_TIE))


@dataclass(frozen=True)
class OthersAgreement:
    """Per pairwise outcome, in the order of the outcomes."""

    compared: NDArray[np.bool_]
    """Whether the other votes on its pair have a consensus to compare it with."""
    agrees: NDArray[np.bool_]
    """Whether it equals that consensus (false where it was not compared)."""


def agreement_with_others(pairs: PairItems, outcome: NDArray[np.int8]) -> OthersAgreement:
    """Each outcome against the consensus of the other votes on its pair (module notes);
    ``pairs`` are the outcomes' pair items.

    What a vote finds depends only on its pair and its own outcome, so both answers are
    worked out once per (pair, outcome), on arrays a pair long, and read per vote.
    """
    code = outcome.astype(np.int64)
    if len(code) != len(pairs.item):
        raise ValueError(f"{len(code)} outcomes for {len(pairs.item)} pair items")
    cell = pairs.item * N_OUTCOMES + code
    counts = np.bincount(cell, minlength=pairs.n_items * N_OUTCOMES).reshape(-1, N_OUTCOMES)
    columns = [np.ascontiguousarray(counts[:, k]) for k in range(N_OUTCOMES)]
    compared = np.empty((pairs.n_items, N_OUTCOMES), dtype=bool)
    agrees = np.empty((pairs.n_items, N_OUTCOMES), dtype=bool)
    for own in range(N_OUTCOMES):
        # one column at a time: NumPy is slow along a short axis of three
        others = [column - 1 if k == own else column for k, column in enumerate(columns)]
        top = np.maximum(np.maximum(others[0], others[1]), others[2])
        at_top = sum((column == top).view(np.int8) for column in others)
        compared[:, own] = (top > 0) & (at_top == 1)
        agrees[:, own] = compared[:, own] & (others[own] == top)
    return OthersAgreement(compared=compared.reshape(-1)[cell], agrees=agrees.reshape(-1)[cell])
