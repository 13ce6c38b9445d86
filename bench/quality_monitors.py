"""How long each quality monitor takes over a million annotations, and how much it allocates.

    .venv/bin/python bench/quality_monitors.py              # 200,000 items x 5 annotators
    .venv/bin/python bench/quality_monitors.py 50000        # other item counts

The data: ``items`` pairwise comparison items, each judged by 5 annotators drawn from a pool
of 500, each annotation one pairwise outcome with its submission time, active time,
agreement with consensus, response lengths and display positions; benign flags and refusal
choices; two consented profile attributes. The arrays are built first, outside the timing,
as the report layer would hand them over. Each monitor runs three times; ``seconds`` is the
best run, ``peak_mib`` the most it allocated above its inputs (``tracemalloc`` sees NumPy's
buffers). Never part of the timed test suite.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

from accord.quality.monitors import (
    cost,
    diversity,
    fatigue,
    length_bias,
    over_refusal,
    position_bias,
    staleness,
)
from quality_timing import measure

POOL = 500
PER_ITEM = 5
NOW = np.datetime64("2025-06-30T12:00:00", "s")


def build(items: int, seed: int = 1) -> dict[str, np.ndarray]:
    """One row per annotation, grouped by nothing in particular (rows are shuffled)."""
    rng = np.random.default_rng(seed)
    spread = np.arange(PER_ITEM) * (POOL // PER_ITEM - 3)  # five distinct annotators per item
    annotator = ((rng.integers(0, POOL, items)[:, None] + spread) % POOL).reshape(-1)
    n = len(annotator)
    item = np.repeat(np.arange(items), PER_ITEM)
    active_ms = np.round(rng.lognormal(np.log(40_000.0), 0.5, n))
    pause = rng.exponential(5.0, n) + np.where(rng.random(n) < 0.01, 3_600.0, 0.0)
    order = np.argsort(annotator, kind="stable")
    step = (active_ms / 1000.0 + pause)[order]
    clock = np.cumsum(step)
    first = np.r_[0, np.flatnonzero(np.diff(annotator[order])) + 1]
    counts = np.diff(np.r_[first, n])
    clock -= np.repeat(clock[first] - step[first], counts)  # each annotator's clock from 0
    seconds = np.empty(n)
    seconds[order] = clock
    created = NOW - np.timedelta64(200, "D") + (seconds * 1000).astype("timedelta64[ms]")
    lengths = rng.lognormal(np.log(800.0), 0.6, size=(items, 2))[item]
    winner = rng.integers(0, 2, n)
    shown_first = rng.integers(0, 2, n)
    rates = rng.uniform(12.0, 40.0, POOL)
    return {
        "annotator": annotator, "item": item, "created_at": created, "active_ms": active_ms,
        "agrees": rng.random(n) < 0.8, "tie": rng.random(n) < 0.05,
        "winner_length": lengths[np.arange(n), winner],
        "loser_length": lengths[np.arange(n), 1 - winner],
        "winner_first": winner == shown_first,
        "benign": rng.random(n) < 0.7, "refused": rng.random(n) < 0.05,
        "category": rng.integers(0, 6, n), "pay_rate": rates,
        "consented": rng.random(POOL) < 0.7,
        "region": np.array(["africa", "americas", "asia", "europe", "oceania"])[
            rng.integers(0, 5, POOL)],
        "age_band": np.array(["18-29", "30-44", "45-64", "65+"])[rng.integers(0, 4, POOL)],
    }


def monitors(d: dict[str, np.ndarray]) -> dict[str, Callable[[], Any]]:
    winner_position = np.where(d["winner_first"], 0, 1)
    return {
        "fatigue": lambda: fatigue(d["annotator"], d["created_at"], d["active_ms"],
                                   d["agrees"], n_annotators=POOL),
        "length_bias": lambda: length_bias(
            d["annotator"], d["winner_length"], d["loser_length"], tie=d["tie"],
            winner_first=d["winner_first"], pair=d["item"], n_annotators=POOL),
        "position_bias": lambda: position_bias(
            d["annotator"], winner_position, 1 - winner_position, tie=d["tie"],
            n_annotators=POOL),
        "over_refusal": lambda: over_refusal(d["annotator"], d["benign"], d["refused"],
                                             n_annotators=POOL),
        "staleness": lambda: staleness(d["created_at"], NOW),
        "diversity": lambda: diversity(
            d["annotator"], {"region": d["region"].tolist(), "age_band": d["age_band"].tolist()},
            d["consented"]),
        "cost": lambda: cost(d["annotator"], d["active_ms"], d["pay_rate"],
                             category=d["category"], accepted_pairs=len(d["item"]) // 5,
                             budget=1e6, planned_annotations=2 * len(d["annotator"])),
    }


def main(items: int) -> None:
    data = build(items)
    rows = []
    for name, run in monitors(data).items():
        f = measure(name, run)
        rows.append({"monitor": name, "seconds": round(f.seconds, 4),
                     "cpu_seconds": round(f.cpu_seconds, 4), "peak_mib": round(f.peak_mib, 1),
                     "alerts": len(f.value.alerts)})
    total = sum(r["seconds"] for r in rows)
    total_cpu = sum(r["cpu_seconds"] for r in rows)
    print(json.dumps({"annotations": len(data["annotator"]), "annotators": POOL,
                      "monitors": rows, "total_seconds": round(total, 3),
                      "total_cpu_seconds": round(total_cpu, 3)}, indent=1))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
