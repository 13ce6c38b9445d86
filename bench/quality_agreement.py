"""How fast Accord's agreement statistics run at project scale, beside the reference libraries.

Synthetic data: 200,000 items x 5 annotators (1,000,000 judgments) drawn from a pool of 500,
3 categories; each item has a true category that each annotator reports with probability
0.7 (otherwise a uniformly random category). Every figure is timed as the best of a few runs
(wall clock, ``time.perf_counter``) and, in a separate run, its peak Python-heap memory
(``tracemalloc``, which sees NumPy's allocations).

The references: statsmodels' ``fleiss_kappa`` on the count table, the ``krippendorff``
package on the annotators x items matrix it requires (and on the count table), scikit-learn's
``cohen_kappa_score`` pair by pair (timed on a sample of pairs, then scaled to all pairs),
and, for the bootstrap, each reference called on the same 200 resampled count tables as
Accord's, so that the intervals must agree.

Run by hand: ``.venv/bin/python bench/quality_agreement.py [--items N] [--skip-dense]``.
Never part of the timed test suite.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable

import numpy as np

from accord.quality.agreement import (
    FleissKappa,
    Judgments,
    KrippendorffAlpha,
    MeanPairwiseCohen,
    bootstrap_ci,
    by_group,
    category_counts,
    fleiss_kappa,
    krippendorff_alpha,
    pairwise_cohen,
    percent_agreement,
)
from accord.quality.agreement.bootstrap import resample_draws
from quality_timing import Figure, measure, show

RATERS, POOL, CATEGORIES, ACCURACY = 5, 500, 3, 0.7
RESAMPLES, SEED = 200, 0
COHEN_SAMPLE = 300
"""Annotator pairs for which scikit-learn's κ is timed (all pairs would take minutes)."""


def synthetic(n_items: int, seed: int = 7) -> Judgments:
    rng = np.random.default_rng(seed)
    raters = rng.integers(0, POOL, (n_items, RATERS))
    while True:  # redraw the items where one annotator came up twice
        ordered = np.sort(raters, axis=1)
        repeated = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
        if not repeated.any():
            break
        raters[repeated] = rng.integers(0, POOL, (int(repeated.sum()), RATERS))
    truth = rng.integers(0, CATEGORIES, n_items)
    correct = rng.random((n_items, RATERS)) < ACCURACY
    labels = np.where(correct, truth[:, None], rng.integers(0, CATEGORIES, (n_items, RATERS)))
    return Judgments.from_arrays(np.repeat(np.arange(n_items), RATERS), raters.reshape(-1),
                                 labels.reshape(-1), n_items=n_items, n_annotators=POOL,
                                 n_categories=CATEGORIES)


def accord_figures(j: Judgments) -> list[Figure]:
    def fresh() -> Judgments:  # counts are cached on a Judgments: time them every run
        return Judgments.unchecked(j.item, j.annotator, j.value, j.n_items, j.n_annotators,
                                   j.n_categories)

    groups = np.arange(j.n_items) % 7
    counts = category_counts(j).astype(np.float64)
    return [
        measure("Judgments.from_arrays (validation)", lambda: Judgments.from_arrays(
            j.item, j.annotator, j.value, n_items=j.n_items, n_annotators=j.n_annotators,
            n_categories=j.n_categories) and None),
        measure("Fleiss kappa (from judgments)", lambda: fleiss_kappa(fresh())),
        measure("Fleiss kappa (from counts)", lambda: fleiss_kappa(counts)),
        measure("Krippendorff alpha nominal", lambda: krippendorff_alpha(fresh())),
        measure("Krippendorff alpha ordinal", lambda: krippendorff_alpha(fresh(), "ordinal")),
        measure("Krippendorff alpha interval", lambda: krippendorff_alpha(fresh(), "interval")),
        measure("Krippendorff alpha ratio", lambda: krippendorff_alpha(fresh(), "ratio")),
        measure("percent agreement", lambda: percent_agreement(fresh())),
        measure("pairwise Cohen (all pairs, mean)", lambda: pairwise_cohen(fresh()).mean),
        measure(f"bootstrap {RESAMPLES}: Krippendorff nominal", lambda: tuple(bootstrap_ci(
            KrippendorffAlpha(), fresh(), RESAMPLES, seed=SEED)), repeat=2),
        measure(f"bootstrap {RESAMPLES}: Fleiss kappa", lambda: tuple(bootstrap_ci(
            FleissKappa(), fresh(), RESAMPLES, seed=SEED)), repeat=2),
        measure(f"bootstrap {RESAMPLES}: mean pairwise Cohen", lambda: tuple(bootstrap_ci(
            MeanPairwiseCohen(), fresh(), RESAMPLES, seed=SEED)), repeat=1),
        measure("by_group (7 groups): Krippendorff nominal", lambda: by_group(
            KrippendorffAlpha(), fresh(), groups)[0]),
    ]


def reference_figures(j: Judgments, skip_dense: bool) -> list[Figure]:
    import krippendorff
    from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss_kappa

    counts = category_counts(j).astype(np.float64)
    figures = [
        measure("statsmodels fleiss_kappa (from counts)",
                lambda: statsmodels_fleiss_kappa(counts)),
        measure("krippendorff.alpha nominal (from counts)",
                lambda: krippendorff.alpha(value_counts=counts, level_of_measurement="nominal")),
    ]
    if not skip_dense:
        def dense() -> float:
            matrix = np.full((j.n_annotators, j.n_items), np.nan)
            matrix[j.annotator, j.item] = j.value
            return krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")

        figures.append(measure("krippendorff.alpha nominal (dense matrix)", dense, repeat=1))
    figures.append(_scikit_learn_pairs(j))
    figures += _reference_bootstraps(j, counts, statsmodels_fleiss_kappa, krippendorff.alpha)
    return figures


def _scikit_learn_pairs(j: Judgments) -> Figure:
    """scikit-learn's κ on a sample of pairs, timed and scaled to every pair; the value is
    the largest difference from Accord's κ on the sampled pairs."""
    from sklearn.metrics import cohen_kappa_score

    ours = pairwise_cohen(j)
    rng = np.random.default_rng(1)
    sample = rng.choice(len(ours), size=min(COHEN_SAMPLE, len(ours)), replace=False)
    label_of = {(int(i), int(a)): int(v) for i, a, v in zip(j.item, j.annotator, j.value,
                                                              strict=True)}
    items_of: dict[int, set[int]] = {}
    for i, a in label_of:
        items_of.setdefault(a, set()).add(i)
    start, worst = time.perf_counter(), 0.0
    for k in sample:
        a, b = int(ours.annotator_a[k]), int(ours.annotator_b[k])
        shared = sorted(items_of[a] & items_of[b])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kappa = cohen_kappa_score([label_of[i, a] for i in shared],
                                      [label_of[i, b] for i in shared],
                                      labels=list(range(CATEGORIES)))
        worst = max(worst, abs(kappa - ours.kappa[k]))
    scaled = (time.perf_counter() - start) / len(sample) * len(ours)
    return Figure(f"scikit-learn per pair (x{len(ours)} pairs, scaled)", scaled,
                  cpu_seconds=float("nan"), peak_mib=float("nan"),
                  value=f"max |diff| on {len(sample)} pairs {worst:.1e}")


def _reference_bootstraps(j: Judgments, counts: np.ndarray, fleiss, alpha) -> list[Figure]:
    """Each reference on the very resamples Accord draws for the seed (same intervals)."""
    def interval(statistic: Callable[[np.ndarray], float]) -> tuple[float, float]:
        values = []
        for draws in resample_draws(j.n_items, RESAMPLES, np.random.default_rng(SEED)):
            values.extend(statistic(counts[drawn]) for drawn in draws)
        low, high = np.quantile(values, [0.025, 0.975])
        return float(low), float(high)

    return [
        measure(f"bootstrap {RESAMPLES}: statsmodels fleiss_kappa", lambda: interval(fleiss),
                repeat=1),
        measure(f"bootstrap {RESAMPLES}: krippendorff.alpha (counts)", lambda: interval(
            lambda c: alpha(value_counts=c, level_of_measurement="nominal")), repeat=1),
    ]


def with_values(figures: list[Figure]) -> list[Figure]:
    """The figures, each noting the value it computed (intervals as pairs)."""
    for f in figures:
        value = f.value
        if isinstance(value, float | np.floating):
            value = f"{value:.10f}"
        elif isinstance(value, tuple):
            value = "(" + ", ".join(f"{v:.10f}" for v in value) + ")"
        f.note = str(value)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--skip-dense", action="store_true",
                        help="skip the krippendorff package on the dense matrix (about 1 GB)")
    args = parser.parse_args()
    judgments = synthetic(args.items)
    print(f"{len(judgments):,} judgments: {judgments.n_items:,} items x {RATERS} annotators "
          f"from a pool of {POOL}, {CATEGORIES} categories\n")
    print("Accord")
    show(with_values(accord_figures(judgments)), width=52)
    print("\nReference libraries")
    show(with_values(reference_figures(judgments, args.skip_dense)), width=52)


if __name__ == "__main__":
    main()
