"""Annotator reliability: who labels well, and what the items' true labels probably are.

- :func:`dawid_skene` and :func:`one_coin`: EM estimates of per-annotator confusion
  matrices (or single accuracies) and of every item's posterior (Dawid & Skene 1979).
- :func:`majority_vote`: the baseline the EM fits start from.
- :func:`gold_accuracy`: each annotator's share correct on items with a known answer.
- :func:`pair_reliability`: the same models over pairwise outcomes, each (task, pair) an item
  with two classes (first or second preferred) or three (with ties): a reliability-weighted
  winner of every pair, with its posterior as confidence.

All take long parallel arrays (one entry per judgment) and work on sparse counts: nothing
here builds an annotators x items matrix.
"""

from accord.quality.reliability.dawid_skene import dawid_skene, one_coin
from accord.quality.reliability.em import Reliability
from accord.quality.reliability.gold import GoldAccuracy, gold_accuracy
from accord.quality.reliability.majority import MajorityVote, majority_vote
from accord.quality.reliability.pairs import (
    FIRST_PREFERRED,
    SECOND_PREFERRED,
    TIE,
    PairReliability,
    pair_reliability,
)

__all__ = [
    "FIRST_PREFERRED",
    "SECOND_PREFERRED",
    "TIE",
    "GoldAccuracy",
    "MajorityVote",
    "PairReliability",
    "Reliability",
    "dawid_skene",
    "gold_accuracy",
    "majority_vote",
    "one_coin",
    "pair_reliability",
]
