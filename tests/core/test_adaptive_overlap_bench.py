"""``bench/adaptive_overlap.py`` on a small slice of the real crowd data: it replays the
workers' labels through the claim and submit engine, fixed overlaps take exactly their
number of judgments, adaptive ones something between min and max, the consensus is
compared with the ground truth, and the same seed gives the same figures."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "adaptive_overlap.py"
ITEMS = 24


@pytest.fixture
def bench(monkeypatch, shared_data):
    spec = importlib.util.spec_from_file_location("adaptive_overlap_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "adaptive_overlap_bench", module)
    spec.loader.exec_module(module)
    assert shared_data == module.DATA
    return module


def test_a_class_label_is_a_ranking_with_the_chosen_class_first(bench):
    assert bench.ranking_for(2, 4) == [["label-2"], ["label-0", "label-1", "label-3"]]
    assert bench.ranking_for(0, 2) == [["label-0"], ["label-1"]]


def test_the_sets_load_with_their_published_shapes(bench):
    shapes = {key: (len(c.labels), c.classes, max(len(by) for by in c.labels.values()))
              for key, c in ((k, bench.LOADERS[k]()) for k in ("dog", "face", "duck", "rte"))}
    assert shapes == {"dog": (807, 4, 10), "face": (584, 4, 9), "duck": (108, 2, 39),
                      "rte": (800, 2, 10)}


def test_a_slice_replays_through_accord_and_scores_against_the_truth(bench):
    policies = tuple(p for p in bench.POLICIES
                     if p.name in ("fixed 3", "fixed 5", "adaptive 2-5, unanimous",
                                   "adaptive 2-5, confidence 0.9"))
    results = bench.run(["dog", "rte"], ITEMS, seed=3, policies=policies)
    assert set(results) == {"s4_Dog", "RTE"}
    for by_policy in results.values():
        assert by_policy["fixed 3"].judgments == 3 * ITEMS
        assert by_policy["fixed 5"].judgments == 5 * ITEMS
        for name in ("adaptive 2-5, unanimous", "adaptive 2-5, confidence 0.9"):
            assert 2 * ITEMS <= by_policy[name].judgments <= 5 * ITEMS
        for outcome in by_policy.values():
            assert outcome.items == ITEMS and outcome.undecided == 0
            # Far above chance (1/4 and 1/2): the label reached the consensus the right way up.
            assert outcome.accuracy >= 0.7
    again = bench.run(["rte"], ITEMS, seed=3, policies=policies)
    assert again["RTE"] == results["RTE"]


def test_the_goal_needs_the_saving_and_the_accuracy_both(bench):
    outcome = bench.Outcome
    fixed = outcome(judgments=500, correct=80, items=100, undecided=0)
    assert bench.goal_met({"fixed 5": fixed, "adaptive a": outcome(350, 80, 100, 0)}) == \
        (True, "adaptive a")
    assert bench.goal_met({"fixed 5": fixed, "adaptive a": outcome(351, 90, 100, 0)}) == \
        (False, None)
    assert bench.goal_met({"fixed 5": fixed, "adaptive a": outcome(300, 79, 100, 0)}) == \
        (False, None)
