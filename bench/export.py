"""Export throughput for 1,000,000 preference pairs, to JSONL and Parquet, with peak memory.

Reuses ``bench/export_speed.py``'s builder (complete pairwise tasks, three random votes each,
bulk-inserted into SQLite) and its child-process measurement (peak RSS is the export's
alone). The number of tasks that yields the wanted pairs is found from a small calibration
database (some random votes tie and yield no pair); memory is checked for flatness by
exporting a quarter of the pairs as well. Targets: at least 100,000 pairs/s, and a peak RSS
that does not grow with the project.

Run by hand: ``.venv/bin/python bench/export.py [PAIRS]`` (default 1,000,000). Never part of
the timed test suite.
"""

from __future__ import annotations

import math
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_speed import measure  # the sibling module, found through sys.path

CALIBRATION_TASKS = 20_000
TARGET_PAIRS_PER_S = 100_000


def tasks_for(pairs: int, workdir: Path) -> int:
    """How many tasks give about ``pairs`` decided pairs (random votes sometimes tie)."""
    calibration = measure(CALIBRATION_TASKS, workdir, "jsonl", repeat=1)
    return math.ceil(pairs * CALIBRATION_TASKS / calibration["pairs"])


def main(argv: list[str]) -> None:
    wanted = int(argv[0]) if argv else 1_000_000
    with tempfile.TemporaryDirectory() as name:
        workdir = Path(name)
        n_tasks = tasks_for(wanted, workdir)
        peaks: dict[tuple[int, str], float] = {}
        for size in (n_tasks // 4, n_tasks):
            for file_format in ("jsonl", "parquet"):
                r = measure(size, workdir, file_format)
                peaks[size, file_format] = r["peak_rss_mb"]
                verdict = "meets" if r["pairs_per_s"] >= TARGET_PAIRS_PER_S else "misses"
                print(f"{r['pairs']:>9,} pairs ({size:,} tasks) -> {file_format:>7}: "
                      f"{r['seconds']:.2f} s = {r['pairs_per_s']:,.0f} pairs/s ({verdict} "
                      f"{TARGET_PAIRS_PER_S:,}/s; {r['cpu_seconds']:.2f} s CPU); peak RSS "
                      f"{r['peak_rss_mb']:.0f} MB ({r['rss_before_mb']:.0f} MB before "
                      "exporting)", flush=True)
        for file_format in ("jsonl", "parquet"):
            small, large = peaks[n_tasks // 4, file_format], peaks[n_tasks, file_format]
            print(f"{file_format}: peak RSS {small:.0f} MB at a quarter of the pairs, "
                  f"{large:.0f} MB at all of them ({large - small:+.0f} MB: "
                  f"{'flat' if large - small < 0.25 * small else 'grows'})")


if __name__ == "__main__":
    main(sys.argv[1:])
