"""``bench/active_selection.py`` runs end to end on a slice of hh-rlhf, and its figures are
the same on every run (seeded splits, orders and heads; embeddings computed once)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "active_selection.py"
pytestmark = pytest.mark.slow


def load_bench(monkeypatch):
    """The script as a module (``bench/`` is no package), registered while the test runs,
    as its dataclasses need."""
    spec = importlib.util.spec_from_file_location("active_selection", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "active_selection", module)
    spec.loader.exec_module(module)
    return module


def test_the_bench_prints_each_strategy_at_each_budget_the_same_every_run(
        capsys, monkeypatch, tmp_path):
    bench = load_bench(monkeypatch)
    # ../shared sits beside the project in CI too: missing data is a failure, not a skip
    assert bench.DATA.is_file(), f"the hh-rlhf data is not at {bench.DATA}"
    argv = ["--limit", "120", "--budgets", "30,60", "--seeds", "2",
            "--cache", str(tmp_path / "embeddings.npz")]
    bench.main(argv)
    first = capsys.readouterr().out
    assert (tmp_path / "embeddings.npz").is_file()
    bench.main(argv)  # from the cached embeddings
    assert capsys.readouterr().out == first
    rows = {line.split()[0]: re.findall(r"(\d\.\d{3}) ± (\d\.\d{3})", line)
            for line in first.splitlines() if line.startswith(("random", "reward-model"))}
    assert set(rows) == {"random", "reward-model"}
    assert all(len(cells) == 2 for cells in rows.values())
    assert "left out: judge:" in first and "left out: uncertainty:" in first


def test_the_reward_model_strategy_labels_the_smallest_margins_after_its_start(monkeypatch):
    bench = load_bench(monkeypatch)
    rng = np.random.default_rng(0)
    pool = rng.normal(size=(300, 8)).astype(np.float32)
    order = rng.permutation(300)
    chosen = bench.choose_by_reward_model(pool, order, 100, seed=0)
    assert len(chosen) == len(set(chosen.tolist())) == 100
    assert chosen[:bench.START].tolist() == order[:bench.START].tolist()
    head = bench.train_head(pool[chosen[:bench.START]], 0)
    rest = np.setdiff1d(np.arange(300), chosen[:bench.START])
    smallest = rest[np.argsort(np.abs(head.margin(pool[rest])), kind="stable")][:bench.BATCH]
    assert set(chosen[bench.START:bench.START + bench.BATCH].tolist()) == set(smallest.tolist())
