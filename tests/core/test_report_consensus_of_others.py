"""Each vote against the consensus of the other votes on its pair
(``core.report.consensus_of_others``), checked against a plain count of the others' votes."""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core.report.arrays import OUTCOME_FIRST, OUTCOME_SECOND, OUTCOME_TIE
from accord.core.report.consensus_of_others import agreement_with_others
from accord.core.report.pairs import PairItems
from accord.quality.reliability.pairs import pair_index, pair_order


def items_of(task: list[int], first: list[int], second: list[int]) -> PairItems:
    """The pair items of the votes, numbered as ``report.pairs.pair_items`` numbers them."""
    t, f, s = (np.asarray(values, dtype=np.int64) for values in (task, first, second))
    order = pair_order(t, f, s)
    item, heads = pair_index(order)
    return PairItems(item, t[heads], f[heads], s[heads], order)


def others_consensus(votes: list[tuple[int, int, int, int]], i: int) -> int | None:
    """The outcome most of the other votes on vote ``i``'s pair gave, None without one."""
    pair = votes[i][:3]
    counts = Counter(v[3] for j, v in enumerate(votes) if j != i and v[:3] == pair)
    ranked = counts.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def compare(votes: list[tuple[int, int, int, int]]):
    task, first, second, outcome = (list(column) for column in zip(*votes, strict=True))
    return agreement_with_others(items_of(task, first, second),
                                 np.asarray(outcome, dtype=np.int8))


def test_a_vote_is_compared_with_the_others_and_never_with_itself():
    a, b = OUTCOME_FIRST, OUTCOME_SECOND
    votes = [
        (0, 1, 2, a),                                   # alone on its pair
        (1, 3, 4, a), (1, 3, 4, a), (1, 3, 4, b),       # two against one
        (2, 5, 6, a), (2, 5, 6, OUTCOME_TIE),           # one against one
    ]

    found = compare(votes)

    # the two who agree each see the others split one to one, so neither is compared; the
    # dissenter sees two who agree, and is compared and disagrees
    assert found.compared.tolist() == [False, False, False, True, True, True]
    assert not found.agrees.any()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 2)),
                min_size=1, max_size=60))
def test_every_vote_is_compared_as_a_count_of_the_others_says(drawn):
    # (task, pair, outcome); a pair p is the responses (2p, 2p + 1) of its task
    votes = [(task, 2 * pair, 2 * pair + 1, outcome) for task, pair, outcome in drawn]

    found = compare(votes)

    expected = [others_consensus(votes, i) for i in range(len(votes))]
    assert found.compared.tolist() == [e is not None for e in expected]
    assert found.agrees.tolist() == [e is not None and e == v[3]
                                     for e, v in zip(expected, votes, strict=True)]
