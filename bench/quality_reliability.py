"""Speed, peak memory and accuracy of annotator reliability and Bradley-Terry ratings.

Synthetic crowd: 200,000 items x 5 distinct annotators drawn from a pool of 500 (1,000,000
judgments), binary and 3-class, with planted per-annotator confusion matrices (accuracy
uniform in [0.5, 0.95], errors split at random between the other classes). On the same
judgments it times Accord's Dawid-Skene, one-coin and majority vote against crowd-kit's
``DawidSkene`` with the same iteration budget, and scores each against the planted truth.

Then 1,000,000 comparisons among 20 models of planted strengths (10% ties): aggregating them
to the model-pair count table, the Bradley-Terry fit on it, the fit with 1,000 bootstrap
replicates; and per-task rank aggregation of 50,000 tasks x 4 responses x 3 annotators
(900,000 pairwise outcomes).

Time is the best of ``--repeat`` runs; peak memory is measured in a separate run under
``tracemalloc`` (NumPy, SciPy and pandas report their buffers to it). Run by hand:
``.venv/bin/python bench/quality_reliability.py [--classes 2 3] [--repeat 3]``.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from crowdkit.aggregation import DawidSkene
from scipy.special import expit

from accord.quality.ranking import model_ratings, pair_counts, rank_responses
from accord.quality.reliability import dawid_skene, majority_vote, one_coin
from quality_timing import measure

N_ITEMS, PER_ITEM, POOL = 200_000, 5, 500
N_COMPARISONS, N_MODELS = 1_000_000, 20
MAX_ITER = 100


def crowd(n_classes: int, seed: int = 0):
    """(item, annotator, label, truth) of the synthetic crowd described above."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_classes, N_ITEMS)
    accuracy = rng.uniform(0.5, 0.95, POOL)
    errors = rng.dirichlet(np.ones(n_classes - 1), size=(POOL, n_classes))
    confusion = np.empty((POOL, n_classes, n_classes))
    for k in range(n_classes):
        others = [c for c in range(n_classes) if c != k]
        confusion[:, k, k] = accuracy
        confusion[:, k, others] = (1 - accuracy)[:, None] * errors[:, k]
    annotator = np.concatenate([
        np.argpartition(rng.random((min(20_000, N_ITEMS - s), POOL)), PER_ITEM, axis=1)
        [:, :PER_ITEM] for s in range(0, N_ITEMS, 20_000)]).reshape(-1)
    item = np.repeat(np.arange(N_ITEMS), PER_ITEM)
    cumulative = confusion[annotator, truth[item]].cumsum(axis=1)
    label = np.minimum((rng.random(len(item))[:, None] > cumulative).sum(axis=1), n_classes - 1)
    return item, annotator, label, truth


def reliability(n_classes: int, repeat: int) -> None:
    item, annotator, label, truth = crowd(n_classes)
    frame = pd.DataFrame({"task": item, "worker": annotator, "label": label})

    def crowd_kit():
        model = DawidSkene(n_iter=MAX_ITER)
        labels = model.fit_predict(frame).sort_index().to_numpy()
        return labels, len(model.loss_history_)

    runs = {
        "accord dawid_skene": lambda: dawid_skene(item, annotator, label, max_iter=MAX_ITER),
        "accord one_coin": lambda: one_coin(item, annotator, label, max_iter=MAX_ITER),
        "accord majority_vote": lambda: majority_vote(item, annotator, label),
        "crowd-kit DawidSkene": crowd_kit,
    }
    print(f"\n{len(item):,} judgments, {N_ITEMS:,} items, {POOL} annotators, "
          f"{n_classes} classes")
    print(f"{'method':24} {'seconds':>8} {'CPU s':>7} {'peak MiB':>9} {'accuracy':>9} "
          f"{'steps':>6}")
    for name, run in runs.items():
        f = measure(name, run, repeat if "crowd" not in name else 1)
        if isinstance(f.value, tuple):
            labels, steps = f.value
        else:
            labels, steps = f.value.labels, getattr(f.value, "iterations", "")
        print(f"{name:24} {f.seconds:8.3f} {f.cpu_seconds:7.3f} {f.peak_mib:9.0f} "
              f"{(labels == truth).mean():9.5f} {steps:>6}")


def comparisons(seed: int = 0):
    """1M comparisons among 20 models of planted strengths, 10% ties."""
    rng = np.random.default_rng(seed)
    strengths = np.linspace(-1.5, 1.5, N_MODELS)
    a = rng.integers(0, N_MODELS, N_COMPARISONS)
    b = (a + rng.integers(1, N_MODELS, N_COMPARISONS)) % N_MODELS
    first = rng.random(N_COMPARISONS) < expit(strengths[a] - strengths[b])
    outcome = np.where(rng.random(N_COMPARISONS) < 0.1, 2, np.where(first, 0, 1))
    return a, b, outcome


def task_outcomes(n_tasks: int = 50_000, responses: int = 4, annotators: int = 3, seed: int = 1):
    """Every annotator's full pairwise comparison of every task's responses."""
    rng = np.random.default_rng(seed)
    quality = rng.normal(size=(n_tasks, responses))
    pairs = np.array([(i, j) for i in range(responses) for j in range(i + 1, responses)])
    task = np.repeat(np.arange(n_tasks), len(pairs) * annotators)
    i = np.tile(np.repeat(pairs[:, 0], annotators), n_tasks)
    j = np.tile(np.repeat(pairs[:, 1], annotators), n_tasks)
    first_wins = rng.random(len(task)) < expit(quality[task, i] - quality[task, j])
    first, second = task * responses + i, task * responses + j
    return task, first, second, np.where(first_wins, 0, 1)


def rankings(repeat: int) -> None:
    a, b, outcome = comparisons()
    counts = pair_counts(a, b, outcome)
    print(f"\nBradley-Terry: {N_COMPARISONS:,} comparisons, {N_MODELS} models, "
          f"{len(counts)} model pairs")
    runs = {
        "pair_counts (aggregate)": lambda: pair_counts(a, b, outcome),
        "model_ratings, no bootstrap": lambda: model_ratings(counts, n_bootstrap=0),
        "model_ratings, 1000 bootstrap": lambda: model_ratings(counts, n_bootstrap=1000),
    }
    for name, run in runs.items():
        f = measure(name, run, repeat)
        print(f"{name:32} {f.seconds:8.3f} s ({f.cpu_seconds:.3f} s CPU) {f.peak_mib:7.1f} MiB")
    result = f.value
    order = np.argsort(result.rating)
    print("planted order recovered:", bool((order == np.arange(N_MODELS)).all()),
          f"| widest 95% interval: {np.max(result.upper - result.lower):.1f} points")
    task, first, second, outcome = task_outcomes()
    for method in ("bradley_terry", "copeland"):
        f = measure(method, lambda m=method: rank_responses(task, first, second, outcome,
                                                            method=m), repeat)
        print(f"rank_responses {method:17} {f.seconds:8.3f} s ({f.cpu_seconds:.3f} s CPU) "
              f"{f.peak_mib:7.1f} MiB ({len(task):,} outcomes, 50,000 tasks)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, nargs="+", default=[2, 3])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    for n_classes in options.classes:
        reliability(n_classes, options.repeat)
    rankings(options.repeat)


if __name__ == "__main__":
    main()
