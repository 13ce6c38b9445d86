"""How the quality benchmarks time a computation: the best of a few runs, with that run's CPU
time, then the peak memory of one more run.

The machine is shared, so CPU seconds are kept beside wall seconds: they move less when it is
busy. Peak memory is what ``tracemalloc`` sees allocated during a run, which includes NumPy's,
SciPy's and pandas' buffers (they report them to it) but not what was allocated before.
"""

from __future__ import annotations

import math
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class Figure:
    """One timed computation."""

    name: str
    seconds: float
    """The best wall time of the runs."""
    cpu_seconds: float
    """The CPU time of that best run."""
    peak_mib: float
    """Peak traced memory of one more run; NaN when it was not measured."""
    value: Any = None
    """What the computation returned (on its last timed run)."""
    note: str = ""


def measure(name: str, run: Callable[[], Any], repeat: int = 3, *,
            memory: bool = True) -> Figure:
    """Best wall time (and the CPU time of that run) of ``repeat`` runs, then the peak
    traced memory of one more run (skipped with ``memory=False``)."""
    best, cpu, value = math.inf, math.inf, None
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        value = run()
        seconds = time.perf_counter() - start
        if seconds < best:
            best, cpu = seconds, time.process_time() - cpu_start
    peak = math.nan
    if memory:
        tracemalloc.start()
        try:
            run()
            peak = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
    return Figure(name, best, cpu, peak, value)


def show(figures: list[Figure], width: int = 58) -> None:
    """A table of the figures: seconds, CPU seconds, peak MiB and the note of each."""
    print(f"  {'':{width}s} {'seconds':>8s} {'CPU s':>7s} {'peak MiB':>9s}")
    for f in figures:
        peak = "" if math.isnan(f.peak_mib) else f"{f.peak_mib:9.0f}"
        print(f"  {f.name:{width}s} {f.seconds:8.3f} {f.cpu_seconds:7.3f} {peak:>9s}"
              + (f"  {f.note}" if f.note else ""))
